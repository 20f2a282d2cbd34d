using System.Security.Claims;
using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency an admin administers: the one their membership names (the first by name, should there be several).
/// Every admin page and the supervision hub go through here, so that an admin never reaches another agency's data.
/// </summary>
public sealed class AdminAgency(LotseDb db, CurrentUser user)
{
    /// <summary>The signed-in admin's agency, tracked (the page may change it), or null for anyone else.</summary>
    public Task<Agency?> FindAsync(CancellationToken cancellationToken) => OfAsync(user.Principal, cancellationToken);

    /// <summary>The agency of <paramref name="principal"/> (a hub's caller), or null when they administer none.</summary>
    public async Task<Agency?> OfAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.IsInRole(Roles.AgencyAdmin) || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }

        return await db.Agencies
            .Where(a => db.AgencyMemberships.Any(m => m.UserId == userId && m.AgencyId == a.Id))
            .OrderBy(a => a.Name)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
