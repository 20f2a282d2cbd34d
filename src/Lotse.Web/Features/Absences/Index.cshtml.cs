using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Absences;

/// <summary>The signed-in counsellor's absences: running, upcoming, and past (collapsed).</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class IndexModel(LotseDb db, CounsellorLookup lookup, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, DateTime StartUtc, DateTime EndUtc, string Note, string CreatedBy);

    public IReadOnlyList<Row> Running { get; private set; } = [];

    public IReadOnlyList<Row> Upcoming { get; private set; } = [];

    public IReadOnlyList<Row> Past { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var counsellorId = await lookup.CurrentCounsellorIdAsync(cancellationToken);
        if (counsellorId is null)
        {
            return Forbid();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId)
            .OrderBy(a => a.StartUtc)
            .Select(a => new Row(a.Id, a.StartUtc, a.EndUtc, a.Note, a.CreatedBy))
            .ToListAsync(cancellationToken);
        Running = rows.Where(a => a.StartUtc <= now && now < a.EndUtc).ToList();
        Upcoming = rows.Where(a => a.StartUtc > now).ToList();
        Past = rows.Where(a => a.EndUtc <= now).OrderByDescending(a => a.StartUtc).ToList();
        return Page();
    }
}
