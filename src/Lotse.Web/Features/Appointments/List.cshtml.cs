using System.ComponentModel.DataAnnotations;
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

/// <summary>The counsellor's appointments with filters: requested (to confirm or decline), confirmed, past, cancelled.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class ListModel(LotseDb db, CounsellorLookup lookup, ManageAppointment manage, TimeProvider clock, AgencyAdmin.AgencyTermsLoader terms, IStringLocalizer<SharedResource> t, CounsellingContent content) : PageModel
{
    public static readonly string[] Filters = ["angefragt", "bestaetigt", "vergangen", "abgesagt"];

    public sealed record Row(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel, AppointmentStatus Status, string ClientName, string? Topic, AppointmentParty? CancelledBy, bool CanCancel);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    [BindProperty(SupportsGet = true, Name = "filter")]
    public string? Filter { get; set; } = "angefragt";

    [BindProperty]
    [StringLength(Appointment.MaxReasonLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
    [Display(Name = "Begründung (freiwillig)")]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentCounsellorIdAsync(cancellationToken) is not { } counsellorId)
        {
            return Forbid();
        }

        await LoadAsync(counsellorId, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(counsellorId => manage.ConfirmAsync(counsellorId, id, cancellationToken), t["Der Termin ist bestätigt. Die ratsuchende Person wird benachrichtigt."], cancellationToken);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(counsellorId => manage.DeclineAsync(counsellorId, id, Reason, cancellationToken), t["Die Anfrage ist abgelehnt. Die ratsuchende Person wird benachrichtigt."], cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(counsellorId => manage.CancelAsync(AppointmentParty.Counsellor, counsellorId, id, cancellationToken), t["Der Termin ist abgesagt. Die ratsuchende Person wird benachrichtigt."], cancellationToken);

    private async Task<IActionResult> ActAsync(Func<Guid, Task<ManageRefusal?>> act, string done, CancellationToken cancellationToken)
    {
        if (await lookup.CurrentCounsellorIdAsync(cancellationToken) is not { } counsellorId)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(counsellorId, cancellationToken);
            return Page();
        }

        var refusal = await act(counsellorId);
        if (refusal == ManageRefusal.NotFound)
        {
            return NotFound();
        }

        if (refusal is { } r)
        {
            ModelState.AddModelError(string.Empty, ManageMessages.For(r, t));
            await LoadAsync(counsellorId, cancellationToken);
            return Page();
        }

        Message = done;
        return LocalRedirect($"/termine?filter={Uri.EscapeDataString(Filter ?? "angefragt")}");
    }

    private async Task LoadAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!Filters.Contains(Filter))
        {
            Filter = "angefragt";
        }

        var mine = db.Appointments.AsNoTracking().Where(a => a.CounsellorId == counsellorId);
        var requested = mine.Where(a => a.Status == AppointmentStatus.Requested && a.EndUtc > now);
        var confirmed = mine.Where(a => a.Status == AppointmentStatus.Confirmed && a.EndUtc > now);
        var past = mine.Where(a => a.Status == AppointmentStatus.Confirmed && a.EndUtc <= now);
        var ended = mine.Where(a => a.Status == AppointmentStatus.Cancelled || a.Status == AppointmentStatus.Declined);
        Counts = new Dictionary<string, int>
        {
            ["angefragt"] = await requested.CountAsync(cancellationToken),
            ["bestaetigt"] = await confirmed.CountAsync(cancellationToken),
        };
        var query = Filter switch
        {
            "bestaetigt" => confirmed.OrderBy(a => a.StartUtc),
            "vergangen" => past.OrderByDescending(a => a.StartUtc),
            "abgesagt" => ended.OrderByDescending(a => a.StartUtc),
            _ => requested.OrderBy(a => a.StartUtc),
        };
        var cutoff = (await terms.ForCounsellorAsync(counsellorId, cancellationToken)).CancelCutoff;
        var rows = await (
                from a in query.Take(200)
                join c in db.Clients.AsNoTracking() on a.ClientId equals c.Id
                select new { a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status, c.Nickname, a.Topic, a.CancelledBy })
            .ToListAsync(cancellationToken);
        Rows = rows.Select(a => new Row(a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status, a.Nickname, content.RevealOrNull(a.Topic), a.CancelledBy,
            a.Status is AppointmentStatus.Requested or AppointmentStatus.Confirmed && now <= a.StartUtc - cutoff)).ToList();
    }
}
