using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>The addressed counsellor's mail setting and open requests, as the routing table varies them.</summary>
public enum LoadCase
{
    /// <summary>"unbegrenzte Anfragen", with a great many open requests (which must not matter).</summary>
    Unlimited,

    /// <summary>"keine neuen Anfragen".</summary>
    NoNewRequests,

    /// <summary>"nach Ressourcen", nothing open.</summary>
    ByCapacityEmpty,

    /// <summary>"nach Ressourcen", N-1 open: the last slot is free.</summary>
    ByCapacityLastSlotFree,

    /// <summary>"nach Ressourcen", exactly N open.</summary>
    ByCapacityFull,

    /// <summary>"nach Ressourcen", N+1 open (possible: regular clients and forwarded requests are taken above N).</summary>
    ByCapacityOverFull,
}

/// <summary>The addressed counsellor's personal fallback.</summary>
public enum PersonalCase
{
    None,
    Present,
    Absent,
}

/// <summary>The agency's fallback.</summary>
public enum AgencyCase
{
    None,
    Present,
    Absent,

    /// <summary>The agency names the same counsellor as the personal fallback.</summary>
    SameAsPersonal,

    /// <summary>The agency names the addressed counsellor themselves.</summary>
    Addressed,
}

/// <summary>For a request to the agency: who the agency names as fallback.</summary>
public enum AgencyFallbackCase
{
    None,
    Present,
    Absent,

    /// <summary>The agency's only counsellor is also its fallback.</summary>
    TheOnlyCounsellor,
}

/// <summary>
/// Issue 6: the whole routing table (mail mode × capacity × regular client × absence × fallback situation), with the
/// expected outcome of every row written out from SPEC ("Rules where the seed is silent") and the documented
/// decisions, independently of <see cref="MailRouter"/>.
/// </summary>
public sealed class MailRoutingTableTests
{
    private const int Capacity = 3;

    private static readonly DateTime Now = Utc.Now;

    private static readonly Guid Addressed = new("0000000a-0000-0000-0000-000000000000");
    private static readonly Guid Personal = new("0000000b-0000-0000-0000-000000000000");
    private static readonly Guid AgencyFallback = new("0000000c-0000-0000-0000-000000000000");

    // A free, willing colleague in every row: a request to a named counsellor must never drift to them.
    private static readonly Guid Bystander = new("00000001-0000-0000-0000-000000000000");

    private static readonly AbsencePeriod Past = Utc.Absence(Now.AddDays(-10), Now.AddDays(-9), "Urlaub");
    private static readonly AbsencePeriod Future = Utc.Absence(Now.AddDays(5), Now.AddDays(6), "Fortbildung");

    public static TheoryData<LoadCase, bool, bool, PersonalCase, AgencyCase> AddressedRows()
    {
        var data = new TheoryData<LoadCase, bool, bool, PersonalCase, AgencyCase>();
        foreach (var load in Enum.GetValues<LoadCase>())
        {
            foreach (var isRegularClient in new[] { false, true })
            {
                foreach (var isAbsent in new[] { false, true })
                {
                    foreach (var personal in Enum.GetValues<PersonalCase>())
                    {
                        foreach (var agency in Enum.GetValues<AgencyCase>())
                        {
                            // "Same as personal" needs a personal fallback to be the same as.
                            if (agency == AgencyCase.SameAsPersonal && personal == PersonalCase.None)
                            {
                                continue;
                            }

                            data.Add(load, isRegularClient, isAbsent, personal, agency);
                        }
                    }
                }
            }
        }

        return data;
    }

    public static TheoryData<LoadCase, bool, bool, AgencyFallbackCase> AgencyRows()
    {
        var data = new TheoryData<LoadCase, bool, bool, AgencyFallbackCase>();
        foreach (var load in Enum.GetValues<LoadCase>())
        {
            foreach (var regularClientsOnly in new[] { false, true })
            {
                foreach (var isAbsent in new[] { false, true })
                {
                    foreach (var fallback in Enum.GetValues<AgencyFallbackCase>())
                    {
                        data.Add(load, regularClientsOnly, isAbsent, fallback);
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void AddressedRows_EveryCombination_ThreeHundredThirtySixDistinctRows()
    {
        // 6 loads × 2 regular × 2 absent × (3 personal × 5 agency − 2 impossible "same as no personal fallback").
        var rows = AddressedRows().Select(row => string.Join('|', row)).ToList();

        Assert.Equal(6 * 2 * 2 * ((3 * 5) - 1), rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void AgencyRows_EveryCombination_NinetySixDistinctRows()
    {
        var rows = AgencyRows().Select(row => string.Join('|', row)).ToList();

        Assert.Equal(6 * 2 * 2 * 4, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AddressedRows))]
    public void Route_ToCounsellor_MatchesTheTable(
        LoadCase load, bool isRegularClient, bool isAbsent, PersonalCase personal, AgencyCase agency)
    {
        var personalId = personal == PersonalCase.None ? (Guid?)null : Personal;
        Guid? agencyFallbackId = agency switch
        {
            AgencyCase.None => null,
            AgencyCase.Present or AgencyCase.Absent => AgencyFallback,
            AgencyCase.SameAsPersonal => Personal,
            AgencyCase.Addressed => Addressed,
            _ => throw new ArgumentOutOfRangeException(nameof(agency)),
        };

        var loads = new List<CounsellorLoad>
        {
            AddressedLoad(load, isAbsent, personalId),
            new(Bystander, new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, Capacity), 0, [], null),
        };
        if (personal != PersonalCase.None)
        {
            // The personal fallback says "keine neuen Anfragen" and names the addressed counsellor as their own
            // fallback: it must take the request anyway, and nothing may bounce back (one hop only).
            loads.Add(new CounsellorLoad(
                Personal,
                new AccountStatus(false, ChatMode.Online, MailMode.NoNewRequests, Capacity),
                OpenRequests: 7,
                Absences(personal == PersonalCase.Absent),
                PersonalFallbackId: Addressed));
        }

        if (agency is AgencyCase.Present or AgencyCase.Absent)
        {
            // The agency fallback is full and only for regular clients: it takes forwarded requests anyway.
            loads.Add(new CounsellorLoad(
                AgencyFallback,
                new AccountStatus(RegularClientsOnly: true, ChatMode.NotReachable, MailMode.ByCapacity, MailCapacity: 1),
                OpenRequests: 1,
                Absences(agency == AgencyCase.Absent),
                PersonalFallbackId: Bystander));
        }

        var decision = MailRouter.Route(new MailRouteRequest(Addressed, isRegularClient, agencyFallbackId), loads, Now);

        Assert.Equal(ExpectedForAddressed(load, isRegularClient, isAbsent, personal, agency), decision);
        AssertNeverBouncedNorToAnAbsentCounsellor(decision, loads);
        Assert.NotEqual(Bystander, decision.CounsellorId);
    }

    [Theory]
    [MemberData(nameof(AgencyRows))]
    public void Route_ToAgency_MatchesTheTable(LoadCase load, bool regularClientsOnly, bool isAbsent, AgencyFallbackCase fallback)
    {
        var only = AddressedLoad(load, isAbsent, personalFallbackId: Personal) with
        {
            Status = StatusFor(load) with { RegularClientsOnly = regularClientsOnly },
        };
        var loads = new List<CounsellorLoad> { only };
        Guid? agencyFallbackId = fallback switch
        {
            AgencyFallbackCase.None => null,
            AgencyFallbackCase.Present or AgencyFallbackCase.Absent => AgencyFallback,
            AgencyFallbackCase.TheOnlyCounsellor => Addressed,
            _ => throw new ArgumentOutOfRangeException(nameof(fallback)),
        };
        if (fallback is AgencyFallbackCase.Present or AgencyFallbackCase.Absent)
        {
            // The fallback is not a member taking requests (keine neuen Anfragen), yet takes what nobody else does.
            loads.Add(new CounsellorLoad(
                AgencyFallback,
                new AccountStatus(false, ChatMode.Online, MailMode.NoNewRequests, Capacity),
                OpenRequests: 0,
                Absences(fallback == AgencyFallbackCase.Absent),
                PersonalFallbackId: null));
        }

        var decision = MailRouter.Route(new MailRouteRequest(null, IsRegularClient: false, agencyFallbackId), loads, Now);

        Assert.Equal(ExpectedForAgency(load, regularClientsOnly, isAbsent, fallback), decision);
        AssertNeverBouncedNorToAnAbsentCounsellor(decision, loads);
    }

    /// <summary>
    /// The rules for a request to a named counsellor, one by one:
    /// 1. An absent counsellor takes nothing new, not even from a regular client (decision: a person in need should
    ///    not wait for someone on leave); the request is forwarded "weil abwesend".
    /// 2. Otherwise a regular client's request is taken by their Stammberater:in whatever the mail setting (SPEC).
    /// 3. Otherwise the mail setting decides: unlimited takes; "nach Ressourcen" takes while fewer than N are open;
    ///    "keine neuen Anfragen" and a full capacity forward.
    /// 4. Forwarded requests go to the personal fallback, then to the agency's, skipping whoever is absent and never
    ///    back to the addressed counsellor; the fallback takes it whatever its own setting.
    /// 5. With nobody left the request waits in the agency's queue: "FallbackAbsent" when someone was named but is
    ///    away, "NoFallback" when nobody (other than the addressed counsellor) was named.
    /// </summary>
    private static RoutingDecision ExpectedForAddressed(
        LoadCase load, bool isRegularClient, bool isAbsent, PersonalCase personal, AgencyCase agency)
    {
        RouteReason whyForwarded;
        if (isAbsent)
        {
            whyForwarded = RouteReason.Absent;
        }
        else if (isRegularClient)
        {
            return Taken(Addressed, RouteReason.RegularClient);
        }
        else
        {
            switch (load)
            {
                case LoadCase.Unlimited:
                    return Taken(Addressed, RouteReason.Unlimited);
                case LoadCase.ByCapacityEmpty:
                case LoadCase.ByCapacityLastSlotFree:
                    return Taken(Addressed, RouteReason.FreeSlot);
                case LoadCase.NoNewRequests:
                    whyForwarded = RouteReason.NoNewRequests;
                    break;
                case LoadCase.ByCapacityFull:
                case LoadCase.ByCapacityOverFull:
                    whyForwarded = RouteReason.CapacityFull;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(load));
            }
        }

        if (personal == PersonalCase.Present)
        {
            return new RoutingDecision(Personal, RouteKind.PersonalFallback, whyForwarded, Addressed, QueueCause.None);
        }

        if (agency == AgencyCase.Present)
        {
            return new RoutingDecision(AgencyFallback, RouteKind.AgencyFallback, whyForwarded, Addressed, QueueCause.None);
        }

        // Left: the personal fallback is absent or not named, and the agency's is absent, the same absent person,
        // the addressed counsellor themselves, or not named.
        var someoneNamedIsAway = personal == PersonalCase.Absent || agency == AgencyCase.Absent;
        return new RoutingDecision(
            null,
            RouteKind.Queue,
            whyForwarded,
            Addressed,
            someoneNamedIsAway ? QueueCause.FallbackAbsent : QueueCause.NoFallback);
    }

    /// <summary>
    /// A request to the agency goes to a counsellor who takes new requests from anybody right now: not absent, not
    /// "nur für Stammklient:innen", and unlimited or with a free slot. Else to the agency's fallback (who may be that
    /// very counsellor, taking it whatever their setting) unless absent; else the queue.
    /// </summary>
    private static RoutingDecision ExpectedForAgency(LoadCase load, bool regularClientsOnly, bool isAbsent, AgencyFallbackCase fallback)
    {
        var takesNewRequests = load is LoadCase.Unlimited or LoadCase.ByCapacityEmpty or LoadCase.ByCapacityLastSlotFree;
        if (!isAbsent && !regularClientsOnly && takesNewRequests)
        {
            return Taken(Addressed, RouteReason.LeastLoaded);
        }

        return fallback switch
        {
            AgencyFallbackCase.Present => new RoutingDecision(AgencyFallback, RouteKind.AgencyFallback, RouteReason.NobodyFree, null, QueueCause.None),
            AgencyFallbackCase.TheOnlyCounsellor when !isAbsent =>
                new RoutingDecision(Addressed, RouteKind.AgencyFallback, RouteReason.NobodyFree, null, QueueCause.None),
            AgencyFallbackCase.TheOnlyCounsellor or AgencyFallbackCase.Absent =>
                new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.FallbackAbsent),
            AgencyFallbackCase.None => new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.NoFallback),
            _ => throw new ArgumentOutOfRangeException(nameof(fallback)),
        };
    }

    private static RoutingDecision Taken(Guid counsellorId, RouteReason reason) =>
        new(counsellorId, RouteKind.Counsellor, reason, null, QueueCause.None);

    private static void AssertNeverBouncedNorToAnAbsentCounsellor(RoutingDecision decision, IReadOnlyCollection<CounsellorLoad> loads)
    {
        // Always someone who answers, or the queue: never "undeliverable".
        Assert.True(Enum.IsDefined(decision.Kind));
        Assert.Equal(decision.Kind == RouteKind.Queue, decision.CounsellorId is null);
        Assert.Equal(decision.Kind == RouteKind.Queue, decision.QueueCause != QueueCause.None);
        Assert.Equal(decision.Kind != RouteKind.Counsellor, decision.IsForwarded);
        if (decision.CounsellorId is { } chosen)
        {
            Assert.False(loads.Single(l => l.CounsellorId == chosen).IsAbsentAt(Now));
            Assert.NotEqual(chosen, decision.ForwardedFromId);
        }
    }

    private static CounsellorLoad AddressedLoad(LoadCase load, bool isAbsent, Guid? personalFallbackId) =>
        new(Addressed, StatusFor(load), OpenFor(load), Absences(isAbsent), personalFallbackId);

    private static AccountStatus StatusFor(LoadCase load) => load switch
    {
        LoadCase.Unlimited => new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, Capacity),
        LoadCase.NoNewRequests => new AccountStatus(false, ChatMode.Online, MailMode.NoNewRequests, Capacity),
        _ => new AccountStatus(false, ChatMode.Online, MailMode.ByCapacity, Capacity),
    };

    private static int OpenFor(LoadCase load) => load switch
    {
        LoadCase.Unlimited => 500,
        LoadCase.NoNewRequests => 0,
        LoadCase.ByCapacityEmpty => 0,
        LoadCase.ByCapacityLastSlotFree => Capacity - 1,
        LoadCase.ByCapacityFull => Capacity,
        LoadCase.ByCapacityOverFull => Capacity + 1,
        _ => throw new ArgumentOutOfRangeException(nameof(load)),
    };

    // Past and future absences are always there, so only a running one can make a difference.
    private static AbsencePeriod[] Absences(bool isAbsent) =>
        isAbsent ? [Past, Utc.Absence(Now.AddHours(-2), Now.AddHours(3), "Krank"), Future] : [Past, Future];
}
