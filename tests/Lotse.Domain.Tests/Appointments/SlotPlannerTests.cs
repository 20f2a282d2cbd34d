using Lotse.Domain.Absences;
using Lotse.Domain.Appointments;

namespace Lotse.Domain.Tests.Appointments;

public class SlotPlannerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly BookingRules Rules = new(50, TimeSpan.FromHours(12), 2, TimeSpan.FromHours(24));

    // Monday 23.11.2026, 08:00 Berlin (07:00 UTC).
    private static readonly DateTime Now = new(2026, 11, 23, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FreeSlots_WeeklyWindow_SlotsOnTheGridInsideTheWindowOnly()
    {
        var calendar = Calendar(new WeeklyHours(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));

        var slots = SlotPlanner.FreeSlots(calendar, Rules, Berlin, Now);

        var firstWeek = slots.Where(s => s.StartUtc.Date == new DateTime(2026, 11, 25)).Select(s => Local(s.StartUtc)).ToList();
        Assert.Equal(["09:00", "09:50", "10:40"], firstWeek);
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(50), s.EndUtc - s.StartUtc));
        Assert.All(slots, s => Assert.Equal(DayOfWeek.Wednesday, TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, Berlin).DayOfWeek));
    }

    [Fact]
    public void FreeSlots_MinimumNotice_DropsSlotsTooSoon()
    {
        var calendar = Calendar(new WeeklyHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(22, 0), AppointmentChannel.Phone));

        var slots = SlotPlanner.FreeSlots(calendar, Rules, Berlin, Now);

        Assert.All(slots, s => Assert.True(s.StartUtc >= Now.AddHours(12)));
        Assert.Equal(Now.AddHours(12).AddMinutes(40), slots[0].StartUtc); // 20:40 Berlin today, the first on the grid after 20:00
        Assert.DoesNotContain(slots, s => s.StartUtc < Now.AddHours(12));
    }

    [Fact]
    public void FreeSlots_WeeksAhead_NothingBeyond()
    {
        var calendar = Calendar(new WeeklyHours(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(10, 0), AppointmentChannel.Video));

        var slots = SlotPlanner.FreeSlots(calendar, Rules, Berlin, Now);

        Assert.Equal(2, slots.Count); // 25.11. and 02.12.; 09.12. is beyond two weeks from Monday 23.11.
    }

    [Fact]
    public void FreeSlots_BookedAbsentOrBlocked_Excluded()
    {
        var wednesdayNine = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);
        var calendar = new Calendar(
            [new WeeklyHours(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video),
             new WeeklyHours(DayOfWeek.Thursday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video),
             new WeeklyHours(DayOfWeek.Friday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video)],
            [new DayBlock(new DateOnly(2026, 11, 26), null, null), new DayBlock(new DateOnly(2026, 11, 27), new TimeOnly(10, 0), new TimeOnly(11, 0))],
            [new AbsencePeriod(Guid.NewGuid(), wednesdayNine.AddMinutes(50), wednesdayNine.AddMinutes(100), "")],
            [new BookedTime(wednesdayNine, wednesdayNine.AddMinutes(50))]);

        var slots = SlotPlanner.FreeSlots(calendar, Rules, Berlin, Now).Where(s => s.StartUtc < new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc)).Select(s => TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, Berlin).ToString("ddd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        // Wed 09:00 booked, 09:50 absent; Thursday blocked; Friday 09:50 and 10:40 touch the blocked hour 10–11.
        Assert.Equal(["Wed 10:40", "Fri 09:00"], slots);
    }

    [Fact]
    public void FreeSlots_AcrossSpringForward_KeepWallClockTimeAndSkipMissingHour()
    {
        // Sunday 28.03.2027: clocks go from 02:00 to 03:00. "now" is Friday 26.03.2027.
        var now = new DateTime(2027, 3, 26, 7, 0, 0, DateTimeKind.Utc);
        var calendar = Calendar(
            new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(1, 0), new TimeOnly(4, 0), AppointmentChannel.Chat),
            new WeeklyHours(DayOfWeek.Saturday, new TimeOnly(9, 0), new TimeOnly(10, 0), AppointmentChannel.Video),
            new WeeklyHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(10, 0), AppointmentChannel.Video));
        var rules = Rules with { SlotMinutes = 60 };

        var slots = SlotPlanner.FreeSlots(calendar, rules, Berlin, now);

        Assert.Contains(slots, s => s.StartUtc == new DateTime(2027, 3, 27, 8, 0, 0, DateTimeKind.Utc)); // Sat 09:00 = +01:00
        Assert.Contains(slots, s => s.StartUtc == new DateTime(2027, 3, 29, 7, 0, 0, DateTimeKind.Utc)); // Mon 09:00 = +02:00
        var sunday = slots.Where(s => s.Channel == AppointmentChannel.Chat && s.StartUtc < new DateTime(2027, 3, 29, 0, 0, 0, DateTimeKind.Utc)).ToList();
        Assert.Equal([new DateTime(2027, 3, 28, 1, 0, 0, DateTimeKind.Utc)], sunday.Select(s => s.StartUtc).ToList()); // 03:00–04:00 only
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.EndUtc - s.StartUtc));
    }

    [Fact]
    public void FreeSlots_AcrossFallBack_KeepWallClockTimeAndNoDoubleSlot()
    {
        // Sunday 31.10.2027: clocks go from 03:00 back to 02:00. "now" is Friday 29.10.2027.
        var now = new DateTime(2027, 10, 29, 7, 0, 0, DateTimeKind.Utc);
        var calendar = Calendar(
            new WeeklyHours(DayOfWeek.Sunday, new TimeOnly(2, 0), new TimeOnly(3, 0), AppointmentChannel.Chat),
            new WeeklyHours(DayOfWeek.Saturday, new TimeOnly(9, 0), new TimeOnly(10, 0), AppointmentChannel.Video),
            new WeeklyHours(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(10, 0), AppointmentChannel.Video));
        var rules = Rules with { SlotMinutes = 60 };

        var slots = SlotPlanner.FreeSlots(calendar, rules, Berlin, now);

        Assert.Contains(slots, s => s.StartUtc == new DateTime(2027, 10, 30, 7, 0, 0, DateTimeKind.Utc)); // Sat 09:00 = +02:00
        Assert.Contains(slots, s => s.StartUtc == new DateTime(2027, 11, 1, 8, 0, 0, DateTimeKind.Utc));  // Mon 09:00 = +01:00
        var sunday = slots.Where(s => s.Channel == AppointmentChannel.Chat && s.StartUtc < new DateTime(2027, 11, 1, 0, 0, 0, DateTimeKind.Utc)).ToList();
        Assert.Single(sunday); // 02:00 exists twice; it is offered once
    }

    [Fact]
    public void IsBookable_OnlyExactFreeSlot()
    {
        var calendar = Calendar(new WeeklyHours(DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));
        var nine = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

        Assert.True(SlotPlanner.IsBookable(new Slot(nine, nine.AddMinutes(50), AppointmentChannel.Video), calendar, Rules, Berlin, Now));
        Assert.False(SlotPlanner.IsBookable(new Slot(nine.AddMinutes(10), nine.AddMinutes(60), AppointmentChannel.Video), calendar, Rules, Berlin, Now));
        Assert.False(SlotPlanner.IsBookable(new Slot(nine, nine.AddMinutes(50), AppointmentChannel.Phone), calendar, Rules, Berlin, Now));
        Assert.False(SlotPlanner.IsBookable(new Slot(nine, nine.AddMinutes(60), AppointmentChannel.Video), calendar, Rules, Berlin, Now));
    }

    [Fact]
    public void FreeSlots_NoHours_NoSlots()
    {
        Assert.Empty(SlotPlanner.FreeSlots(Calendar(), Rules, Berlin, Now));
    }

    [Theory]
    [InlineData(25, true)]
    [InlineData(24, true)]
    [InlineData(23, false)]
    public void CanCancel_UpToTheCutoff(int hoursBefore, bool expected)
    {
        var start = Now.AddHours(hoursBefore);
        var appointment = new Appointment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Video, start, start.AddMinutes(50), null);

        Assert.Equal(expected, SlotPlanner.CanCancel(appointment, TimeSpan.FromHours(24), Now));
    }

    [Fact]
    public void CanCancel_CancelledAppointment_False()
    {
        var start = Now.AddDays(5);
        var appointment = new Appointment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Video, start, start.AddMinutes(50), null);
        appointment.Cancel(AppointmentParty.Client);

        Assert.False(SlotPlanner.CanCancel(appointment, TimeSpan.FromHours(24), Now));
    }

    private static Calendar Calendar(params WeeklyHours[] hours) => new(hours, [], [], []);

    private static string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Berlin).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
