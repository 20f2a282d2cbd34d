using Lotse.Domain.Absences;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Absences;

/// <summary>The agency admin's way in: the counsellors of their agency with their running or next absence.</summary>
[Authorize(Roles = Roles.Admins)]
public sealed class TeamModel(LotseDb db, AgencyAdmin.AdminAgency adminAgency, TimeProvider clock) : PageModel
{
    public sealed record TeamRow(Guid CounsellorId, string Name, AbsencePeriod? Next);

    public IReadOnlyList<TeamRow> Rows { get; private set; } = [];

    public DateTime Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var now = Now;
        var agencyId = (await adminAgency.FindAsync(cancellationToken))?.Id;
        var counsellors = await (
                from c in db.Counsellors.AsNoTracking()
                join m in db.AgencyMemberships.AsNoTracking() on c.UserId equals m.UserId
                where m.AgencyId == agencyId
                select new { c.Id, c.DisplayName })
            .Distinct()
            .ToListAsync(cancellationToken);
        var ids = counsellors.Select(c => c.Id).ToList();
        var absences = await db.Absences.AsNoTracking()
            .Where(a => ids.Contains(a.CounsellorId) && a.EndUtc > now)
            .Select(a => new { a.CounsellorId, Period = new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note) })
            .ToListAsync(cancellationToken);
        Rows = counsellors
            .OrderBy(c => c.DisplayName, StringComparer.CurrentCulture)
            .Select(c => new TeamRow(c.Id, c.DisplayName, AbsenceRules.Next(absences.Where(a => a.CounsellorId == c.Id).Select(a => a.Period), now)))
            .ToList();
    }
}
