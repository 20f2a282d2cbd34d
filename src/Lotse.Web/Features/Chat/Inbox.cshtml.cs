using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>The counsellor's conversations: unread first, then the newest; closed ones marked. The list refreshes live.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class InboxModel(ChatMembership membership, LoadChatList load) : PageModel
{
    public ChatListView List { get; private set; } = new([], "/chats/");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } list)
        {
            return Forbid();
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
