using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Supervision;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

public enum ThreadChange
{
    Done,
    NotFound,

    /// <summary>Someone else changed the thread first (another counsellor took it).</summary>
    TooLate,

    /// <summary>The step does not fit the thread's state (archive before close, take what is not in the queue).</summary>
    NotAllowed,
}

/// <summary>
/// A counsellor's steps on a thread: take it from the queue, close it (which frees a capacity slot at once, since
/// open requests are counted, not stored), archive it, and mark it read. The thread's version makes two counsellors
/// taking the same request at once end with one winner; the other is told.
/// </summary>
public sealed class ChangeMailThread(LotseDb db, MailAccess access, TimeProvider clock, AuditLog audit, SupervisionNotifier supervision)
{
    private const int Attempts = 3;

    public Task<ThreadChange> TakeAsync(MailActor actor, Guid threadId, CancellationToken cancellationToken) =>
        ChangeAsync(actor, threadId, AuditAction.MailRequestTaken, thread => thread.IsInQueue, thread => thread.Take(actor.Id, Now), cancellationToken);

    public Task<ThreadChange> CloseAsync(MailActor actor, Guid threadId, CancellationToken cancellationToken) =>
        ChangeAsync(actor, threadId, AuditAction.MailThreadClosed, thread => thread.CounsellorId == actor.Id && !thread.IsClosed, thread => thread.Close(Now), cancellationToken);

    public Task<ThreadChange> ArchiveAsync(MailActor actor, Guid threadId, CancellationToken cancellationToken) =>
        ChangeAsync(actor, threadId, AuditAction.MailThreadArchived, thread => thread.CounsellorId == actor.Id && thread.State == MailThreadState.Closed, thread => thread.Archive(), cancellationToken);

    /// <summary>The reader has seen everything up to the newest message of the other side.</summary>
    public async Task MarkReadAsync(MailActor actor, Guid threadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var thread = await access.ThreadAsync(actor, threadId, tracked: true, cancellationToken);
        if (thread is null || (actor.Side == MailSide.Counsellor && thread.CounsellorId != actor.Id) || !thread.IsUnreadFor(actor.Side))
        {
            return;
        }

        thread.MarkRead(actor.Side, long.MaxValue);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A message arrived meanwhile; it stays unread, which is right.
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string StateText(MailThreadState state) => state switch
    {
        MailThreadState.Open => "offen",
        MailThreadState.InProgress => "in Bearbeitung",
        MailThreadState.Closed => "abgeschlossen",
        MailThreadState.Archived => "archiviert",
        _ => state.ToString(),
    };

    private async Task<ThreadChange> ChangeAsync(MailActor actor, Guid threadId, AuditAction action, Func<MailThread, bool> allowed, Action<MailThread> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Side != MailSide.Counsellor)
        {
            return ThreadChange.NotFound;
        }

        var isTake = action == AuditAction.MailRequestTaken;

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var thread = await access.ThreadAsync(actor, threadId, tracked: true, cancellationToken);
            if (thread is null)
            {
                // Taken from the queue by a colleague a moment ago: say so, instead of a bare "not found". Anything
                // else (a colleague's own thread, never in the queue; another agency's id; closing what is not yours)
                // stays 404, so that nobody can probe which ids exist (decision 4).
                var taken = await db.MailThreads.AsNoTracking()
                    .Where(t => t.Id == threadId && t.TakenUtc != null)
                    .Select(t => (Guid?)t.AgencyId)
                    .SingleOrDefaultAsync(cancellationToken);
                return isTake && taken is { } agency && await access.IsInAgencyAsync(actor.Id, agency, cancellationToken) ? ThreadChange.TooLate : ThreadChange.NotFound;
            }

            if (!allowed(thread))
            {
                return thread.IsInQueue || thread.CounsellorId == actor.Id ? ThreadChange.NotAllowed : ThreadChange.TooLate;
            }

            var stateBefore = thread.State;
            change(thread);
            // Cleared with the change when the save below loses a race and the loop starts again.
            await audit.RecordAsync(action, AuditTarget.Of(AuditTargetType.MailThread, thread.Id), thread.AgencyId, action switch
            {
                AuditAction.MailRequestTaken => "Aus der Warteschlange übernommen",
                _ => $"Status: {StateText(stateBefore)} → {StateText(thread.State)}",
            }, cancellationToken);
            if (thread.CounsellorId is { } counsellorId)
            {
                await db.EnsureRelationAsync(counsellorId, thread.ClientId, Now, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                // Queue length, open requests and overdue counts of the agency's supervision page have changed.
                await supervision.ChangedAsync(thread.AgencyId, cancellationToken);
                return ThreadChange.Done;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Someone changed the thread first: a follow-up came in, or a colleague took it. The loser looks again
                // (decision 11): a close or archive still applies; a take finds the thread taken and says so above.
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return ThreadChange.TooLate;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Not the thread but the counselling relation: another change (a take of another request of this client,
                // a new request routed here) recorded it a moment ago. Nothing was saved; it is there now, so try again.
            }
        }
    }
}
