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

    public async Task<Agency?> OfAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        (await OfAsync([counsellorId], cancellationToken))[counsellorId];

    /// <summary>The agencies of several counsellors in one query (a batch of mail requests); null for a counsellor without one.</summary>
    public async Task<IReadOnlyDictionary<Guid, Agency?>> OfAsync(IReadOnlyCollection<Guid> counsellorIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellorIds);
        var missing = counsellorIds.Where(id => !_byCounsellor.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            // Ordered by the database, as "first by id" has always meant: .NET orders Guids differently from PostgreSQL.
            var rows = await (from c in db.Counsellors
                              join m in db.AgencyMemberships on c.UserId equals m.UserId
                              join a in db.Agencies on m.AgencyId equals a.Id
                              where missing.Contains(c.Id)
                              orderby a.Id
                              select new { CounsellorId = c.Id, Agency = a })
                .AsNoTracking().ToListAsync(cancellationToken);
            foreach (var id in missing)
            {
                _byCounsellor[id] = rows.FirstOrDefault(r => r.CounsellorId == id)?.Agency;
            }
        }

        return counsellorIds.Distinct().ToDictionary(id => id, id => _byCounsellor[id]);
    }
}
