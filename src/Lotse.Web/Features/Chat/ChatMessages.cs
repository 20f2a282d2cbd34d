using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// A stored message as both pages get it. <paramref name="Sender"/> is "counsellor" or "client".
/// <paramref name="PreviousId"/> is the id of the message stored just before it in the same conversation (0 for the
/// first), set on live messages and acknowledgements: a page that does not know that message has missed something
/// and fetches it. Null on pages of history, which are complete ranges by themselves.
/// </summary>
public sealed record ChatMessageView(long Id, Guid ConversationId, string Sender, Guid ClientMessageId, string Body, DateTime SentUtc, long? PreviousId = null);

/// <summary>A page of messages, oldest first; <paramref name="HasMore"/> when the range goes on beyond it.</summary>
public sealed record ChatMessagePage(IReadOnlyList<ChatMessageView> Messages, bool HasMore);

public static class ChatSides
{
    public const string Counsellor = "counsellor";
    public const string Client = "client";

    public static string Name(ChatSide side) => side == ChatSide.Counsellor ? Counsellor : Client;
}

/// <summary>Reading a conversation: older pages (history) and everything after a message (catching up after a reconnect).</summary>
public sealed class ReadChatMessages(LotseDb db)
{
    public const int MaxPage = 100;
    public const int MaxSince = 200;

    /// <summary>The <paramref name="take"/> messages before <paramref name="beforeId"/> (or the newest), oldest first.</summary>
    public async Task<ChatMessagePage> HistoryAsync(Guid conversationId, long? beforeId, int take, CancellationToken cancellationToken)
    {
        take = Math.Clamp(take, 1, MaxPage);
        var query = db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        if (beforeId is { } before)
        {
            query = query.Where(m => m.Id < before);
        }

        var rows = await query.OrderByDescending(m => m.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = rows.Take(take).Reverse().Select(m => View(m)).ToList();
        return new ChatMessagePage(page, rows.Count > take);
    }

    /// <summary>Every message after <paramref name="afterId"/>, oldest first, at most <see cref="MaxSince"/> at a time.</summary>
    public async Task<ChatMessagePage> SinceAsync(Guid conversationId, long afterId, CancellationToken cancellationToken)
    {
        var rows = await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Id > afterId)
            .OrderBy(m => m.Id)
            .Take(MaxSince + 1)
            .ToListAsync(cancellationToken);
        return new ChatMessagePage(rows.Take(MaxSince).Select(m => View(m)).ToList(), rows.Count > MaxSince);
    }

    /// <summary>The message this side sent with <paramref name="clientMessageId"/>, naming the one stored before it; null if none.</summary>
    public async Task<ChatMessageView?> FindAsync(ChatMember member, Guid clientMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var message = await db.ChatMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.ConversationId == member.ConversationId && m.Sender == member.Side && m.ClientMessageId == clientMessageId, cancellationToken);
        if (message is null)
        {
            return null;
        }

        var previousId = await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == member.ConversationId && m.Id < message.Id)
            .MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        return View(message, previousId);
    }

    public static ChatMessageView View(ChatMessage message, long? previousId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ChatMessageView(message.Id, message.ConversationId, ChatSides.Name(message.Sender), message.ClientMessageId, message.Body, message.SentUtc, previousId);
    }
}
