using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using DashboardBuilder = Lotse.Domain.Dashboard.Dashboard;
using Lotse.Domain.Dashboard;

namespace Lotse.Domain.Tests.Dashboard;

/// <summary>The three tiles of the counsellor dashboard ("Ihre nächsten bestätigten Termine", "Nächste Abwesenheit", "Accountstatus").</summary>
public sealed class DashboardTests
{
    private static readonly DateTime Now = Utc.Now;

    private static AppointmentRow Row(
        DateTime startUtc,
        AppointmentStatus status = AppointmentStatus.Confirmed,
        TimeSpan? length = null,
        string client = "Klient:in") =>
        new(Guid.NewGuid(), startUtc, startUtc + (length ?? TimeSpan.FromMinutes(50)), status, AppointmentChannel.Video, client);

    private static DashboardView Build(IEnumerable<AppointmentRow> appointments, IEnumerable<AbsencePeriod>? absences = null) =>
        DashboardBuilder.Build(appointments, absences ?? [], AccountStatus.Initial, Now);

    private static List<AppointmentRow> Shown(DashboardView view) => view.NextAppointments.Select(a => a.Appointment).ToList();

    // ---- Ihre nächsten bestätigten Termine ----

    [Fact]
    public void Build_NoAppointments_NoneShown()
    {
        var view = Build([]);

        Assert.Empty(view.NextAppointments);
    }

    [Fact]
    public void Build_FourConfirmed_OnlyTheThreeSoonest()
    {
        var a = Row(Now.AddHours(1));
        var b = Row(Now.AddHours(2));
        var c = Row(Now.AddDays(1));
        var d = Row(Now.AddDays(2));

        var view = Build([d, c, b, a]);

        Assert.Equal(3, DashboardBuilder.MaxAppointments);
        Assert.Equal([a, b, c], Shown(view));
    }

    [Fact]
    public void Build_UnsortedInput_SoonestFirst()
    {
        var a = Row(Now.AddMinutes(5));
        var b = Row(Now.AddHours(3));
        var c = Row(Now.AddDays(7));

        var view = Build([c, a, b]);

        Assert.Equal([a, b, c], Shown(view));
    }

    [Fact]
    public void Build_FewerThanThree_AllShown()
    {
        var a = Row(Now.AddHours(1));
        var b = Row(Now.AddHours(2));

        var view = Build([b, a]);

        Assert.Equal([a, b], Shown(view));
    }

    [Fact]
    public void Build_RunningAppointment_ShownAndMarkedRunning()
    {
        var running = Row(Now.AddMinutes(-20), length: TimeSpan.FromMinutes(50));
        var later = Row(Now.AddHours(2));

        var view = Build([later, running]);

        Assert.Equal([running, later], Shown(view));
        Assert.True(view.NextAppointments[0].IsRunning);
        Assert.False(view.NextAppointments[1].IsRunning);
    }

    [Fact]
    public void Build_StartsExactlyNow_ShownAndRunning()
    {
        var starting = Row(Now);

        var view = Build([starting]);

        var only = Assert.Single(view.NextAppointments);
        Assert.Same(starting, only.Appointment);
        Assert.True(only.IsRunning);
    }

    [Fact]
    public void Build_EndsOneTickAfterNow_StillShownAndRunning()
    {
        var almostOver = Row(Now.AddMinutes(-50).AddTicks(1), length: TimeSpan.FromMinutes(50));

        var view = Build([almostOver]);

        Assert.True(Assert.Single(view.NextAppointments).IsRunning);
    }

    [Fact]
    public void Build_EndedExactlyNow_NotShown()
    {
        var ended = Row(Now.AddMinutes(-50), length: TimeSpan.FromMinutes(50));
        var later = Row(Now.AddHours(1));

        var view = Build([ended, later]);

        Assert.Equal([later], Shown(view));
    }

    [Fact]
    public void Build_PastAppointments_NotShownAndDoNotTakeASlot()
    {
        var past1 = Row(Now.AddDays(-2));
        var past2 = Row(Now.AddDays(-1));
        var a = Row(Now.AddHours(1));
        var b = Row(Now.AddHours(2));
        var c = Row(Now.AddHours(3));

        var view = Build([past1, past2, a, b, c]);

        Assert.Equal([a, b, c], Shown(view));
    }

    [Fact]
    public void Build_RunningPlusThreeFuture_RunningAndTheTwoSoonestFuture()
    {
        var running = Row(Now.AddMinutes(-10));
        var a = Row(Now.AddHours(1));
        var b = Row(Now.AddHours(2));
        var c = Row(Now.AddHours(3));

        var view = Build([c, b, a, running]);

        Assert.Equal([running, a, b], Shown(view));
        Assert.Equal([true, false, false], view.NextAppointments.Select(x => x.IsRunning));
    }

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Build_NotConfirmedEvenIfSoonest_NeverShown(AppointmentStatus status)
    {
        var soonest = Row(Now.AddMinutes(5), status);
        var a = Row(Now.AddHours(1));
        var b = Row(Now.AddHours(2));
        var c = Row(Now.AddHours(3));

        var view = Build([soonest, c, b, a]);

        Assert.Equal([a, b, c], Shown(view));
    }

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Build_NotConfirmedAndRunning_NeverShown(AppointmentStatus status)
    {
        var running = Row(Now.AddMinutes(-10), status);

        var view = Build([running]);

        Assert.Empty(view.NextAppointments);
    }

    [Fact]
    public void Build_OnlyUnconfirmedDeclinedCancelled_NoneShown()
    {
        var view = Build(
        [
            Row(Now.AddHours(1), AppointmentStatus.Requested),
            Row(Now.AddHours(2), AppointmentStatus.Declined),
            Row(Now.AddHours(3), AppointmentStatus.Cancelled),
        ]);

        Assert.Empty(view.NextAppointments);
    }

    [Fact]
    public void Build_ShownAppointment_KeepsItsDetails()
    {
        var row = Row(Now.AddHours(1), client: "Sonnenblume") with { Channel = AppointmentChannel.Phone };

        var view = Build([row]);

        var shown = Assert.Single(view.NextAppointments).Appointment;
        Assert.Equal("Sonnenblume", shown.ClientName);
        Assert.Equal(AppointmentChannel.Phone, shown.Channel);
        Assert.Equal(row.StartUtc, shown.StartUtc);
    }

    // ---- Nächste Abwesenheit ----

    [Fact]
    public void Build_NoAbsences_NoAbsenceTile()
    {
        var view = Build([], []);

        Assert.Null(view.NextAbsence);
    }

    [Fact]
    public void Build_RunningAndFutureAbsence_RunningShownMarkedRunning()
    {
        var running = Utc.Absence(Now.AddDays(-1), Now.AddDays(1), "Urlaub");
        var future = Utc.Absence(Now.AddDays(5), Now.AddDays(6));

        var view = Build([], [future, running]);

        Assert.NotNull(view.NextAbsence);
        Assert.Same(running, view.NextAbsence.Absence);
        Assert.True(view.NextAbsence.IsRunning);
    }

    [Fact]
    public void Build_OnlyFutureAbsences_SoonestShownNotRunning()
    {
        var later = Utc.Absence(Now.AddDays(20), Now.AddDays(21));
        var sooner = Utc.Absence(Now.AddDays(5), Now.AddDays(6));

        var view = Build([], [later, sooner]);

        Assert.NotNull(view.NextAbsence);
        Assert.Same(sooner, view.NextAbsence.Absence);
        Assert.False(view.NextAbsence.IsRunning);
    }

    [Fact]
    public void Build_OnlyPastAbsences_NoAbsenceTile()
    {
        var past = Utc.Absence(Now.AddDays(-10), Now.AddDays(-5));
        var endedNow = Utc.Absence(Now.AddHours(-2), Now);

        var view = Build([], [past, endedNow]);

        Assert.Null(view.NextAbsence);
    }

    [Fact]
    public void Build_PastAndFutureAbsences_PastNeverShown()
    {
        var past = Utc.Absence(Now.AddDays(-10), Now.AddDays(-5));
        var future = Utc.Absence(Now.AddDays(5), Now.AddDays(6));

        var view = Build([], [past, future]);

        Assert.NotNull(view.NextAbsence);
        Assert.Same(future, view.NextAbsence.Absence);
    }

    [Fact]
    public void Build_AbsenceStartingExactlyNow_ShownRunning()
    {
        var starting = Utc.Absence(Now, Now.AddDays(1));

        var view = Build([], [starting]);

        Assert.NotNull(view.NextAbsence);
        Assert.Same(starting, view.NextAbsence.Absence);
        Assert.True(view.NextAbsence.IsRunning);
    }

    // ---- Accountstatus ----

    [Fact]
    public void Build_Status_PassedThroughUnchanged()
    {
        var status = new AccountStatus(RegularClientsOnly: true, ChatMode.NotReachable, MailMode.ByCapacity, MailCapacity: 7);

        var view = DashboardBuilder.Build([], [], status, Now);

        Assert.Same(status, view.Status);
    }

    [Fact]
    public void Build_RunningAbsence_StatusStillTheCounsellorsOwn()
    {
        var status = new AccountStatus(RegularClientsOnly: false, ChatMode.Online, MailMode.Unlimited, MailCapacity: 10);
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(1));

        var view = DashboardBuilder.Build([], [running], status, Now);

        Assert.Equal(ChatMode.Online, view.Status.Chat);
        Assert.Equal(MailMode.Unlimited, view.Status.Mail);
    }

    // ---- Until when a built dashboard holds (decision 16) ----

    [Fact]
    public void NextChange_NothingAhead_Null()
    {
        Assert.Null(DashboardBuilder.NextChange([Row(Now.AddHours(-3))], [Utc.Absence(Now.AddDays(-3), Now.AddDays(-2))], Now));
    }

    [Fact]
    public void NextChange_UpcomingAppointment_ItsStart()
    {
        var next = Row(Now.AddHours(2));

        Assert.Equal(next.StartUtc, DashboardBuilder.NextChange([Row(Now.AddHours(5)), next], [], Now));
    }

    [Fact]
    public void NextChange_RunningAppointment_ItsEndLetsTheNextOneIn()
    {
        var running = Row(Now.AddMinutes(-10));

        Assert.Equal(running.EndUtc, DashboardBuilder.NextChange([running, Row(Now.AddHours(3))], [], Now));
    }

    [Fact]
    public void NextChange_AbsenceStartsFirst_ItsStart()
    {
        var absence = Utc.Absence(Now.AddMinutes(20), Now.AddDays(1));

        Assert.Equal(absence.StartUtc, DashboardBuilder.NextChange([Row(Now.AddHours(1))], [absence], Now));
    }

    [Fact]
    public void NextChange_StartExactlyNow_NotAChangeAhead()
    {
        var startsNow = Row(Now);

        Assert.Equal(startsNow.EndUtc, DashboardBuilder.NextChange([startsNow], [], Now));
    }

    [Fact]
    public void NextChange_AcrossTheAutumnClockChange_InstantsStayUtc()
    {
        // 25 October 2026, 03:00 CEST becomes 02:00 CET: an appointment at 02:30 local (after the change) is 01:30 UTC.
        var night = new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc);
        var afterChange = new DateTime(2026, 10, 25, 1, 30, 0, DateTimeKind.Utc);
        var appointment = new AppointmentRow(Guid.NewGuid(), afterChange, afterChange.AddMinutes(50), AppointmentStatus.Confirmed, AppointmentChannel.Phone, "K");

        Assert.Equal(afterChange, DashboardBuilder.NextChange([appointment], [], night));
    }
}
