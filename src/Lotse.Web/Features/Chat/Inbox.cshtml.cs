using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>The counsellor's conversations: unread first, then the newest; closed ones marked. The list refreshes live.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class InboxModel(ChatMembership membership, LoadChatList load, AuditLog audit) : PageModel
{
    public ChatListView List { get; private set; } = new([], "/chats/");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } list)
        {
            return Forbid();
        }

        // The list shows the start of each newest message. The live refresh of an open list (OnGetList) is not recorded
        // again: it is the same page, kept current, and would write an entry for every message that arrives.
        if (await membership.CallerAsync(User, cancellationToken) is { } caller)
        {
            await audit.RecordReadAsync(AuditAction.ChatListViewed, AuditTarget.Of(AuditTargetType.Counsellor, caller.Id), null,
                $"Chatliste mit Vorschau angesehen ({list.Items.Count} Chats)", cancellationToken);
        }

        List = list;
        return Page();
    }

    public async Task<IActionResult> OnGetListAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is { } list ? Partial("_ChatList", list) : Forbid();

    private async Task<ChatListView?> LoadAsync(CancellationToken cancellationToken) =>
        await membership.CallerAsync(User, cancellationToken) is { Side: ChatSide.Counsellor } caller
            ? new ChatListView(await load.LoadAsync(caller, cancellationToken), "/chats/")
            : null;
}
