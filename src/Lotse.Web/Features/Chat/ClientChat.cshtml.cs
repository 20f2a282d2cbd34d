using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// The client's chat with one counsellor. Anyone but this conversation's client gets 404 (a counsellor 403, by role),
/// whether or not the conversation exists. The status part (online, may I write, why not) refreshes live.
/// </summary>
[Authorize(Roles = Roles.Client)]
public sealed class ClientChatModel(ChatPageLoader loader) : PageModel
{
    public ChatPanelView Panel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var member = await loader.MemberAsync(User, conversationId, ChatSide.Client, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }

        Panel = await loader.PanelAsync(member, cancellationToken);
        return Page();
    }

    /// <summary>Only the status part, for the live refresh when the counsellor's availability changes.</summary>
    public async Task<IActionResult> OnGetStatusAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var member = await loader.MemberAsync(User, conversationId, ChatSide.Client, cancellationToken);
        return member is null ? NotFound() : Partial("_ChatStatus", await loader.StatusAsync(member, cancellationToken));
    }
}
