using Lotse.Domain.Absences;

namespace Lotse.Domain.Appointments;

/// <summary>A bookable time. UTC, [StartUtc, EndUtc).</summary>
public sealed record Slot(DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel);

/// <summary>An appointment that holds its time (requested or confirmed).</summary>
public sealed record BookedTime(DateTime StartUtc, DateTime EndUtc);

/// <summary>How far ahead and how soon clients may book, and until when either side may cancel.</summary>
public sealed record BookingRules(int SlotMinutes, TimeSpan MinimumNotice, int WeeksAhead, TimeSpan CancelCutoff)
{
    public static BookingRules Default { get; } = new(50, TimeSpan.FromHours(12), 6, TimeSpan.FromHours(24));
}

/// <summary>Everything the planner needs about one counsellor's calendar.</summary>
public sealed record Calendar(
    IReadOnlyCollection<WeeklyHours> Hours,
    IReadOnlyCollection<DayBlock> Blocks,
    IReadOnlyCollection<AbsencePeriod> Absences,
    IReadOnlyCollection<BookedTime> Booked);

/// <summary>
/// Free slots = weekly booking hours (in the counsellor's local time) − single-day blocks − absences
/// − booked appointments − the minimum notice, for the next weeks. Local times are turned into UTC one by
/// one, so slots stay at their wall-clock time across daylight-saving changes; a time that does not exist
/// (spring) is skipped, one that exists twice (autumn) is taken once, as standard time.
/// </summary>
public static class SlotPlanner
{
    public static IReadOnlyList<Slot> FreeSlots(Calendar calendar, BookingRules rules, TimeZoneInfo zone, DateTime now, AppointmentChannel? channel = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(zone);
        var earliest = now + rules.MinimumNotice;
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var lastDay = firstDay.AddDays(7 * rules.WeeksAhead);
        var slots = new List<Slot>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            foreach (var window in calendar.Hours.Where(h => h.Day == day.DayOfWeek && (channel is null || h.Channel == channel)).OrderBy(h => h.From))
            {
                foreach (var slot in SlotsIn(day, window, rules.SlotMinutes, zone))
                {
                    if (slot.StartUtc >= earliest && IsFree(slot, day, calendar, zone))
                    {
                        slots.Add(slot);
                    }
                }
            }
        }

        return slots.Distinct().OrderBy(s => s.StartUtc).ThenBy(s => s.Channel).ToList();
    }

    /// <summary>True when the requested slot is one of the free slots right now (same start, end and channel).</summary>
    public static bool IsBookable(Slot requested, Calendar calendar, BookingRules rules, TimeZoneInfo zone, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(requested);
        return FreeSlots(calendar, rules, zone, now, requested.Channel).Contains(requested);
    }

    /// <summary>Either side may cancel an active appointment until the cut-off before its start.</summary>
    public static bool CanCancel(Appointment appointment, TimeSpan cancelCutoff, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        return appointment.IsActive && now <= appointment.StartUtc - cancelCutoff;
    }

    private static IEnumerable<Slot> SlotsIn(DateOnly day, WeeklyHours window, int slotMinutes, TimeZoneInfo zone)
    {
        var length = TimeSpan.FromMinutes(slotMinutes);
        for (var start = window.From.ToTimeSpan(); start + length <= window.To.ToTimeSpan(); start += length)
        {
            var localStart = day.ToDateTime(TimeOnly.FromTimeSpan(start));
            var localEnd = localStart + length;
            if (zone.IsInvalidTime(localStart) || zone.IsInvalidTime(localEnd))
            {
                continue;
            }

            var startUtc = TimeZoneInfo.ConvertTimeToUtc(localStart, zone);
            var endUtc = TimeZoneInfo.ConvertTimeToUtc(localEnd, zone);
            if (endUtc > startUtc)
            {
                yield return new Slot(startUtc, endUtc, window.Channel);
            }
        }
    }

    private static bool IsFree(Slot slot, DateOnly day, Calendar calendar, TimeZoneInfo zone)
    {
        if (AbsenceRules.BlocksSlot(calendar.Absences, slot.StartUtc, slot.EndUtc))
        {
            return false;
        }

        if (calendar.Booked.Any(b => b.StartUtc < slot.EndUtc && slot.StartUtc < b.EndUtc))
        {
            return false;
        }

        var localStart = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(slot.StartUtc, zone));
        var localEnd = localStart.Add(slot.EndUtc - slot.StartUtc);
        return !calendar.Blocks.Any(b => b.Date == day
            && (b.From is null || (b.From < localEnd && localStart < b.To)));
    }
}
