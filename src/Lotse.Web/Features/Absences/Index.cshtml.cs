using Lotse.Domain.Absences;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

/// <summary>
/// "Abwesenheiten": running, upcoming and (collapsed) past absences of a counsellor, managed by the
/// counsellor or by an admin of their agency (<c>?berater=id</c>). After a save, the confirmed appointments
/// that fall into the saved absence are listed as a warning; nothing is cancelled silently.
/// </summary>
[Authorize(Roles = Roles.Counsellor + "," + Roles.Admins)]
public sealed class IndexModel(LotseDb db, AbsenceAccess access, SaveAbsence save, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Row(Guid Id, DateTime StartUtc, DateTime EndUtc, string Note, string CreatedBy);

    public sealed record AffectedAppointment(Guid Id, DateTime StartUtc, DateTime EndUtc, string ClientName);

    public AbsenceOwner Owner { get; private set; } = null!;

    public IReadOnlyList<Row> Running { get; private set; } = [];

    public IReadOnlyList<Row> Upcoming { get; private set; } = [];

    public IReadOnlyList<Row> Past { get; private set; } = [];

    public IReadOnlyList<AffectedAppointment> Affected { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "berater")]
    public Guid? Berater { get; set; }

    [BindProperty(SupportsGet = true, Name = "gespeichert")]
    public Guid? SavedId { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>Query string that keeps an admin on the counsellor they manage.</summary>
    public string Query => Owner.ForCounsellor is { } id ? $"?berater={id}" : "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return NotFound();
        }

        Owner = owner;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEndNowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return NotFound();
        }

        Owner = owner;
        var outcome = await save.EndNowAsync(owner, id, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome.Problem is { } problem)
        {
            AbsenceMessages.Add(ModelState, t, problem);
            await LoadAsync(cancellationToken);
            return Page();
        }

        Message = t["Die Abwesenheit ist beendet. Sie sind ab sofort wieder erreichbar, wie in Ihrem Accountstatus eingestellt."];
        return LocalRedirect("/abwesenheiten" + Query);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == Owner.CounsellorId)
            .OrderBy(a => a.StartUtc)
            .Select(a => new Row(a.Id, a.StartUtc, a.EndUtc, a.Note, a.CreatedBy))
            .ToListAsync(cancellationToken);
        Running = rows.Where(a => a.StartUtc <= now && now < a.EndUtc).ToList();
        Upcoming = rows.Where(a => a.StartUtc > now).ToList();
        Past = rows.Where(a => a.EndUtc <= now).OrderByDescending(a => a.StartUtc).ToList();

        if (SavedId is { } savedId && rows.SingleOrDefault(a => a.Id == savedId) is { } saved && saved.EndUtc > now)
        {
            var fromUtc = saved.StartUtc < now ? now : saved.StartUtc;
            var candidates = await (
                    from a in db.Appointments.AsNoTracking()
                    join c in db.Clients.AsNoTracking() on a.ClientId equals c.Id
                    where a.CounsellorId == Owner.CounsellorId && a.Status == AppointmentStatus.Confirmed
                        && a.StartUtc < saved.EndUtc && a.EndUtc > fromUtc
                    orderby a.StartUtc
                    select new AffectedAppointment(a.Id, a.StartUtc, a.EndUtc, c.Nickname))
                .ToListAsync(cancellationToken);
            Affected = AbsencePlanning.Affected(fromUtc, saved.EndUtc, candidates, a => (a.StartUtc, a.EndUtc));
        }
    }
}
