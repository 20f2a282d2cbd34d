using Lotse.Domain.Appointments;

namespace Lotse.Domain.Tests.Appointments;

public sealed class RoomRulesTests
{
    private static readonly DateTime Start = Utc.At(2026, 6, 2, 9);
    private static readonly DateTime End = Start.AddMinutes(50);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static RoomAccess At(DateTime now, RoomWindow? window = null, AppointmentStatus status = AppointmentStatus.Confirmed) =>
        RoomRules.Access(status, Start, End, now, window);

    // ---- Opening ----

    [Fact]
    public void Access_JustBeforeDefaultOpening_NotYetWithOpeningTime()
    {
        var access = At(Start.AddMinutes(-15) - Tick);

        Assert.Equal(new RoomNotYetOpen(Start.AddMinutes(-15)), access);
    }

    [Fact]
    public void Access_ExactlyFifteenMinutesBeforeStart_Open()
    {
        var access = At(Start.AddMinutes(-15));

        Assert.Equal(new RoomOpen(End.AddMinutes(15)), access);
    }

    [Fact]
    public void Access_DayBefore_NotYetWithOpeningTime()
    {
        var access = At(Start.AddDays(-1));

        Assert.Equal(new RoomNotYetOpen(Start.AddMinutes(-15)), access);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    [InlineData(50)]
    public void Access_DuringAppointment_OpenUntilFifteenMinutesAfterEnd(int minutesAfterStart)
    {
        var access = At(Start.AddMinutes(minutesAfterStart));

        Assert.Equal(new RoomOpen(End.AddMinutes(15)), access);
    }

    // ---- Closing ----

    [Fact]
    public void Access_JustBeforeDefaultClosing_Open()
    {
        var access = At(End.AddMinutes(15) - Tick);

        Assert.IsType<RoomOpen>(access);
    }

    [Fact]
    public void Access_ExactlyFifteenMinutesAfterEnd_Closed()
    {
        var access = At(End.AddMinutes(15));

        Assert.Equal(new RoomClosed(End.AddMinutes(15)), access);
    }

    [Fact]
    public void Access_NextDay_Closed()
    {
        var access = At(End.AddDays(1));

        Assert.IsType<RoomClosed>(access);
    }

    // ---- Configured margins ----

    [Fact]
    public void Access_CustomMargins_OpensAndClosesAtThem()
    {
        var window = new RoomWindow(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5));

        Assert.Equal(new RoomNotYetOpen(Start.AddMinutes(-30)), At(Start.AddMinutes(-30) - Tick, window));
        Assert.Equal(new RoomOpen(End.AddMinutes(5)), At(Start.AddMinutes(-30), window));
        Assert.IsType<RoomOpen>(At(End.AddMinutes(5) - Tick, window));
        Assert.Equal(new RoomClosed(End.AddMinutes(5)), At(End.AddMinutes(5), window));
    }

    [Fact]
    public void Access_NoMargins_ExactlyTheAppointment()
    {
        var window = new RoomWindow(TimeSpan.Zero, TimeSpan.Zero);

        Assert.IsType<RoomNotYetOpen>(At(Start - Tick, window));
        Assert.IsType<RoomOpen>(At(Start, window));
        Assert.IsType<RoomOpen>(At(End - Tick, window));
        Assert.IsType<RoomClosed>(At(End, window));
    }

    [Fact]
    public void RoomWindow_NegativeMargin_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoomWindow(TimeSpan.FromMinutes(-1), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoomWindow(TimeSpan.Zero, TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void RoomWindow_Default_FifteenMinutesEachSide()
    {
        Assert.Equal(TimeSpan.FromMinutes(15), RoomWindow.Default.OpensBefore);
        Assert.Equal(TimeSpan.FromMinutes(15), RoomWindow.Default.ClosesAfter);
    }

    // ---- Status ----

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Access_NotConfirmedDuringAppointment_NotConfirmed(AppointmentStatus status)
    {
        var access = At(Start.AddMinutes(10), status: status);

        Assert.Equal(new RoomNotConfirmed(status), access);
    }

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Access_NotConfirmedOutsideWindow_NotConfirmedRatherThanTime(AppointmentStatus status)
    {
        Assert.Equal(new RoomNotConfirmed(status), At(Start.AddDays(-1), status: status));
        Assert.Equal(new RoomNotConfirmed(status), At(End.AddDays(1), status: status));
    }
}
