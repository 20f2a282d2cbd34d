using System.Security.Claims;
using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Supervision;

/// <summary>The agency an admin supervises: the one they are a member of (the first by name, as the mail settings choose).</summary>
public sealed class SupervisionAgency(LotseDb db)
{
    public Task<Agency?> OfAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null
            ? Task.FromResult<Agency?>(null)
            : db.Agencies.AsNoTracking()
                .Where(a => db.AgencyMemberships.Any(m => m.UserId == userId && m.AgencyId == a.Id))
                .OrderBy(a => a.Name)
                .FirstOrDefaultAsync(cancellationToken);
    }
}
