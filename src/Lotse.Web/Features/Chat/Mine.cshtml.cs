using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Chat;

/// <summary>The client's own conversations, so that an earlier chat can be found again (also a closed one, to read).</summary>
[Authorize(Roles = Roles.Client)]
public sealed class MyChatsModel(ChatMembership membership, LoadChatList load) : PageModel
{
    public ChatListView List { get; private set; } = new([], "/chat/");

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
        await membership.CallerAsync(User, cancellationToken) is { Side: ChatSide.Client } caller
            ? new ChatListView(await load.LoadAsync(caller, cancellationToken), "/chat/")
            : null;
}
