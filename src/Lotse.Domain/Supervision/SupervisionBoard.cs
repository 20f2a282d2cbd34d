using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Supervision;

/// <summary>One counsellor of the agency as routing sees them now, with what only supervision needs besides.</summary>
/// <param name="Load">Status, open requests and running absence, read as mail routing reads them.</param>
/// <param name="HasChatConnection">At least one live connection (chat presence): "Online" shows online only then.</param>
/// <param name="NextAppointmentStartUtc">Start of the next confirmed appointment not yet over.</param>
public sealed record CounsellorOnBoard(CounsellorLoad Load, string Name, bool HasChatConnection, DateTime? NextAppointmentStartUtc);

/// <summary>An open mail thread (no content): whose it is, and since when its client waits for an answer.</summary>
public sealed record OpenThreadRow(Guid? CounsellorId, MailThreadState State, DateTime CreatedUtc, DateTime? AwaitingReplySinceUtc);

/// <summary>A request routing did not give to the counsellor it chose first: from whom, to whom (null: the queue), why.</summary>
public sealed record ForwardedRow(DateTime CreatedUtc, RouteKind Kind, RouteReason Reason, QueueCause QueueCause, Guid? FromCounsellorId, Guid? ToCounsellorId);

public sealed record CounsellorLine(
    Guid CounsellorId,
    string Name,
    ChatMode ChatMode,
    bool ShownOnline,
    bool RegularClientsOnly,
    MailMode MailMode,
    int MailCapacity,
    int OpenRequests,
    bool AtCapacity,
    AbsencePeriod? Absence,
    DateTime? NextAppointmentStartUtc,
    int Overdue);

/// <param name="QueueLength">Requests waiting in the agency's unassigned queue.</param>
/// <param name="OldestWaitingSinceUtc">Arrival of the longest-waiting request of the queue.</param>
/// <param name="QueueOverdue">Requests in the queue waiting longer than the response target.</param>
public sealed record BoardView(
    IReadOnlyList<CounsellorLine> Counsellors,
    int QueueLength,
    DateTime? OldestWaitingSinceUtc,
    int QueueOverdue,
    IReadOnlyList<ForwardedRow> ForwardedToday,
    IReadOnlyList<(RouteReason Reason, int Count)> ForwardedByReason);

/// <summary>
/// The live supervision page of an agency admin (issue 8): each counsellor's availability as clients meet it, the
/// queue, overdue requests and today's forwardings. The rules are the ones clients and routing live by
/// (<see cref="Availability"/>, <see cref="MailRouter"/>, <see cref="MailRules"/>); this only puts them side by side.
/// </summary>
public static class SupervisionBoard
{
    public static BoardView Build(
        IEnumerable<CounsellorOnBoard> counsellors,
        IEnumerable<OpenThreadRow> openThreads,
        IEnumerable<ForwardedRow> forwardedToday,
        TimeSpan responseTarget,
        DateTime now)
    {
        var threads = openThreads.Where(t => t.State is MailThreadState.Open or MailThreadState.InProgress).ToList();
        bool IsOverdue(OpenThreadRow t) => MailRules.IsOverdue(t.State, t.AwaitingReplySinceUtc, responseTarget, now);
        var overdue = threads.Where(t => t.CounsellorId is not null && IsOverdue(t))
            .GroupBy(t => t.CounsellorId!.Value)
            .ToDictionary(g => g.Key, g => g.Count());

        var lines = counsellors
            .Select(c =>
            {
                var status = c.Load.Status;
                // As their regular clients see it: the black toggle narrows who may write, not whether chat is on.
                var availability = Availability.For(status, isRegularClient: true, c.Load.Absences, now);
                return new CounsellorLine(
                    c.Load.CounsellorId,
                    c.Name,
                    status.Chat,
                    ShownOnline: availability.ShownOnline && c.HasChatConnection,
                    status.RegularClientsOnly,
                    status.Mail,
                    status.MailCapacity,
                    c.Load.OpenRequests,
                    AtCapacity: status.Mail == MailMode.ByCapacity && c.Load.OpenRequests >= status.MailCapacity,
                    availability.Absence,
                    c.NextAppointmentStartUtc,
                    overdue.GetValueOrDefault(c.Load.CounsellorId));
            })
            .OrderBy(l => l.Name, StringComparer.CurrentCulture)
            .ToList();

        var queue = threads.Where(t => t.CounsellorId is null).ToList();
        var forwarded = forwardedToday.Where(f => f.Kind != RouteKind.Counsellor).OrderByDescending(f => f.CreatedUtc).ToList();
        return new BoardView(
            lines,
            queue.Count,
            queue.Count == 0 ? null : queue.Min(t => t.CreatedUtc),
            queue.Count(IsOverdue),
            forwarded,
            forwarded.GroupBy(f => f.Reason).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList());
    }
}
