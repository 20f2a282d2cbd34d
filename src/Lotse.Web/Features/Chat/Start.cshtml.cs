using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// "Chat starten" on a counsellor's profile posts here: the client lands in their open chat with this counsellor (a new
/// one if there is none), or, when the status does not allow a chat now, reads why and what else they can do.
/// </summary>
[Authorize(Roles = Roles.Client)]
public sealed class StartChatModel(ChatMembership membership, StartConversation start, ChatTexts texts, ChatBroadcast broadcast) : PageModel
{
    public Guid CounsellorId { get; private set; }

    public string CounsellorName { get; private set; } = "";

    public ChatRefusalText? Refusal { get; private set; }

    /// <summary>Nothing is started by a GET (a link, a reload, the way back from the login page): back to the profile.</summary>
    public IActionResult OnGet(Guid counsellorId) => Redirect($"/berater/{counsellorId}");

    public async Task<IActionResult> OnPostAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (await membership.CallerAsync(User, cancellationToken) is not { Side: ChatSide.Client } caller)
        {
            return Forbid();
        }

        switch (await start.StartAsync(caller.Id, counsellorId, cancellationToken))
        {
            case ConversationStarted started:
                if (started.IsNew)
                {
                    await broadcast.StartedAsync(counsellorId, started.ConversationId);
                }

                return Redirect($"/chat/{started.ConversationId}");
            case StartRefused refused:
                CounsellorId = counsellorId;
                CounsellorName = refused.Availability.DisplayName;
                Refusal = texts.ForClient(refused.Verdict, refused.Availability);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFound();
        }
    }
}
