using System.Security.Claims;
using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>The signed-in person as the chat knows them: a counsellor or a client, with the id of that row.</summary>
public sealed record ChatCaller(ChatSide Side, Guid Id);

/// <summary>One side of one conversation, loaded for a caller who belongs to it.</summary>
public sealed record ChatMember(
    ChatCaller Caller,
    Guid ConversationId,
    Guid CounsellorId,
    Guid ClientId,
    string CounsellorName,
    string ClientNickname,
    DateTime? ClosedUtc,
    long CounsellorReadUpTo,
    long ClientReadUpTo)
{
    public ChatSide Side => Caller.Side;

    public bool IsClosed => ClosedUtc is not null;

    public long MyReadUpTo => Side == ChatSide.Counsellor ? CounsellorReadUpTo : ClientReadUpTo;

    public long OtherReadUpTo => Side == ChatSide.Counsellor ? ClientReadUpTo : CounsellorReadUpTo;

    /// <summary>The name of the person on the other side, as this side sees it.</summary>
    public string OtherName => Side == ChatSide.Counsellor ? ClientNickname : CounsellorName;
}

/// <summary>
/// Who may see a conversation: its counsellor and its client, looked up in the database from the signed-in user's id,
/// never from anything the browser sends. Anyone else gets null, whether or not the conversation exists.
/// </summary>
public sealed class ChatMembership(LotseDb db)
{
    public async Task<ChatCaller?> CallerAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        if (user.IsInRole(Roles.Counsellor))
        {
            var id = await db.Counsellors.AsNoTracking().Where(c => c.UserId == userId).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
            return id is { } counsellorId ? new ChatCaller(ChatSide.Counsellor, counsellorId) : null;
        }

        if (user.IsInRole(Roles.Client))
        {
            var id = await db.Clients.AsNoTracking().Where(c => c.UserId == userId).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
            return id is { } clientId ? new ChatCaller(ChatSide.Client, clientId) : null;
        }

        return null;
    }

    public async Task<ChatMember?> FindAsync(Guid conversationId, ChatCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var isCounsellor = caller.Side == ChatSide.Counsellor;
        return await (
                from c in db.Conversations.AsNoTracking()
                join co in db.Counsellors.AsNoTracking() on c.CounsellorId equals co.Id
                join cl in db.Clients.AsNoTracking() on c.ClientId equals cl.Id
                where c.Id == conversationId && (isCounsellor ? c.CounsellorId == caller.Id : c.ClientId == caller.Id)
                select new ChatMember(caller, c.Id, c.CounsellorId, c.ClientId, co.DisplayName, cl.Nickname, c.ClosedUtc, c.CounsellorReadUpTo, c.ClientReadUpTo))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
