using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;

namespace Lotse.Domain.Mail;

/// <summary>Where a new mail request ends up.</summary>
public enum RouteKind
{
    /// <summary>The counsellor the client wrote to (or, for a request to an agency, the one chosen for it).</summary>
    Counsellor,

    /// <summary>The addressed counsellor's personal fallback.</summary>
    PersonalFallback,

    /// <summary>The agency's fallback counsellor.</summary>
    AgencyFallback,

    /// <summary>The agency's unassigned queue: any of its counsellors can take it from there.</summary>
    Queue,
}

/// <summary>Why it ended up there; shown to the counsellor ("weitergeleitet von …, weil …") and counted by supervision.</summary>
public enum RouteReason
{
    /// <summary>Mail mode "unbegrenzte Anfragen".</summary>
    Unlimited,

    /// <summary>Mail mode "nach Ressourcen" with fewer than N open requests.</summary>
    FreeSlot,

    /// <summary>A regular client writing to their Stammberater:in: taken whatever the mail mode or capacity.</summary>
    RegularClient,

    /// <summary>A request to the agency went to the counsellor of it with the fewest open requests who takes new ones.</summary>
    LeastLoaded,

    /// <summary>Forwarded: mail mode "keine neuen Anfragen".</summary>
    NoNewRequests,

    /// <summary>Forwarded: "nach Ressourcen" and N open requests already.</summary>
    CapacityFull,

    /// <summary>Forwarded: the counsellor is absent.</summary>
    Absent,

    /// <summary>A request to the agency that none of its counsellors takes now.</summary>
    NobodyFree,

    /// <summary>Handed over: the counsellor's account was disabled while the request was open.</summary>
    CounsellorDisabled,
}

/// <summary>Why a forwarded request did not reach a fallback counsellor and waits in the queue.</summary>
public enum QueueCause
{
    None,

    /// <summary>Neither a personal nor an agency fallback is named (or the only one named is the addressed counsellor).</summary>
    NoFallback,

    /// <summary>Every named fallback is absent.</summary>
    FallbackAbsent,
}

/// <summary>What routing needs to know of one counsellor at the instant of routing.</summary>
/// <param name="OpenRequests">Mail requests assigned to them and not closed.</param>
/// <param name="Absences">Their absences (at least any running one).</param>
public sealed record CounsellorLoad(
    Guid CounsellorId,
    AccountStatus Status,
    int OpenRequests,
    IReadOnlyCollection<AbsencePeriod> Absences,
    Guid? PersonalFallbackId)
{
    public bool IsAbsentAt(DateTime now) => AbsenceRules.RunningAt(Absences, now) is not null;
}

/// <summary>A new mail request: to one counsellor (<paramref name="CounsellorId"/>) or, when it is null, to the agency.</summary>
/// <param name="IsRegularClient">The client is a regular client of the addressed counsellor.</param>
/// <param name="AgencyFallbackId">The agency's fallback counsellor, if it names one.</param>
public sealed record MailRouteRequest(Guid? CounsellorId, bool IsRegularClient, Guid? AgencyFallbackId);

/// <summary>The outcome: who answers (null for the queue), how it got there, and from whom it was forwarded.</summary>
public sealed record RoutingDecision(
    Guid? CounsellorId,
    RouteKind Kind,
    RouteReason Reason,
    Guid? ForwardedFromId,
    QueueCause QueueCause)
{
    public bool IsForwarded => Kind != RouteKind.Counsellor;
}

/// <summary>
/// The one decision of where a new mail request goes (SPEC: mail modes, open request, follow-ups, fallback).
/// Pure: the caller loads <see cref="CounsellorLoad"/> snapshots inside the transaction that holds the locks, calls
/// this, and saves the result. Follow-ups are never routed: they belong to their thread's counsellor.
/// <list type="bullet">
/// <item>A request is never bounced: every outcome is a counsellor or the agency's queue.</item>
/// <item>One hop only: a fallback is never forwarded further (no loops), and takes the request whatever its own mail
/// mode or capacity (SPEC). The addressed counsellor is never their own fallback.</item>
/// <item>An absence forwards even a regular client's request: a person in need should not wait for weeks for
/// someone on leave (decision in docs/decisions.md).</item>
/// </list>
/// </summary>
public static class MailRouter
{
    public static RoutingDecision Route(MailRouteRequest request, IReadOnlyCollection<CounsellorLoad> loads, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(loads);
        return request.CounsellorId is { } addressed
            ? ToCounsellor(request, Load(loads, addressed), loads, now)
            : ToAgency(request, loads, now);
    }

    /// <summary>
    /// Where an open request of a counsellor whose account is disabled goes: to the agency's fallback counsellor (one hop,
    /// whatever their own mail setting, as for any forwarded request) unless that is the disabled person or absent, else
    /// to the agency's queue. The disabled person's personal fallback is not asked: the agency decides about its staff.
    /// </summary>
    /// <param name="loads">Must hold the agency fallback's load when one is named.</param>
    public static RoutingDecision HandOver(Guid disabledCounsellorId, Guid? agencyFallbackId, IReadOnlyCollection<CounsellorLoad> loads, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(loads);
        return Forward(disabledCounsellorId, RouteReason.CounsellorDisabled, null, agencyFallbackId, loads, now);
    }

    /// <summary>Whether the counsellor takes a new request themselves, and if not, why.</summary>
    public static RouteReason Takes(CounsellorLoad load, bool isRegularClient, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (load.IsAbsentAt(now))
        {
            return RouteReason.Absent;
        }

        if (isRegularClient)
        {
            return RouteReason.RegularClient;
        }

        return load.Status.Mail switch
        {
            MailMode.Unlimited => RouteReason.Unlimited,
            MailMode.ByCapacity when load.OpenRequests < load.Status.MailCapacity => RouteReason.FreeSlot,
            MailMode.ByCapacity => RouteReason.CapacityFull,
            _ => RouteReason.NoNewRequests,
        };
    }

    private static bool IsTaken(RouteReason reason) =>
        reason is RouteReason.Unlimited or RouteReason.FreeSlot or RouteReason.RegularClient;

    private static RoutingDecision ToCounsellor(MailRouteRequest request, CounsellorLoad addressed, IReadOnlyCollection<CounsellorLoad> loads, DateTime now)
    {
        var reason = Takes(addressed, request.IsRegularClient, now);
        if (IsTaken(reason))
        {
            return new RoutingDecision(addressed.CounsellorId, RouteKind.Counsellor, reason, null, QueueCause.None);
        }

        return Forward(addressed.CounsellorId, reason, addressed.PersonalFallbackId, request.AgencyFallbackId, loads, now);
    }

    private static RoutingDecision ToAgency(MailRouteRequest request, IReadOnlyCollection<CounsellorLoad> loads, DateTime now)
    {
        // Fewest open requests first; the id makes the choice repeatable when two are level.
        var chosen = loads
            .Where(l => !l.Status.RegularClientsOnly && IsTaken(Takes(l, isRegularClient: false, now)))
            .OrderBy(l => l.OpenRequests)
            .ThenBy(l => l.CounsellorId)
            .FirstOrDefault();
        if (chosen is not null)
        {
            return new RoutingDecision(chosen.CounsellorId, RouteKind.Counsellor, RouteReason.LeastLoaded, null, QueueCause.None);
        }

        return Forward(null, RouteReason.NobodyFree, null, request.AgencyFallbackId, loads, now);
    }

    private static RoutingDecision Forward(Guid? from, RouteReason reason, Guid? personalFallbackId, Guid? agencyFallbackId, IReadOnlyCollection<CounsellorLoad> loads, DateTime now)
    {
        var anyNamed = false;
        foreach (var (candidate, kind) in new[] { (personalFallbackId, RouteKind.PersonalFallback), (agencyFallbackId, RouteKind.AgencyFallback) })
        {
            if (candidate is not { } id || id == from)
            {
                continue;
            }

            anyNamed = true;
            if (!Load(loads, id).IsAbsentAt(now))
            {
                return new RoutingDecision(id, kind, reason, from, QueueCause.None);
            }
        }

        return new RoutingDecision(null, RouteKind.Queue, reason, from, anyNamed ? QueueCause.FallbackAbsent : QueueCause.NoFallback);
    }

    private static CounsellorLoad Load(IReadOnlyCollection<CounsellorLoad> loads, Guid id) =>
        loads.FirstOrDefault(l => l.CounsellorId == id)
        ?? throw new ArgumentException($"No load given for counsellor {id}.", nameof(loads));
}
