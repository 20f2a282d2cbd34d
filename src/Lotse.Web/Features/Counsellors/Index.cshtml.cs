using Lotse.Web.Data;
using Lotse.Web.Features.CounsellorAdmin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Counsellors;

/// <summary>The counsellors an advice seeker can turn to, by agency. Public, like a centre's website.</summary>
[AllowAnonymous]
public sealed class IndexModel(LotseDb db) : PageModel
{
    public sealed record CounsellorLink(Guid Id, string DisplayName);

    public sealed record AgencyGroup(Guid Id, string Name, IReadOnlyList<CounsellorLink> Counsellors);

    public IReadOnlyList<AgencyGroup> Agencies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = await (
                from m in db.AgencyMemberships.AsNoTracking()
                join a in db.Agencies.AsNoTracking() on m.AgencyId equals a.Id
                join c in db.Counsellors.AsNoTracking().Active(db) on m.UserId equals c.UserId
                select new { AgencyId = a.Id, AgencyName = a.Name, c.Id, c.DisplayName })
            .ToListAsync(cancellationToken);
        Agencies = rows
            .GroupBy(r => (r.AgencyId, r.AgencyName))
            .OrderBy(g => g.Key.AgencyName, StringComparer.CurrentCulture)
            .Select(g => new AgencyGroup(
                g.Key.AgencyId,
                g.Key.AgencyName,
                g.OrderBy(r => r.DisplayName, StringComparer.CurrentCulture).Select(r => new CounsellorLink(r.Id, r.DisplayName)).ToList()))
            .ToList();
    }
}
