using Lotse.Web.Features.Counsellors;

namespace Lotse.Web.Features.Chat;

/// <summary>Everything the shared chat panel (_ChatPanel) shows: the conversation, the newest messages, and the status line.</summary>
public sealed record ChatPanelView(ChatMember Member, ChatMessagePage Messages, ChatStatusView Status, DateTime NowUtc);

/// <summary>
/// Whether this side can write now, and why not. For a client it also carries the counsellor's availability (online or
/// not, absence note) and, when refused, the explanation with alternatives; the page refreshes it live.
/// </summary>
public sealed record ChatStatusView(ChatMember Member, bool CanWrite, CounsellorAvailabilityView? Counsellor, ChatRefusalText? Refusal);

/// <summary>A list of conversations, for the counsellor (/chats) or the client (/chat).</summary>
public sealed record ChatListView(IReadOnlyList<ChatListItem> Items, string LinkPrefix);
