using Lotse.Domain.Mail;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Mail;

/// <summary>"Meine Anfragen": the client's mail threads, those with an unread answer first.</summary>
[Authorize(Roles = Roles.Client)]
public sealed class MyMailModel(MailAccess access, LoadMail load) : PageModel
{
    public IReadOnlyList<MailListItem> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await access.CurrentAsync(cancellationToken) is not { Side: MailSide.Client } client)
        {
            return Forbid();
        }

        Items = await load.ClientListAsync(client.Id, cancellationToken);
        return Page();
    }
}
