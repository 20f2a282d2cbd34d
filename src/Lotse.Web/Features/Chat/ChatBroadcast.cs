using Lotse.Domain.Chat;
using Microsoft.AspNetCore.SignalR;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// Everything the chat sends to pages, by group: each side of a conversation has its own group (so that typing and read
/// receipts reach the other side only, in all of its tabs), and each counsellor and client an inbox group for their lists.
/// Used by the hub and by page handlers (closing from the page), through the hub context.
/// </summary>
public sealed class ChatBroadcast(IHubContext<ChatHub> hub)
{
    public const string MessageEvent = "message";
    public const string TypingEvent = "typing";
    public const string ReadEvent = "read";
    public const string ClosedEvent = "closed";

    /// <summary>"Something changed in one of your conversations": lists and unread badges reload.</summary>
    public const string InboxEvent = "inbox";

    // No cancellation tokens below: once a message is stored, telling the others must not stop because the sender's
    // connection went away in the meantime.
    public Task MessageAsync(ChatMember member, ChatMessageView message)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Task.WhenAll(
            hub.Clients.Groups(SideGroup(member.ConversationId, ChatSide.Counsellor), SideGroup(member.ConversationId, ChatSide.Client))
                .SendAsync(MessageEvent, message),
            InboxAsync(member));
    }

    public Task TypingAsync(ChatMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return hub.Clients.Group(SideGroup(member.ConversationId, ChatRules.Other(member.Side)))
            .SendAsync(TypingEvent, new { conversationId = member.ConversationId, side = ChatSides.Name(member.Side) });
    }

    /// <summary>The receipt goes to the other side (their messages now show "gelesen") and to the reader's own other tabs.</summary>
    public Task ReadAsync(ChatMember member, ChatReadReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Task.WhenAll(
            hub.Clients.Groups(SideGroup(member.ConversationId, ChatSide.Counsellor), SideGroup(member.ConversationId, ChatSide.Client))
                .SendAsync(ReadEvent, receipt),
            InboxAsync(member));
    }

    public Task ClosedAsync(ChatMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Task.WhenAll(
            hub.Clients.Groups(SideGroup(member.ConversationId, ChatSide.Counsellor), SideGroup(member.ConversationId, ChatSide.Client))
                .SendAsync(ClosedEvent, new { conversationId = member.ConversationId }),
            InboxAsync(member));
    }

    /// <summary>A client opened a new conversation: the counsellor's list shows it before the first message.</summary>
    public Task StartedAsync(Guid counsellorId, Guid conversationId) =>
        hub.Clients.Group(CounsellorInbox(counsellorId)).SendAsync(InboxEvent, conversationId);

    private Task InboxAsync(ChatMember member) =>
        hub.Clients.Groups(CounsellorInbox(member.CounsellorId), ClientInbox(member.ClientId)).SendAsync(InboxEvent, member.ConversationId);

    internal static string SideGroup(Guid conversationId, ChatSide side) => $"chat:{conversationId:N}:{ChatSides.Name(side)}";

    internal static string CounsellorInbox(Guid counsellorId) => $"chat-inbox:counsellor:{counsellorId:N}";

    internal static string ClientInbox(Guid clientId) => $"chat-inbox:client:{clientId:N}";
}
