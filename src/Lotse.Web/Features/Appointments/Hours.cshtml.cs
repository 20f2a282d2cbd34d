using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Appointments;

/// <summary>
/// "Buchungszeiten": the counsellor's weekly windows per channel, slot length, auto-confirm, and single days
/// (or hours) without slots. Every change reaches open client pages at once.
/// </summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class HoursModel(LotseDb db, CounsellorLookup lookup, AvailabilityNotifier notifier, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    public static readonly DayOfWeek[] Week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public IReadOnlyList<BookingHours> Windows { get; private set; } = [];

    public IReadOnlyList<BookingBlock> Blocks { get; private set; } = [];

    [BindProperty]
    public SettingsInput Settings { get; set; } = new();

    [BindProperty]
    public WindowInput Window { get; set; } = new();

    [BindProperty]
    public BlockInput Block { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentCounsellorAsync(cancellationToken) is not { } counsellor)
        {
            return Forbid();
        }

        Settings = new SettingsInput { SlotMinutes = counsellor.SlotMinutes, AutoConfirm = counsellor.AutoConfirm };
        await LoadAsync(counsellor.Id, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken) =>
        ChangeAsync(nameof(Settings), counsellor =>
        {
            counsellor.ChangeBookingSettings(Settings.SlotMinutes!.Value, Settings.AutoConfirm);
            return Task.FromResult(true);
        }, t["Gespeichert."], cancellationToken);

    public Task<IActionResult> OnPostAddWindowAsync(CancellationToken cancellationToken) =>
        ChangeAsync(nameof(Window), async counsellor =>
        {
            if (Window.To <= Window.From)
            {
                ModelState.AddModelError($"{nameof(Window)}.{nameof(WindowInput.To)}", t["Das Ende muss nach dem Beginn liegen."]);
                return false;
            }

            var candidate = new WeeklyHours(Window.Day!.Value, Window.From!.Value, Window.To!.Value, Window.Channel!.Value);
            var existing = await db.BookingHours.Where(h => h.CounsellorId == counsellor.Id).ToListAsync(cancellationToken);
            if (existing.Select(h => h.ToWeekly()).FirstOrDefault(candidate.Overlaps) is { } clash)
            {
                ModelState.AddModelError($"{nameof(Window)}.{nameof(WindowInput.From)}", t["Überschneidet sich mit {0} bis {1} Uhr am selben Tag und Kanal.", clash.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), clash.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)]);
                return false;
            }

            db.BookingHours.Add(new BookingHours(Guid.NewGuid(), counsellor.Id, candidate.Day, candidate.From, candidate.To, candidate.Channel));
            return true;
        }, t["Die Buchungszeit ist hinzugefügt."], cancellationToken);

    public Task<IActionResult> OnPostRemoveWindowAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async counsellor =>
        {
            var window = await db.BookingHours.SingleOrDefaultAsync(h => h.Id == id && h.CounsellorId == counsellor.Id, cancellationToken);
            if (window is null)
            {
                return false;
            }

            db.BookingHours.Remove(window);
            return true;
        }, t["Die Buchungszeit ist entfernt. Bereits gebuchte Termine bleiben bestehen."], cancellationToken);

    public Task<IActionResult> OnPostAddBlockAsync(CancellationToken cancellationToken) =>
        ChangeAsync(nameof(Block), counsellor =>
        {
            var today = DateOnly.FromDateTime(Infrastructure.BerlinTime.ToLocal(clock.GetUtcNow().UtcDateTime));
            if (Block.Date < today)
            {
                ModelState.AddModelError($"{nameof(Block)}.{nameof(BlockInput.Date)}", t["Das Datum liegt in der Vergangenheit."]);
                return Task.FromResult(false);
            }

            if (!Block.WholeDay && (Block.From is null || Block.To is null || Block.To <= Block.From))
            {
                ModelState.AddModelError($"{nameof(Block)}.{nameof(BlockInput.To)}", t["Bitte geben Sie Beginn und Ende an; das Ende muss nach dem Beginn liegen."]);
                return Task.FromResult(false);
            }

            db.BookingBlocks.Add(new BookingBlock(Guid.NewGuid(), counsellor.Id, Block.Date!.Value, Block.WholeDay ? null : Block.From, Block.WholeDay ? null : Block.To));
            return Task.FromResult(true);
        }, t["Die Ausnahme ist eingetragen."], cancellationToken);

    public Task<IActionResult> OnPostRemoveBlockAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async counsellor =>
        {
            var block = await db.BookingBlocks.SingleOrDefaultAsync(b => b.Id == id && b.CounsellorId == counsellor.Id, cancellationToken);
            if (block is null)
            {
                return false;
            }

            db.BookingBlocks.Remove(block);
            return true;
        }, t["Die Ausnahme ist entfernt."], cancellationToken);

    /// <summary>Validates only the form that was sent (<paramref name="form"/>), applies the change, saves and tells client pages.</summary>
    private async Task<IActionResult> ChangeAsync(string? form, Func<Counsellor, Task<bool>> change, string done, CancellationToken cancellationToken)
    {
        if (await lookup.CurrentCounsellorAsync(cancellationToken) is not { } counsellor)
        {
            return Forbid();
        }

        foreach (var key in ModelState.Keys.Where(k => form is null || !k.StartsWith(form + ".", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }

        // A post without any field of the form is not validated by model binding at all; validate it here so that
        // it gets the same "Bitte füllen Sie das Feld … aus." as a form with empty fields instead of failing later.
        if (form is not null && ModelState.Count == 0)
        {
            object input = form switch
            {
                nameof(Settings) => Settings,
                nameof(Window) => Window,
                _ => Block,
            };
            TryValidateModel(input, form);
        }

        if (ModelState.IsValid && await change(counsellor))
        {
            await db.SaveChangesAsync(cancellationToken);
            await notifier.ChangedAsync(counsellor.Id, cancellationToken);
            Message = done;
            return RedirectToPage();
        }

        if (form is null)
        {
            return NotFound();
        }

        if (form != nameof(Settings))
        {
            Settings = new SettingsInput { SlotMinutes = counsellor.SlotMinutes, AutoConfirm = counsellor.AutoConfirm };
        }

        await LoadAsync(counsellor.Id, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(Infrastructure.BerlinTime.ToLocal(clock.GetUtcNow().UtcDateTime));
        Windows = (await db.BookingHours.AsNoTracking().Where(h => h.CounsellorId == counsellorId).ToListAsync(cancellationToken))
            .OrderBy(h => ((int)h.Day + 6) % 7).ThenBy(h => h.From).ToList();
        Blocks = await db.BookingBlocks.AsNoTracking().Where(b => b.CounsellorId == counsellorId && b.Date >= today).OrderBy(b => b.Date).ToListAsync(cancellationToken);
    }

    public sealed class SettingsInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(15, 240, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Dauer eines Termins (Minuten)")]
        public int? SlotMinutes { get; set; }

        [Display(Name = "Anfragen automatisch bestätigen")]
        public bool AutoConfirm { get; set; }
    }

    public sealed class WindowInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [EnumDataType(typeof(DayOfWeek), ErrorMessage = "Der Wert im Feld „{0}“ ist ungültig.")]
        [Display(Name = "Wochentag")]
        public DayOfWeek? Day { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Von")]
        public TimeOnly? From { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Bis")]
        public TimeOnly? To { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [EnumDataType(typeof(AppointmentChannel), ErrorMessage = "Der Wert im Feld „{0}“ ist ungültig.")]
        [Display(Name = "Kanal")]
        public AppointmentChannel? Channel { get; set; }
    }

    public sealed class BlockInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Datum")]
        public DateOnly? Date { get; set; }

        [Display(Name = "Ganzer Tag")]
        public bool WholeDay { get; set; } = true;

        [Display(Name = "Von")]
        public TimeOnly? From { get; set; }

        [Display(Name = "Bis")]
        public TimeOnly? To { get; set; }
    }
}
