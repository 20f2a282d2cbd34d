using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>The counsellor's side of one conversation, with "Chat beenden". Only this conversation's counsellor sees it; anyone else gets 404.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class CounsellorChatModel(ChatPageLoader loader, CloseConversation close, ChatBroadcast broadcast, AuditLog audit) : PageModel
{
    public ChatPanelView Panel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var member = await loader.MemberAsync(User, conversationId, ChatSide.Counsellor, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }

        await audit.RecordReadAsync(AuditAction.ChatConversationRead, AuditTarget.Of(AuditTargetType.Conversation, conversationId), null, "Chat geöffnet", cancellationToken);
        Panel = await loader.PanelAsync(member, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var member = await loader.MemberAsync(User, conversationId, ChatSide.Counsellor, cancellationToken);
        return member is null ? NotFound() : Partial("_ChatStatus", await loader.StatusAsync(member, cancellationToken));
    }

    /// <summary>"Chat beenden": closes it for both sides; the client's open page hears it at once.</summary>
    public async Task<IActionResult> OnPostCloseAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var member = await loader.MemberAsync(User, conversationId, ChatSide.Counsellor, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }

        if (await close.CloseAsync(member, cancellationToken))
        {
            await broadcast.ClosedAsync(member);
        }

        return Redirect($"/chats/{conversationId}");
    }
}
