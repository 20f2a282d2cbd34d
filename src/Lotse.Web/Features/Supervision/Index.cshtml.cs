using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Supervision;

/// <summary>
/// "/verwaltung/aufsicht": the admin's live view of their agency – who is available how, the queue, overdue requests,
/// today's forwardings. Counts and times only: no subject, no message, no client. The board part reloads through
/// <see cref="OnGetBoardAsync"/> whenever <see cref="SupervisionHub"/> or the availability hub says something changed.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class IndexModel(AgencyAdmin.AdminAgency agencies, LoadSupervision load) : PageModel
{
    public SupervisionView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        View = await load.LoadAsync(agency, cancellationToken);
        return Page();
    }

    /// <summary>Only the board, for the live refresh.</summary>
    public async Task<IActionResult> OnGetBoardAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        return Partial("_Board", await load.LoadAsync(agency, cancellationToken));
    }
}
