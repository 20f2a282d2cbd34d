using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>
/// What an agency admin may manage: their own agency (the first of their memberships, as on the other admin pages) and
/// the counsellors who belong to it. A counsellor of another agency is simply not found (404), so nothing tells an
/// admin of agency A what exists at agency B.
/// </summary>
public sealed class AdminScope(LotseDb db, AgencyAdmin.AdminAgency adminAgency, CurrentUser user)
{
    public Task<Agency?> AgencyAsync(CancellationToken cancellationToken) => adminAgency.FindAsync(cancellationToken);

    /// <summary>The counsellor, tracked, when they belong to the agency; null otherwise.</summary>
    public Task<Counsellor?> CounsellorAsync(Guid agencyId, Guid counsellorId, CancellationToken cancellationToken) =>
        db.Counsellors
            .Where(c => c.Id == counsellorId && db.AgencyMemberships.Any(m => m.UserId == c.UserId && m.AgencyId == agencyId))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The agency's active counsellors (ids and names), for choosing who takes over.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ActiveCounsellorsAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        var rows = await db.Counsellors.AsNoTracking().Active(db)
            .Where(c => db.AgencyMemberships.Any(m => m.UserId == c.UserId && m.AgencyId == agencyId))
            .Select(c => new { c.Id, c.DisplayName })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.DisplayName)).OrderBy(r => r.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    public bool IsSelf(Counsellor counsellor) => counsellor?.UserId == user.UserId;
}
