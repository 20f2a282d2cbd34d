using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency the signed-in admin administers: the one their membership names (the first by name, should there be
/// several). Every admin page goes through here, so that an admin never reaches another agency's settings.
/// </summary>
public sealed class AdminAgency(LotseDb db, CurrentUser user)
{
    /// <summary>The admin's agency, tracked (the page may change it), or null for anyone without one.</summary>
    public async Task<Agency?> FindAsync(CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId)
        {
            return null;
        }

        return await db.Agencies
            .Where(a => db.AgencyMemberships.Any(m => m.UserId == userId && m.AgencyId == a.Id))
            .OrderBy(a => a.Name)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
