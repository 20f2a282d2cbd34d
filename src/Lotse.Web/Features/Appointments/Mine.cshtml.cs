using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Appointments;

/// <summary>"Meine Termine": the client's own appointments, upcoming first; cancel up to the cut-off.</summary>
[Authorize(Roles = Roles.Client)]
public sealed class MineModel(LotseDb db, CounsellorLookup lookup, ManageAppointment manage, TimeProvider clock, AgencyAdmin.AgencyTermsLoader terms, IStringLocalizer<SharedResource> t, CounsellingContent content) : PageModel
{
    public sealed record Row(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel, AppointmentStatus Status, string CounsellorName, string? DeclineReason, AppointmentParty? CancelledBy, bool CanCancel);

    public IReadOnlyList<Row> Upcoming { get; private set; } = [];

    public IReadOnlyList<Row> Past { get; private set; } = [];

    [TempData]
    public string? Booked { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentClientIdAsync(cancellationToken) is not { } clientId)
        {
            return Forbid();
        }

        await LoadAsync(clientId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await lookup.CurrentClientIdAsync(cancellationToken) is not { } clientId)
        {
            return Forbid();
        }

        var refusal = await manage.CancelAsync(AppointmentParty.Client, clientId, id, cancellationToken);
        if (refusal == ManageRefusal.NotFound)
        {
            return NotFound();
        }

        if (refusal is { } r)
        {
            ModelState.AddModelError(string.Empty, ManageMessages.For(r, t));
            await LoadAsync(clientId, cancellationToken);
            return Page();
        }

        Booked = t["Der Termin ist abgesagt. Ihre Berater:in wird benachrichtigt."];
        return RedirectToPage();
    }

    private async Task LoadAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (
                from a in db.Appointments.AsNoTracking()
                join c in db.Counsellors.AsNoTracking() on a.CounsellorId equals c.Id
                where a.ClientId == clientId
                orderby a.StartUtc
                select new { a.Id, a.CounsellorId, a.StartUtc, a.EndUtc, a.Channel, a.Status, c.DisplayName, a.DeclineReason, a.CancelledBy })
            .ToListAsync(cancellationToken);
        // Each counsellor's agency sets its own cut-off; only upcoming appointments need one.
        var cutoffs = (await terms.ForCounsellorsAsync(rows.Where(a => a.EndUtc > now).Select(a => a.CounsellorId), cancellationToken))
            .ToDictionary(p => p.Key, p => p.Value.CancelCutoff);
        var all = rows.Select(a => new Row(a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status, a.DisplayName, content.RevealOrNull(a.DeclineReason), a.CancelledBy,
            a.Status is AppointmentStatus.Requested or AppointmentStatus.Confirmed
            && cutoffs.TryGetValue(a.CounsellorId, out var cutoff) && now <= a.StartUtc - cutoff)).ToList();
        Upcoming = all.Where(a => a.EndUtc > now).ToList();
        Past = all.Where(a => a.EndUtc <= now).Reverse().ToList();
    }
}
