using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;
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
public sealed class SendMessage(LotseDb db, LoadClientAvailability availability, TimeProvider clock)
{
    public async Task<SendResult> SendAsync(ChatMember member, Guid clientMessageId, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var checkedText = ChatRules.CheckText(text);
        if (!checkedText.IsValid)
        {
            return new SendInvalid(checkedText.Problem);
        }

        // A retry of a stored message is answered with that message whatever has changed since (closed, status):
        // the sender only lost the acknowledgement, the message itself was accepted.
        if (await FindAsync(member, clientMessageId, cancellationToken) is { } stored)
        {
            return new MessageStored(stored, IsNew: false);
        }

        if (member.Side == ChatSide.Client)
        {
            var view = await availability.LoadForClientAsync(member.CounsellorId, member.ClientId, cancellationToken);
            var verdict = view is null ? ChatVerdict.NotReachable : ChatRules.ClientMayWrite(view.Availability, member.IsClosed);
            if (verdict != ChatVerdict.Allowed)
            {
                return new SendRefused(verdict, view);
            }
        }
        else if (ChatRules.CounsellorMayWrite(member.IsClosed) is var verdict && verdict != ChatVerdict.Allowed)
        {
            return new SendRefused(verdict, null);
        }

        return await StoreAsync(member, clientMessageId, checkedText.Text, cancellationToken);
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
                return new SendRefused(ChatVerdict.Closed, null);
            }

            if (await FindAsync(member, clientMessageId, cancellationToken) is { } stored)
            {
                await transaction.RollbackAsync(cancellationToken);
                return new MessageStored(stored, IsNew: false);
            }

            var previousId = await db.ChatMessages
                .Where(m => m.ConversationId == member.ConversationId)
                .MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
            var message = new ChatMessage(member.ConversationId, member.Side, clientMessageId, body, now);
            db.ChatMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new MessageStored(ReadChatMessages.View(message, previousId), IsNew: true);
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
