using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Operations;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

public abstract record SendResult;

/// <summary>Stored. <paramref name="IsNew"/> is false for a retry of a message stored before: nothing is broadcast again.</summary>
public sealed record MessageStored(ChatMessageView Message, bool IsNew) : SendResult;

/// <summary>The rules do not let this side write now; <paramref name="Availability"/> explains it to a client.</summary>
public sealed record SendRefused(ChatVerdict Verdict, CounsellorAvailabilityView? Availability) : SendResult;

public sealed record SendInvalid(ChatTextProblem Problem) : SendResult;

/// <summary>
/// Stores one chat message, exactly once per (conversation, side, client message id), and only when the rules allow it.
/// The caller acknowledges and broadcasts only what this returns, so nothing is acknowledged that is not stored.
/// </summary>
public sealed class SendMessage(LotseDb db, LoadClientAvailability availability, TimeProvider clock, LotseMetrics metrics)
{
    public async Task<SendResult> SendAsync(ChatMember member, Guid clientMessageId, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var checkedText = ChatRules.CheckText(text);
        if (!checkedText.IsValid)
        {
            return new SendInvalid(checkedText.Problem);
        }

        // One pooled connection for every statement of this send: EF Core would otherwise rent, reset and return a
        // connection per query (the chat benchmark, docs/benchmarks.md, counts about four per message).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await RefusalAsync(member, cancellationToken) is { } refusal)
            {
                // A retry of a stored message is answered with that message whatever has changed since (closed, status):
                // the sender only lost the acknowledgement, the message itself was accepted.
                return await FindAsync(member, clientMessageId, cancellationToken) is { } stored ? new MessageStored(stored, IsNew: false) : refusal;
            }

            // A retry that is still allowed is found inside the lock in StoreAsync; looking it up here as well would cost
            // every new message (nearly every send) one more query.
            return await StoreAsync(member, clientMessageId, checkedText.Text, cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<SendRefused?> RefusalAsync(ChatMember member, CancellationToken cancellationToken)
    {
        if (member.Side == ChatSide.Client)
        {
            // Every message of a client asks this: the cheap check first, and the whole view (the agency's terms, for the
            // text that explains a refusal) only when the answer is no.
            var current = await availability.ForChatMessageAsync(member.CounsellorId, member.ClientId, cancellationToken);
            var verdict = current is null ? ChatVerdict.NotReachable : ChatRules.ClientMayWrite(current, member.IsClosed);
            return verdict == ChatVerdict.Allowed
                ? null
                : new SendRefused(verdict, await availability.LoadForClientAsync(member.CounsellorId, member.ClientId, cancellationToken));
        }

        return ChatRules.CounsellorMayWrite(member.IsClosed) is var counsellorVerdict && counsellorVerdict != ChatVerdict.Allowed
            ? new SendRefused(counsellorVerdict, null)
            : null;
    }

    private async Task<SendResult> StoreAsync(ChatMember member, Guid clientMessageId, string body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Touching the conversation first locks its row until the commit (PostgreSQL; SQLite's IMMEDIATE transaction
            // excludes every other writer anyway). So the messages of one conversation are stored one after the other and
            // their ids become visible in order: a page that catches up "since id X" can never skip one still being written.
            // It also re-checks "open" inside the lock, so a message cannot slip in after the counsellor closed the chat.
            var open = await db.Conversations
                .Where(c => c.Id == member.ConversationId && c.ClosedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageUtc, c => c.LastMessageUtc > now ? c.LastMessageUtc : now), cancellationToken);
            if (open == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                // Closed in the meantime; a retry of a message stored before the close still gets its acknowledgement.
                return await FindAsync(member, clientMessageId, cancellationToken) is { } before
                    ? new MessageStored(before, IsNew: false)
                    : new SendRefused(ChatVerdict.Closed, null);
            }

            // The newest id so far and whether this is a retry of a stored message, in one query inside the lock. Not in
            // the UPDATE's RETURNING: on PostgreSQL that statement reads with the snapshot it took before it waited for the
            // lock, so it would miss the message that the transaction it waited for had just stored.
            var conversation = member.ConversationId;
            var side = member.Side;
            var state = await db.Conversations.AsNoTracking()
                .Where(c => c.Id == conversation)
                .Select(c => new
                {
                    PreviousId = db.ChatMessages.Where(m => m.ConversationId == conversation).Max(m => (long?)m.Id),
                    IsRetry = db.ChatMessages.Any(m => m.ConversationId == conversation && m.Sender == side && m.ClientMessageId == clientMessageId),
                })
                .SingleAsync(cancellationToken);
            if (state.IsRetry)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await FindAsync(member, clientMessageId, cancellationToken) is { } stored
                    ? new MessageStored(stored, IsNew: false)
                    : throw new InvalidOperationException("A stored chat message disappeared while its conversation was locked.");
            }

            var message = new ChatMessage(member.ConversationId, member.Side, clientMessageId, body, now);
            db.ChatMessages.Add(message);
            // The transaction is rolled back whole on any failure (below), so EF Core's savepoint around SaveChanges would
            // only cost two more statements per message.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            metrics.ChatMessageSent();
            return new MessageStored(ReadChatMessages.View(message, state.PreviousId ?? 0), IsNew: true);
        }
        catch (DbUpdateException)
        {
            // The unique index (conversation, side, client message id) refused a duplicate that got past both look-ups
            // (it cannot while the row lock holds, but the database is the guarantee, not this code): answer with the stored one.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            if (await FindAsync(member, clientMessageId, cancellationToken) is { } stored)
            {
                return new MessageStored(stored, IsNew: false);
            }

            throw;
        }
    }

    private async Task<ChatMessageView?> FindAsync(ChatMember member, Guid clientMessageId, CancellationToken cancellationToken)
    {
        var message = await db.ChatMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.ConversationId == member.ConversationId && m.Sender == member.Side && m.ClientMessageId == clientMessageId, cancellationToken);
        if (message is null)
        {
            return null;
        }

        var previousId = await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == member.ConversationId && m.Id < message.Id)
            .MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        return ReadChatMessages.View(message, previousId);
    }
}
