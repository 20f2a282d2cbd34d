using Lotse.Domain.Chat;
using Lotse.Web.Features.Counsellors;

namespace Lotse.Web.Features.Chat;

/// <summary>Loads a chat page for the signed-in person: membership first (anyone else gets nothing), then messages and status.</summary>
public sealed class ChatPageLoader(ChatMembership membership, ReadChatMessages read, LoadClientAvailability availability, ChatTexts texts, TimeProvider clock)
{
    /// <summary>How many of the newest messages a page shows at first; older ones come on request.</summary>
    public const int FirstPage = 50;

    public async Task<ChatMember?> MemberAsync(System.Security.Claims.ClaimsPrincipal user, Guid conversationId, ChatSide side, CancellationToken cancellationToken)
    {
        var caller = await membership.CallerAsync(user, cancellationToken);
        if (caller is null || caller.Side != side)
        {
            return null;
        }

        return await membership.FindAsync(conversationId, caller, cancellationToken);
    }

    public async Task<ChatPanelView> PanelAsync(ChatMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var messages = await read.HistoryAsync(member.ConversationId, beforeId: null, FirstPage, cancellationToken);
        return new ChatPanelView(member, messages, await StatusAsync(member, cancellationToken), clock.GetUtcNow().UtcDateTime);
    }

    public async Task<ChatStatusView> StatusAsync(ChatMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.Side == ChatSide.Counsellor)
        {
            return new ChatStatusView(member, ChatRules.CounsellorMayWrite(member.IsClosed) == ChatVerdict.Allowed, null, null);
        }

        var view = await availability.LoadForClientAsync(member.CounsellorId, member.ClientId, cancellationToken);
        if (view is null)
        {
            return new ChatStatusView(member, false, null, null);
        }

        var verdict = ChatRules.ClientMayWrite(view.Availability, member.IsClosed);
        return verdict == ChatVerdict.Allowed
            ? new ChatStatusView(member, true, view, null)
            : new ChatStatusView(member, false, view, verdict == ChatVerdict.Closed ? null : texts.ForClient(verdict, view));
    }
}
