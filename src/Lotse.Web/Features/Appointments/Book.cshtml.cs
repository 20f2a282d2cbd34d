using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Appointments;

/// <summary>A client picks a free slot of a counsellor (grouped by day, filtered by channel) and books it.</summary>
[Authorize(Roles = Roles.Client)]
public sealed class BookModel(
    LotseDb db,
    LoadClientAvailability availability,
    CounsellorLookup lookup,
    BookAppointment book,
    TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record DaySlots(DateOnly Day, IReadOnlyList<Slot> Slots);

    public CounsellorAvailabilityView Counsellor { get; private set; } = null!;

    public IReadOnlyList<DaySlots> Days { get; private set; } = [];

    public IReadOnlyList<AppointmentChannel> Channels { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "kanal")]
    public AppointmentChannel? Channel { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Bitte wählen Sie einen Termin aus der Liste.")]
    [Display(Name = "Termin")]
    public string? Slot { get; set; }

    [BindProperty]
    [StringLength(Appointment.MaxTopicLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
    [Display(Name = "Worum geht es? (freiwillig)")]
    public string? Topic { get; set; }

    public static string SlotValue(Slot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return $"{BerlinTime.Iso(slot.StartUtc)}|{slot.Channel}";
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// Books, and shows the page again only when the booking was refused: the slot list is loaded for that page, not
    /// for a booking that succeeds (BookAppointment checks availability, agency and slot itself, in its transaction).
    /// </summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        // An unknown or disabled counsellor: BookAppointment refuses as UnknownCounsellor, the page load finds none.
        if (!ModelState.IsValid)
        {
            return await PageAgainAsync(id, cancellationToken);
        }

        if (!TryParseSlot(Slot!, out var startUtc, out var channel))
        {
            ModelState.AddModelError(nameof(Slot), t["Bitte wählen Sie einen Termin aus der Liste."]);
            return await PageAgainAsync(id, cancellationToken);
        }

        var clientId = await lookup.CurrentClientIdAsync(cancellationToken);
        if (clientId is null)
        {
            return Forbid();
        }

        var outcome = await book.BookAsync(clientId.Value, id, startUtc, channel, Topic, cancellationToken);
        switch (outcome.Refusal)
        {
            case null:
                TempData["Booked"] = outcome.Confirmed
                    ? t["Ihr Termin ist gebucht und bestätigt."].Value
                    : t["Ihre Terminanfrage ist verschickt. Sie erfahren hier, sobald sie bestätigt ist."].Value;
                return LocalRedirect("/meine-termine");
            case BookingRefusal.UnknownCounsellor:
                return NotFound();
            case BookingRefusal.AgencyClosed:
                ModelState.AddModelError(string.Empty, t["Die Beratungsstelle nimmt zurzeit keine neuen Anfragen an."]);
                break;
            case BookingRefusal.BookingDisabled:
                if (!await LoadAsync(id, cancellationToken))
                {
                    return NotFound();
                }

                ModelState.AddModelError(string.Empty, t["Bei {0} ist gerade keine Terminbuchung möglich.", Counsellor.DisplayName]);
                return Page();
            default:
                ModelState.AddModelError(nameof(Slot), t["Termin ist nicht mehr frei. Bitte wählen Sie einen anderen."]);
                break;
        }

        return await PageAgainAsync(id, cancellationToken);
    }

    private async Task<IActionResult> PageAgainAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        await LoadAsync(counsellorId, cancellationToken) ? Page() : NotFound();

    private static bool TryParseSlot(string value, out DateTime startUtc, out AppointmentChannel channel)
    {
        startUtc = default;
        channel = default;
        var parts = value.Split('|');
        return parts.Length == 2
            && DateTime.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out startUtc)
            && Enum.TryParse(parts[1], ignoreCase: false, out channel)
            && Enum.IsDefined(channel);
    }

    private async Task<bool> LoadAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (await availability.LoadAsync(counsellorId, cancellationToken) is not { } view)
        {
            return false;
        }

        Counsellor = view;
        if (!view.Availability.CanBook || view.Closure is not null)
        {
            return true;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var calendar = await CalendarLoader.LoadAsync(db, counsellorId, view.Terms.AgencyId, now, view.Absences, cancellationToken);
        Channels = calendar.Hours.Select(h => h.Channel).Distinct().Order().ToList();
        var slots = SlotPlanner.FreeSlots(calendar, view.Terms.RulesFor(view.SlotMinutes), BerlinTime.Zone, now, Channel);
        Days = slots
            .GroupBy(s => DateOnly.FromDateTime(BerlinTime.ToLocal(s.StartUtc)))
            .Select(g => new DaySlots(g.Key, g.ToList()))
            .ToList();
        return true;
    }
}
