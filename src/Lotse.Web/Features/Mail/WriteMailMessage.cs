using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Features.Supervision;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

public enum WriteOutcome
{
    Sent,
    Invalid,
    NotFound,
    Closed,

    /// <summary>A counsellor must take a thread from the queue before answering it.</summary>
    NotTaken,
}

public sealed record WriteResult(WriteOutcome Outcome, MailTextProblem Problem = MailTextProblem.None);

/// <summary>
/// A follow-up in a thread, by its client or its counsellor. Follow-ups are never routed: they reach the thread's
/// counsellor whatever their mail mode, capacity or absence (SPEC). The thread's version guards against two writes at
/// once (the loser reloads and tries again); the sender's request key makes a repeated submit store nothing twice.
/// </summary>
public sealed class WriteMailMessage(LotseDb db, MailAccess access, TimeProvider clock, NotificationOutbox outbox, SupervisionNotifier supervision)
{
    private const int Attempts = 5;

    public async Task<WriteResult> WriteAsync(MailActor actor, Guid threadId, string? body, Guid requestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var text = MailRules.CheckFollowUp(body);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var thread = await access.ThreadAsync(actor, threadId, tracked: true, cancellationToken);
            if (thread is null)
            {
                return new WriteResult(WriteOutcome.NotFound);
            }

            if (await db.MailMessages.AnyAsync(m => m.ThreadId == threadId && m.RequestKey == requestKey, cancellationToken))
            {
                return new WriteResult(WriteOutcome.Sent);
            }

            if (!text.IsValid)
            {
                return new WriteResult(WriteOutcome.Invalid, text.Problem);
            }

            if (thread.IsClosed)
            {
                return new WriteResult(WriteOutcome.Closed);
            }

            if (actor.Side == MailSide.Counsellor && thread.CounsellorId != actor.Id)
            {
                return new WriteResult(WriteOutcome.NotTaken);
            }

            try
            {
                await StoreAsync(thread, actor.Side, text.Body, requestKey, cancellationToken);
                // An answer ends the client's wait (overdue), a follow-up starts it again: supervision shows both.
                await supervision.ChangedAsync(thread.AgencyId, cancellationToken);
                return new WriteResult(WriteOutcome.Sent);
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another write to this thread (or the same submit twice) came first: look again.
            }
        }
    }

    private async Task StoreAsync(MailThread thread, MailSide side, string body, Guid requestKey, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            async ct =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow().UtcDateTime;
                var message = new MailMessage(thread.Id, side, body, requestKey, now);
                db.MailMessages.Add(message);
                await db.SaveChangesAsync(ct);
                thread.Wrote(side, message.Id, now);
                await outbox.AddForMailAsync(thread, side == MailSide.Client ? MailSide.Counsellor : MailSide.Client, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            },
            cancellationToken);
    }
}
