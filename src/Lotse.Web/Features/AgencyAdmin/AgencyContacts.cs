using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>An agency's own support contact, when it has set one.</summary>
public sealed record AgencyContact(string AgencyName, SupportContactDetails Support);

/// <summary>
/// Finds the support contact an agency set (issue 8): for its counsellors and admins (page footer) and for clients on
/// its counsellors' pages. Null when the agency set none; the installation's contact is shown then.
/// </summary>
public sealed class AgencyContacts(LotseDb db, CounsellorAgencies agencies)
{
    public async Task<AgencyContact?> ForCounsellorAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        Of(await agencies.OfAsync(counsellorId, cancellationToken));

    /// <summary>For a counsellor or admin: their agency's contact (the first by name, as the admin pages take it).</summary>
    public async Task<AgencyContact?> ForStaffAsync(string userId, CancellationToken cancellationToken) =>
        Of(await db.Agencies.AsNoTracking()
            .Where(a => db.AgencyMemberships.Any(m => m.UserId == userId && m.AgencyId == a.Id))
            .OrderBy(a => a.Name)
            .FirstOrDefaultAsync(cancellationToken));

    private static AgencyContact? Of(Agency? agency) =>
        agency is null || agency.Support.IsEmpty ? null : new AgencyContact(agency.Name, agency.Support);
}
