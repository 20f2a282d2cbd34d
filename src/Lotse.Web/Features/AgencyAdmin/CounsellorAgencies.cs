using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency a counsellor's clients deal with: their first agency by id (counsellors rarely have more than one), the
/// one whose settings, closing days, contact and queue apply and to which their mail requests and audit entries belong.
/// One query (the agency row itself, found through the counsellor's membership), read once per request: a page asks
/// for it from several places (availability, slot planner, contact), and reads a few milliseconds apart should not
/// disagree anyway. Scoped, like the LotseDb it reads.
/// </summary>
public sealed class CounsellorAgencies(LotseDb db)
{
    private readonly Dictionary<Guid, Agency?> _byCounsellor = [];

    public async Task<Agency?> OfAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (!_byCounsellor.TryGetValue(counsellorId, out var agency))
        {
            agency = await db.Agencies.AsNoTracking()
                .Where(a => db.AgencyMemberships.Any(m => m.AgencyId == a.Id
                    && db.Counsellors.Any(c => c.Id == counsellorId && c.UserId == m.UserId)))
                .OrderBy(a => a.Id)
                .FirstOrDefaultAsync(cancellationToken);
            _byCounsellor[counsellorId] = agency;
        }

        return agency;
    }
}
