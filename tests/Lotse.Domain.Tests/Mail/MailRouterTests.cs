using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>Single routing rules the table does not spell out: requests to the agency, time edges, capacity, fallbacks.</summary>
public sealed class MailRouterTests
{
    private static readonly DateTime Now = Utc.Now;

    // Ids in a known order, so "ties broken by id" has a visible answer.
    private static readonly Guid First = new("00000001-0000-0000-0000-000000000000");
    private static readonly Guid Second = new("00000002-0000-0000-0000-000000000000");
    private static readonly Guid Third = new("00000003-0000-0000-0000-000000000000");
    private static readonly Guid Fallback = new("0000000f-0000-0000-0000-000000000000");

    private static CounsellorLoad Load(
        Guid id,
        MailMode mail = MailMode.Unlimited,
        int capacity = 10,
        int open = 0,
        bool regularClientsOnly = false,
        AbsencePeriod[]? absences = null,
        Guid? personalFallback = null) =>
        new(id, new AccountStatus(regularClientsOnly, ChatMode.Online, mail, capacity), open, absences ?? [], personalFallback);

    private static AbsencePeriod[] Away() => [Utc.Absence(Now.AddDays(-1), Now.AddDays(7), "Urlaub")];

    private static RoutingDecision ToCounsellor(Guid addressed, bool isRegularClient, Guid? agencyFallback, params CounsellorLoad[] loads) =>
        MailRouter.Route(new MailRouteRequest(addressed, isRegularClient, agencyFallback), loads, Now);

    private static RoutingDecision ToAgency(Guid? agencyFallback, params CounsellorLoad[] loads) =>
        MailRouter.Route(new MailRouteRequest(null, IsRegularClient: false, agencyFallback), loads, Now);

    // ---- Requests to the agency ----

    [Fact]
    public void Route_ToAgency_FewestOpenRequestsWins()
    {
        var decision = ToAgency(null, Load(First, open: 5), Load(Second, open: 2), Load(Third, open: 9));

        Assert.Equal(new RoutingDecision(Second, RouteKind.Counsellor, RouteReason.LeastLoaded, null, QueueCause.None), decision);
    }

    [Fact]
    public void Route_ToAgencyTwoLevel_LowerIdWinsWhateverTheOrderGiven()
    {
        Assert.Equal(First, ToAgency(null, Load(Second, open: 1), Load(First, open: 1), Load(Third, open: 4)).CounsellorId);
        Assert.Equal(First, ToAgency(null, Load(First, open: 1), Load(Third, open: 4), Load(Second, open: 1)).CounsellorId);
    }

    [Fact]
    public void Route_ToAgency_SkipsEveryoneWhoDoesNotTakeNewRequestsEvenWithFewerOpen()
    {
        var decision = ToAgency(
            null,
            Load(First, regularClientsOnly: true),
            Load(Second, mail: MailMode.NoNewRequests),
            Load(Third, mail: MailMode.ByCapacity, capacity: 2, open: 2),
            Load(new Guid("00000004-0000-0000-0000-000000000000"), absences: Away()),
            Load(new Guid("00000009-0000-0000-0000-000000000000"), mail: MailMode.ByCapacity, capacity: 10, open: 9));

        Assert.Equal(new Guid("00000009-0000-0000-0000-000000000000"), decision.CounsellorId);
        Assert.Equal(RouteReason.LeastLoaded, decision.Reason);
    }

    [Fact]
    public void Route_ToAgencyAsRegularClient_RegularClientFlagIgnored()
    {
        // A request to the agency has no Stammberater:in, so "regular client" cannot open a closed door.
        var decision = MailRouter.Route(
            new MailRouteRequest(null, IsRegularClient: true, null),
            [Load(First, mail: MailMode.NoNewRequests), Load(Second, regularClientsOnly: true)],
            Now);

        Assert.Equal(RouteKind.Queue, decision.Kind);
    }

    [Fact]
    public void Route_ToAgencyNobodyFree_AgencyFallbackWithReasonNobodyFree()
    {
        var decision = ToAgency(Fallback, Load(First, mail: MailMode.NoNewRequests), Load(Fallback, mail: MailMode.NoNewRequests));

        Assert.Equal(new RoutingDecision(Fallback, RouteKind.AgencyFallback, RouteReason.NobodyFree, null, QueueCause.None), decision);
    }

    [Fact]
    public void Route_ToAgencyNobodyFreeAndFallbackAbsent_QueueFallbackAbsent()
    {
        var decision = ToAgency(Fallback, Load(First, absences: Away()), Load(Fallback, absences: Away()));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.FallbackAbsent), decision);
    }

    [Fact]
    public void Route_ToAgencyNobodyFreeAndNoFallback_QueueNoFallback()
    {
        var decision = ToAgency(null, Load(First, mail: MailMode.ByCapacity, capacity: 1, open: 1));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.NoFallback), decision);
    }

    [Fact]
    public void Route_ToAgencyWithoutCounsellors_QueueNoFallback() =>
        Assert.Equal(RouteKind.Queue, ToAgency(null).Kind);

    [Fact]
    public void Route_ToAgencyPersonalFallbacksOfMembers_NotUsed()
    {
        // Personal fallbacks stand in for one counsellor, not for the agency.
        var decision = ToAgency(null, Load(First, mail: MailMode.NoNewRequests, personalFallback: Second), Load(Second, mail: MailMode.NoNewRequests));

        Assert.Equal(RouteKind.Queue, decision.Kind);
        Assert.Equal(QueueCause.NoFallback, decision.QueueCause);
    }

    // ---- Time edges (absence is [start, end)) ----

    [Fact]
    public void Route_AbsenceStartsExactlyNow_Forwarded()
    {
        var decision = ToCounsellor(
            First, false, Fallback, Load(First, absences: [Utc.Absence(Now, Now.AddDays(1))]), Load(Fallback));

        Assert.Equal(new RoutingDecision(Fallback, RouteKind.AgencyFallback, RouteReason.Absent, First, QueueCause.None), decision);
    }

    [Fact]
    public void Route_AbsenceEndsExactlyNow_TakenByTheCounsellor()
    {
        var decision = ToCounsellor(
            First, false, Fallback, Load(First, absences: [Utc.Absence(Now.AddDays(-1), Now)]), Load(Fallback));

        Assert.Equal(new RoutingDecision(First, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None), decision);
    }

    [Fact]
    public void Route_OneTickBeforeAbsenceEnds_StillForwarded()
    {
        var absence = Utc.Absence(Now.AddDays(-1), Now);
        var loads = new[] { Load(First, absences: [absence]), Load(Fallback) };

        var decision = MailRouter.Route(new MailRouteRequest(First, false, Fallback), loads, Now.AddTicks(-1));

        Assert.Equal(RouteReason.Absent, decision.Reason);
        Assert.Equal(Fallback, decision.CounsellorId);
    }

    [Fact]
    public void Route_SameLoadAMinuteBeforeAndAtAbsenceStart_TakenThenForwarded()
    {
        // An absence starting affects the very next request: no job has to run, "now" decides.
        var absence = Utc.Absence(Now.AddMinutes(1), Now.AddDays(3), "Urlaub");
        var loads = new[] { Load(First, absences: [absence]), Load(Fallback) };
        var request = new MailRouteRequest(First, false, Fallback);

        var before = MailRouter.Route(request, loads, Now);
        var atStart = MailRouter.Route(request, loads, Now.AddMinutes(1));

        Assert.Equal(First, before.CounsellorId);
        Assert.Equal(RouteKind.Counsellor, before.Kind);
        Assert.Equal(Fallback, atStart.CounsellorId);
        Assert.Equal(RouteReason.Absent, atStart.Reason);
    }

    [Fact]
    public void Route_FallbackAbsenceStartsExactlyNow_Queue()
    {
        var decision = ToCounsellor(
            First,
            false,
            Fallback,
            Load(First, mail: MailMode.NoNewRequests),
            Load(Fallback, absences: [Utc.Absence(Now, Now.AddHours(1))]));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.NoNewRequests, First, QueueCause.FallbackAbsent), decision);
    }

    [Fact]
    public void Route_FallbackAbsenceEndsExactlyNow_FallbackTakes()
    {
        var decision = ToCounsellor(
            First,
            false,
            Fallback,
            Load(First, mail: MailMode.NoNewRequests),
            Load(Fallback, absences: [Utc.Absence(Now.AddHours(-1), Now)]));

        Assert.Equal(Fallback, decision.CounsellorId);
    }

    [Fact]
    public void Takes_AbsentAndRegularClient_Absent() =>
        Assert.Equal(RouteReason.Absent, MailRouter.Takes(Load(First, absences: Away()), isRegularClient: true, Now));

    [Fact]
    public void Takes_RegularClientUnderNoNewRequests_RegularClient() =>
        Assert.Equal(RouteReason.RegularClient, MailRouter.Takes(Load(First, mail: MailMode.NoNewRequests), isRegularClient: true, Now));

    // ---- Capacity ----

    [Fact]
    public void Route_CapacityOneNothingOpen_TakenWithFreeSlot()
    {
        var decision = ToCounsellor(First, false, Fallback, Load(First, mail: MailMode.ByCapacity, capacity: 1, open: 0), Load(Fallback));

        Assert.Equal(new RoutingDecision(First, RouteKind.Counsellor, RouteReason.FreeSlot, null, QueueCause.None), decision);
    }

    [Fact]
    public void Route_CapacityOneOneOpen_ForwardedCapacityFull()
    {
        var decision = ToCounsellor(First, false, Fallback, Load(First, mail: MailMode.ByCapacity, capacity: 1, open: 1), Load(Fallback));

        Assert.Equal(new RoutingDecision(Fallback, RouteKind.AgencyFallback, RouteReason.CapacityFull, First, QueueCause.None), decision);
    }

    [Fact]
    public void Route_SameLoadTwice_BothTakenBecauseOnlyTheGivenOpenCountCounts()
    {
        // The router keeps no count of its own: the caller loads OpenRequests inside the transaction that holds the
        // lock, and counts the request it just saved. Two calls with the same stale snapshot both fit.
        var load = Load(First, mail: MailMode.ByCapacity, capacity: 1, open: 0);

        var one = ToCounsellor(First, false, Fallback, load, Load(Fallback));
        var two = ToCounsellor(First, false, Fallback, load, Load(Fallback));

        Assert.Equal(First, one.CounsellorId);
        Assert.Equal(First, two.CounsellorId);
    }

    [Fact]
    public void Route_FallbackSaysNoNewRequests_StillReceives()
    {
        var decision = ToCounsellor(
            First, false, Fallback, Load(First, mail: MailMode.NoNewRequests), Load(Fallback, mail: MailMode.NoNewRequests));

        Assert.Equal(new RoutingDecision(Fallback, RouteKind.AgencyFallback, RouteReason.NoNewRequests, First, QueueCause.None), decision);
    }

    [Fact]
    public void Route_FallbackFullAndOnlyForRegularClients_StillReceives()
    {
        var decision = ToCounsellor(
            First,
            false,
            null,
            Load(First, mail: MailMode.ByCapacity, capacity: 2, open: 2, personalFallback: Second),
            Load(Second, mail: MailMode.ByCapacity, capacity: 1, open: 40, regularClientsOnly: true));

        Assert.Equal(new RoutingDecision(Second, RouteKind.PersonalFallback, RouteReason.CapacityFull, First, QueueCause.None), decision);
    }

    [Fact]
    public void Route_RegularClientAtFullCapacity_TakenAboveN()
    {
        var decision = ToCounsellor(First, true, Fallback, Load(First, mail: MailMode.ByCapacity, capacity: 3, open: 3), Load(Fallback));

        Assert.Equal(new RoutingDecision(First, RouteKind.Counsellor, RouteReason.RegularClient, null, QueueCause.None), decision);
    }

    // ---- Fallback chain: one hop, never back, never in a loop ----

    [Fact]
    public void Route_PersonalAndAgencyFallbackBothPresent_PersonalFirst()
    {
        var decision = ToCounsellor(
            First, false, Fallback, Load(First, mail: MailMode.NoNewRequests, personalFallback: Second), Load(Second), Load(Fallback));

        Assert.Equal(RouteKind.PersonalFallback, decision.Kind);
        Assert.Equal(Second, decision.CounsellorId);
    }

    [Fact]
    public void Route_FallbacksNameEachOther_OneHopOnly()
    {
        // First forwards to Second, whose own personal fallback is First and who takes no new requests either:
        // Second takes it; nothing goes round.
        var decision = ToCounsellor(
            First,
            false,
            null,
            Load(First, mail: MailMode.NoNewRequests, personalFallback: Second),
            Load(Second, mail: MailMode.NoNewRequests, personalFallback: First));

        Assert.Equal(new RoutingDecision(Second, RouteKind.PersonalFallback, RouteReason.NoNewRequests, First, QueueCause.None), decision);
    }

    [Fact]
    public void Route_PersonalFallbackAbsent_ItsOwnFallbackNotFollowed()
    {
        var decision = ToCounsellor(
            First,
            false,
            null,
            Load(First, mail: MailMode.NoNewRequests, personalFallback: Second),
            Load(Second, absences: Away(), personalFallback: Third),
            Load(Third));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.NoNewRequests, First, QueueCause.FallbackAbsent), decision);
    }

    [Fact]
    public void Route_PersonalFallbackIsTheAddressedThemselves_SkippedAsIfNotNamed()
    {
        // Counsellor.SetPersonalFallback forbids this; the router does not trust stored data to be clean.
        var decision = ToCounsellor(First, false, null, Load(First, mail: MailMode.NoNewRequests, personalFallback: First));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.NoNewRequests, First, QueueCause.NoFallback), decision);
    }

    [Fact]
    public void Route_AbsentAgencyFallbackIsTheAddressed_QueueNoFallback()
    {
        var decision = ToCounsellor(First, true, First, Load(First, absences: Away()));

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.Absent, First, QueueCause.NoFallback), decision);
    }

    [Fact]
    public void Route_Forwarded_IsForwardedTrue()
    {
        var decision = ToCounsellor(First, false, Fallback, Load(First, mail: MailMode.NoNewRequests), Load(Fallback));

        Assert.True(decision.IsForwarded);
        Assert.False(ToCounsellor(First, false, Fallback, Load(First), Load(Fallback)).IsForwarded);
    }

    // ---- Bad input ----

    [Fact]
    public void Route_NoLoadForAddressedCounsellor_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>("loads", () => ToCounsellor(First, false, null, Load(Second)));

    [Fact]
    public void Route_NoLoadForNeededFallback_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(
            "loads", () => ToCounsellor(First, false, Fallback, Load(First, mail: MailMode.NoNewRequests)));

    [Fact]
    public void Route_NoLoadForAgencyFallbackOfAgencyRequest_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>("loads", () => ToAgency(Fallback, Load(First, mail: MailMode.NoNewRequests)));

    [Fact]
    public void Route_NoLoadForFallbackThatIsNotNeeded_Taken()
    {
        // The fallback's load is looked up only when the request is actually forwarded.
        var decision = ToCounsellor(First, false, Fallback, Load(First));

        Assert.Equal(First, decision.CounsellorId);
    }

    [Fact]
    public void Route_NullRequestOrLoads_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => MailRouter.Route(null!, [], Now));
        Assert.Throws<ArgumentNullException>(() => MailRouter.Route(new MailRouteRequest(First, false, null), null!, Now));
    }
}
