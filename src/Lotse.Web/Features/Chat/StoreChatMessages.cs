using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Operations;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>A chat message whose text and sender were checked, waiting to be stored.</summary>
public sealed record PendingChatMessage(ChatMember Member, Guid ClientMessageId, string Body);

/// <summary>
/// Chat messages stored in batches (decision 19): what arrives while a batch is being stored goes into the next one, one
/// transaction for all of it (<see cref="GroupCommit{TRequest,TResult}"/>). A batch that fails is stored again message by message.
/// </summary>
public sealed class ChatMessageBatcher(IServiceScopeFactory scopes, ILogger<ChatMessageBatcher> logger)
    : GroupCommit<PendingChatMessage, SendResult>(scopes, logger)
{
    /// <summary>About a tenth of a second at the benchmark's target rate; a larger batch would hold its locks longer.</summary>
    protected override int MaxBatch => 100;

    protected override Task<IReadOnlyList<SendResult>> StoreAsync(IServiceProvider services, IReadOnlyList<PendingChatMessage> batch, CancellationToken cancellationToken) =>
        services.GetRequiredService<StoreChatMessages>().StoreAsync(batch, cancellationToken);
}

/// <summary>
/// Stores a batch of chat messages in one transaction, each exactly once per (conversation, side, client message id), and
/// only into a conversation that is still open. It locks every conversation of the batch first (in id order), so the
/// messages of one conversation are stored one transaction after the other and their ids become visible in order: a page
/// that catches up "since id X" can never skip one still being written, and no message slips in after a close.
/// </summary>
public sealed class StoreChatMessages(LotseDb db, ReadChatMessages read, LoadClientAvailability availability, TimeProvider clock, LotseMetrics metrics)
{
    public async Task<IReadOnlyList<SendResult>> StoreAsync(IReadOnlyList<PendingChatMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // One pooled connection for every statement of the batch: EF Core would otherwise rent, reset and return one per query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await StoreInTransactionAsync(batch, cancellationToken);
        }
        catch (DbUpdateException) when (batch.Count == 1)
        {
            // The unique index (conversation, side, client message id) refused a message stored before: a retry whose
            // acknowledgement was lost. Answered with the stored one. (In a batch of several, the batch is stored again one
            // by one, GroupCommit, and so comes here.)
            db.ChangeTracker.Clear();
            return await read.FindAsync(batch[0].Member, batch[0].ClientMessageId, cancellationToken) is { } stored
                ? [new MessageStored(stored, IsNew: false)]
                : throw new InvalidOperationException("A chat message was refused as a duplicate but is not stored.");
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<IReadOnlyList<SendResult>> StoreInTransactionAsync(IReadOnlyList<PendingChatMessage> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var conversations = batch.Select(m => m.Member.ConversationId).Distinct().Order().ToList();
        var results = new SendResult?[batch.Count];
        var refused = new List<(int Index, ChatVerdict Verdict)>();
        var fresh = new List<(int Index, ChatMessage Message)>();
        var first = new Dictionary<(Guid, ChatSide, Guid), int>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The transaction is rolled back whole on any failure, so EF Core's savepoint around SaveChanges would only cost
            // two more statements.
            db.Database.AutoSavepointsEnabled = false;
            await db.LockConversationsAsync(conversations, cancellationToken);
            await db.Conversations
                .Where(c => conversations.Contains(c.Id) && c.ClosedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageUtc, c => c.LastMessageUtc > now ? c.LastMessageUtc : now), cancellationToken);

            // Inside the locks: which conversations are still open, and the newest message id of each so far. Not in the
            // UPDATE's RETURNING: on PostgreSQL that statement reads with the snapshot it took before it waited for a lock,
            // so it would miss what the transaction it waited for stored.
            var state = await db.Conversations.AsNoTracking()
                .Where(c => conversations.Contains(c.Id))
                .Select(c => new
                {
                    c.Id,
                    IsOpen = c.ClosedUtc == null,
                    PreviousId = db.ChatMessages.Where(m => m.ConversationId == c.Id).Max(m => (long?)m.Id),
                })
                .ToDictionaryAsync(c => c.Id, cancellationToken);

            // Whether each client may write now (the counsellor's chat status, absence, the regular-clients toggle), decided
            // inside the locks for the whole batch; a counsellor answers in any open conversation of theirs.
            var mayWrite = await availability.ForChatMessagesAsync(
                batch.Where(m => m.Member.Side == ChatSide.Client).Select(m => (m.Member.CounsellorId, m.Member.ClientId)).Distinct().ToList(),
                cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var pending = batch[i];
                var verdict = !(state.TryGetValue(pending.Member.ConversationId, out var conversation) && conversation.IsOpen) ? ChatVerdict.Closed
                    : pending.Member.Side == ChatSide.Counsellor ? ChatVerdict.Allowed
                    : mayWrite.TryGetValue((pending.Member.CounsellorId, pending.Member.ClientId), out var current) ? ChatRules.ClientMayWrite(current, conversationClosed: false)
                    : ChatVerdict.NotReachable;
                if (!first.TryAdd((pending.Member.ConversationId, pending.Member.Side, pending.ClientMessageId), i))
                {
                    // The same message twice in one batch: stored once, both get it (filled in below).
                }
                else if (verdict != ChatVerdict.Allowed)
                {
                    refused.Add((i, verdict));
                }
                else
                {
                    // A retry of a message stored before is not looked up for every message: the unique index refuses it,
                    // and StoreAsync answers it with the stored one.
                    var message = new ChatMessage(pending.Member.ConversationId, pending.Member.Side, pending.ClientMessageId, pending.Body, now);
                    db.ChatMessages.Add(message);
                    fresh.Add((i, message));
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // Each new message names the one stored before it in its conversation: the newest before the batch, then the
            // batch's own in id order.
            foreach (var group in fresh.GroupBy(f => f.Message.ConversationId))
            {
                var before = state[group.Key].PreviousId ?? 0;
                foreach (var (index, message) in group.OrderBy(f => f.Message.Id))
                {
                    results[index] = new MessageStored(ReadChatMessages.View(message, before), IsNew: true);
                    before = message.Id;
                }
            }
        }

        metrics.ChatMessagesSent(fresh.Count);
        foreach (var (i, verdict) in refused)
        {
            // A retry of a stored message gets it back whatever changed since (closed, status): only the acknowledgement
            // was lost. Anyone else is told why (for a client: what else they can do).
            var member = batch[i].Member;
            results[i] = await read.FindAsync(member, batch[i].ClientMessageId, cancellationToken) is { } stored
                ? new MessageStored(stored, IsNew: false)
                : new SendRefused(verdict, member.Side == ChatSide.Client
                    ? await availability.LoadForClientAsync(member.CounsellorId, member.ClientId, cancellationToken)
                    : null);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            // A duplicate within the batch gets what its first copy got; for the sender it is a retry.
            results[i] ??= results[first[(batch[i].Member.ConversationId, batch[i].Member.Side, batch[i].ClientMessageId)]] switch
            {
                MessageStored stored => stored with { IsNew = false },
                var other => other,
            };
        }

        return results.Select(r => r!).ToList();
    }
}
