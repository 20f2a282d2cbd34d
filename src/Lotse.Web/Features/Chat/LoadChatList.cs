using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Security;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>One conversation in a list: who with, when last written, how many unread, and the start of the newest message.</summary>
public sealed record ChatListItem(Guid ConversationId, string OtherName, DateTime LastMessageUtc, DateTime? ClosedUtc, int Unread, string Preview)
{
    public bool IsClosed => ClosedUtc is not null;
}

/// <summary>The conversations of the signed-in counsellor or client: unread first, then the newest.</summary>
public sealed class LoadChatList(LotseDb db, CounsellingContent content)
{
    /// <summary>The newest conversations shown; older ones are rarely looked for and would only make the list long.</summary>
    public const int MaxItems = 200;

    public const int PreviewLength = 80;

    public async Task<IReadOnlyList<ChatListItem>> LoadAsync(ChatCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var isCounsellor = caller.Side == ChatSide.Counsellor;
        var other = ChatRules.Other(caller.Side);
        var rows = await (
                from c in db.Conversations.AsNoTracking()
                join co in db.Counsellors.AsNoTracking() on c.CounsellorId equals co.Id
                join cl in db.Clients.AsNoTracking() on c.ClientId equals cl.Id
                where isCounsellor ? c.CounsellorId == caller.Id : c.ClientId == caller.Id
                orderby c.LastMessageUtc descending
                select new
                {
                    c.Id,
                    OtherName = isCounsellor ? cl.Nickname : co.DisplayName,
                    c.LastMessageUtc,
                    c.ClosedUtc,
                    // The rule of ChatRules.IsUnread, as SQL: the other side's messages after my read marker.
                    Unread = db.ChatMessages.Count(m => m.ConversationId == c.Id && m.Sender == other
                        && m.Id > (isCounsellor ? c.CounsellorReadUpTo : c.ClientReadUpTo)),
                    Last = db.ChatMessages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.Id).Select(m => m.Body).FirstOrDefault(),
                })
            .Take(MaxItems)
            .ToListAsync(cancellationToken);

        return rows
            .Select(r => new ChatListItem(r.Id, r.OtherName, r.LastMessageUtc, r.ClosedUtc, r.Unread, Preview(content.RevealOrNull(r.Last))))
            .OrderByDescending(r => r.Unread > 0)
            .ThenByDescending(r => r.LastMessageUtc)
            .ToList();
    }

    /// <summary>Unread messages over all of the caller's conversations (the rule of <see cref="ChatRules.IsUnread"/>).</summary>
    public Task<int> UnreadAsync(ChatCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var isCounsellor = caller.Side == ChatSide.Counsellor;
        var other = ChatRules.Other(caller.Side);
        return (
                from c in db.Conversations.AsNoTracking()
                where isCounsellor ? c.CounsellorId == caller.Id : c.ClientId == caller.Id
                from m in db.ChatMessages.AsNoTracking()
                where m.ConversationId == c.Id && m.Sender == other && m.Id > (isCounsellor ? c.CounsellorReadUpTo : c.ClientReadUpTo)
                select m.Id)
            .CountAsync(cancellationToken);
    }

    private static string Preview(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return "";
        }

        var line = body.ReplaceLineEndings(" ");
        if (line.Length <= PreviewLength)
        {
            return line;
        }

        // Never cut between the two halves of a surrogate pair (an emoji would turn into a broken character).
        var cut = char.IsHighSurrogate(line[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
        return line[..cut].TrimEnd() + "…";
    }
}
