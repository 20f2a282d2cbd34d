using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency's closing days: no bookable appointment slots on them for any of its counsellors. The public holidays of
/// the agency's state are offered for this year and the next, to take over with one click; other days are added one
/// by one (a day off between holidays, the team day).
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class ClosingDaysModel(LotseDb db, AdminAgency adminAgency, AuditLog audit, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record OfferedHoliday(PublicHoliday Holiday, bool Taken);

    [BindProperty]
    public DayInput Input { get; set; } = new();

    /// <summary>The holidays ticked in the offer, as ISO dates.</summary>
    [BindProperty]
    public List<string> Holidays { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "jahr")]
    public int? Year { get; set; }

    [TempData]
    public string? Saved { get; set; }

    public string AgencyName { get; private set; } = "";

    public FederalState State { get; private set; }

    public IReadOnlyList<AgencyClosingDay> Days { get; private set; } = [];

    public IReadOnlyList<OfferedHoliday> Offer { get; private set; } = [];

    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? Forbid() : Page();

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        if (ModelState.IsValid && Input.Date is { } date && Days.Any(d => d.Date == date))
        {
            ModelState.AddModelError("Input.Date", t["Der {0} ist schon ein Schließtag.", BerlinTime.DateText(date)]);
        }

        if (ModelState.IsValid && Input.Date is { } past && past < Today)
        {
            ModelState.AddModelError("Input.Date", t["Bitte wählen Sie im Feld „Datum“ heute oder einen späteren Tag."]);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        db.AgencyClosingDays.Add(new AgencyClosingDay(Guid.NewGuid(), agency.Id, Input.Date!.Value, Input.Label!));
        await RecordAsync(agency, $"Hinzugefügt: {Input.Date.Value:yyyy-MM-dd}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Saved = t["Der {0} ist jetzt ein Schließtag.", BerlinTime.DateText(Input.Date.Value)];
        return RedirectToPage(new { jahr = Year });
    }

    public async Task<IActionResult> OnPostHolidaysAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (await LoadAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        var offered = Offer.Where(o => !o.Taken).ToDictionary(o => o.Holiday.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), o => o.Holiday);
        var chosen = Holidays.Distinct().Select(h => offered.GetValueOrDefault(h)).ToList();
        if (chosen.Count == 0 || chosen.Any(h => h is null))
        {
            ModelState.AddModelError(nameof(Holidays), t["Bitte kreuzen Sie mindestens einen Feiertag aus der Liste an."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        foreach (var holiday in chosen.OfType<PublicHoliday>())
        {
            db.AgencyClosingDays.Add(new AgencyClosingDay(Guid.NewGuid(), agency.Id, holiday.Date, holiday.Name));
        }

        await RecordAsync(agency, $"Feiertage übernommen: {string.Join(", ", chosen.OfType<PublicHoliday>().Select(h => h.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Saved = t["{0} Feiertage sind jetzt Schließtage.", chosen.Count];
        return RedirectToPage(new { jahr = Year });
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (await LoadAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        var day = await db.AgencyClosingDays.SingleOrDefaultAsync(d => d.Id == id && d.AgencyId == agency.Id, cancellationToken);
        if (day is null)
        {
            return NotFound();
        }

        db.AgencyClosingDays.Remove(day);
        await RecordAsync(agency, $"Entfernt: {day.Date:yyyy-MM-dd}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Saved = t["Der {0} ist kein Schließtag mehr.", BerlinTime.DateText(day.Date)];
        return RedirectToPage(new { jahr = Year });
    }

    private DateOnly Today => DateOnly.FromDateTime(BerlinTime.ToLocal(clock.GetUtcNow().UtcDateTime));

    private Task RecordAsync(Agency agency, string details, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditAction.AgencyClosingDaysChanged, AuditTarget.Of(AuditTargetType.Agency, agency.Id), agency.Id, details, cancellationToken);

    private async Task<Agency?> LoadAsync(CancellationToken cancellationToken)
    {
        if (await adminAgency.FindAsync(cancellationToken) is not { } agency)
        {
            return null;
        }

        var today = Today;
        Years = [today.Year, today.Year + 1];
        Year = Year is { } chosen && Years.Contains(chosen) ? chosen : today.Year;
        AgencyName = agency.Name;
        State = agency.State;
        Days = await db.AgencyClosingDays.AsNoTracking().Where(d => d.AgencyId == agency.Id && d.Date >= today).OrderBy(d => d.Date).ToListAsync(cancellationToken);
        var taken = Days.Select(d => d.Date).ToHashSet();
        Offer = GermanHolidays.For(Year.Value, agency.State).Where(h => h.Date >= today).Select(h => new OfferedHoliday(h, taken.Contains(h.Date))).ToList();
        return agency;
    }

    public sealed class DayInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Datum")]
        public DateOnly? Date { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(AgencyRules.MaxClosingDayLabelLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Bezeichnung")]
        public string? Label { get; set; }
    }
}
