using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Absences;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

/// <summary>
/// The absence form as people fill it in: whole days, or from/to with times, in Berlin wall-clock time.
/// <see cref="TryGetPeriod"/> turns it into a UTC period and names the field when something is off.
/// </summary>
public sealed class AbsenceForm
{
    public const string Prefix = "Form";

    [Display(Name = "Ganze Tage")]
    public bool WholeDays { get; set; } = true;

    [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
    [Display(Name = "Von (Datum)")]
    public DateOnly? FromDate { get; set; }

    [Display(Name = "Von (Uhrzeit)")]
    public TimeOnly? FromTime { get; set; }

    [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
    [Display(Name = "Bis (Datum)")]
    public DateOnly? ToDate { get; set; }

    [Display(Name = "Bis (Uhrzeit)")]
    public TimeOnly? ToTime { get; set; }

    /// <summary>Its length (at most 500) is a domain rule, checked on <see cref="NoteText"/>.</summary>
    [Display(Name = "Notiz für Ratsuchende")]
    public string? Note { get; set; }

    /// <summary>The note as stored: trimmed, and with browsers' CRLF line breaks counted as one character each.</summary>
    public string NoteText => (Note ?? "").ReplaceLineEndings("\n").Trim();

    public static AbsenceForm From(AbsencePeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        var start = BerlinTime.ToLocal(period.StartUtc);
        var end = BerlinTime.ToLocal(period.EndUtc);
        var wholeDays = start.TimeOfDay == TimeSpan.Zero && end.TimeOfDay == TimeSpan.Zero;
        return new AbsenceForm
        {
            WholeDays = wholeDays,
            FromDate = DateOnly.FromDateTime(start),
            FromTime = TimeOnly.FromDateTime(start),
            // Whole days end at midnight after the last day; the form shows the last day itself.
            ToDate = DateOnly.FromDateTime(wholeDays ? end.AddDays(-1) : end),
            ToTime = TimeOnly.FromDateTime(end),
            Note = period.Note,
        };
    }

    /// <summary>
    /// The UTC period, or false with field errors added. <paramref name="fixedStartUtc"/> is the start of a
    /// running absence, which cannot move; a whole-day absence whose first day is today begins
    /// <paramref name="now"/> rather than at a midnight that has passed.
    /// </summary>
    public bool TryGetPeriod(ModelStateDictionary modelState, IStringLocalizer t, DateTime now, DateTime? fixedStartUtc, out DateTime startUtc, out DateTime endUtc)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(t);
        startUtc = endUtc = default;
        if (!WholeDays)
        {
            if (FromTime is null && fixedStartUtc is null)
            {
                modelState.AddModelError($"{Prefix}.{nameof(FromTime)}", t["Bitte füllen Sie das Feld „{0}“ aus.", t["Von (Uhrzeit)"]]);
            }

            if (ToTime is null)
            {
                modelState.AddModelError($"{Prefix}.{nameof(ToTime)}", t["Bitte füllen Sie das Feld „{0}“ aus.", t["Bis (Uhrzeit)"]]);
            }
        }

        if (!modelState.IsValid || ToDate is not { } toDate || (FromDate is not { } fromDate && fixedStartUtc is null))
        {
            return false;
        }

        if (fixedStartUtc is { } fixedStart)
        {
            startUtc = fixedStart;
        }
        else if (!TryLocal(FromDate!.Value, WholeDays ? TimeOnly.MinValue : FromTime!.Value, nameof(FromTime), modelState, t, out startUtc))
        {
            return false;
        }
        else if (WholeDays && startUtc < now && FromDate.Value == DateOnly.FromDateTime(BerlinTime.ToLocal(now)))
        {
            startUtc = now;
        }

        return WholeDays
            ? TryLocal(toDate.AddDays(1), TimeOnly.MinValue, nameof(ToDate), modelState, t, out endUtc)
            : TryLocal(toDate, ToTime!.Value, nameof(ToTime), modelState, t, out endUtc);
    }

    private static bool TryLocal(DateOnly date, TimeOnly time, string field, ModelStateDictionary modelState, IStringLocalizer t, out DateTime utc)
    {
        if (BerlinTime.TryToUtc(date, time, out utc))
        {
            return true;
        }

        modelState.AddModelError($"{Prefix}.{field}", t["Die Uhrzeit {0} gibt es am {1} wegen der Umstellung auf Sommerzeit nicht. Bitte wählen Sie eine andere.", time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)]);
        return false;
    }
}
