using Lotse.Domain.Appointments;

namespace Lotse.Domain.Tests.Appointments;

/// <summary>Issue 8: a disabled counsellor's future appointments move to a colleague, who confirms them anew.</summary>
public sealed class AppointmentReassignTests
{
    private static readonly DateTime Now = Utc.Now;
    private static readonly Guid Old = Guid.NewGuid();
    private static readonly Guid New = Guid.NewGuid();

    private static Appointment Future(AppointmentStatus status = AppointmentStatus.Confirmed, int hoursAhead = 24)
    {
        var appointment = new Appointment(Guid.NewGuid(), Old, Guid.NewGuid(), AppointmentChannel.Video, Now.AddHours(hoursAhead), Now.AddHours(hoursAhead + 1), null);
        switch (status)
        {
            case AppointmentStatus.Confirmed:
                appointment.Confirm();
                break;
            case AppointmentStatus.Declined:
                appointment.Decline();
                break;
            case AppointmentStatus.Cancelled:
                appointment.Cancel();
                break;
        }

        return appointment;
    }

    [Fact]
    public void Reassign_ConfirmedFutureAppointment_MovesAsRequestWithNewSequenceAndReminderDue()
    {
        var appointment = Future();
        appointment.MarkReminderSent(Now);
        var sequence = appointment.Sequence;

        appointment.Reassign(New, Now);

        Assert.Equal(New, appointment.CounsellorId);
        Assert.Equal(AppointmentStatus.Requested, appointment.Status);
        Assert.Null(appointment.ReminderSentUtc);
        Assert.True(appointment.Sequence > sequence);
    }

    [Theory]
    [InlineData(AppointmentStatus.Cancelled)]
    [InlineData(AppointmentStatus.Declined)]
    public void Reassign_EndedAppointment_Refused(AppointmentStatus status)
    {
        var appointment = Future(status);

        Assert.Throws<InvalidOperationException>(() => appointment.Reassign(New, Now));
        Assert.Equal(Old, appointment.CounsellorId);
    }

    [Fact]
    public void Reassign_StartedAppointment_Refused()
    {
        var appointment = Future(hoursAhead: 0);

        Assert.Throws<InvalidOperationException>(() => appointment.Reassign(New, Now));
        Assert.Equal(Old, appointment.CounsellorId);
    }

    [Fact]
    public void Reassign_SameCounsellor_Refused() =>
        Assert.Throws<ArgumentException>(() => Future().Reassign(Old, Now));
}
