using Lotse.Domain.Appointments;

namespace Lotse.Domain.Tests.Appointments;

public sealed class AppointmentTests
{
    private static readonly DateTime Start = Utc.At(2026, 6, 2, 9);

    private static Appointment NewAppointment() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Video, Start, Start.AddMinutes(50), "Schulden");

    private static Appointment In(AppointmentStatus status)
    {
        var appointment = NewAppointment();
        switch (status)
        {
            case AppointmentStatus.Requested:
                break;
            case AppointmentStatus.Confirmed:
                appointment.Confirm();
                break;
            case AppointmentStatus.Declined:
                appointment.Decline();
                break;
            case AppointmentStatus.Cancelled:
                appointment.Cancel();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }

        Assert.Equal(status, appointment.Status);
        return appointment;
    }

    // ---- Constructor ----

    [Fact]
    public void Constructor_NewAppointment_RequestedWithItsDetails()
    {
        var id = Guid.NewGuid();
        var counsellorId = Guid.NewGuid();
        var clientId = Guid.NewGuid();

        var appointment = new Appointment(id, counsellorId, clientId, AppointmentChannel.OnSite, Start, Start.AddHours(1), "Erstgespräch");

        Assert.Equal(AppointmentStatus.Requested, appointment.Status);
        Assert.Equal(id, appointment.Id);
        Assert.Equal(counsellorId, appointment.CounsellorId);
        Assert.Equal(clientId, appointment.ClientId);
        Assert.Equal(AppointmentChannel.OnSite, appointment.Channel);
        Assert.Equal(Start, appointment.StartUtc);
        Assert.Equal(Start.AddHours(1), appointment.EndUtc);
        Assert.Equal("Erstgespräch", appointment.Topic);
    }

    [Fact]
    public void Constructor_NoTopic_Accepted()
    {
        var appointment = new Appointment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Chat, Start, Start.AddMinutes(1), null);

        Assert.Null(appointment.Topic);
    }

    [Fact]
    public void Constructor_EndEqualsStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Appointment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Video, Start, Start, null));

        Assert.Equal("endUtc", ex.ParamName);
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Appointment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AppointmentChannel.Video, Start, Start.AddTicks(-1), null));

        Assert.Equal("endUtc", ex.ParamName);
    }

    // ---- Confirm ----

    [Fact]
    public void Confirm_Requested_Confirmed()
    {
        var appointment = In(AppointmentStatus.Requested);

        appointment.Confirm();

        Assert.Equal(AppointmentStatus.Confirmed, appointment.Status);
    }

    [Theory]
    [InlineData(AppointmentStatus.Confirmed)]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Confirm_NotRequested_ThrowsAndStatusUnchanged(AppointmentStatus from)
    {
        var appointment = In(from);

        Assert.Throws<InvalidOperationException>(appointment.Confirm);

        Assert.Equal(from, appointment.Status);
    }

    // ---- Decline ----

    [Fact]
    public void Decline_Requested_Declined()
    {
        var appointment = In(AppointmentStatus.Requested);

        appointment.Decline();

        Assert.Equal(AppointmentStatus.Declined, appointment.Status);
    }

    [Theory]
    [InlineData(AppointmentStatus.Confirmed)]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Decline_NotRequested_ThrowsAndStatusUnchanged(AppointmentStatus from)
    {
        var appointment = In(from);

        Assert.Throws<InvalidOperationException>(() => appointment.Decline());

        Assert.Equal(from, appointment.Status);
    }

    // ---- Cancel ----

    [Theory]
    [InlineData(AppointmentStatus.Requested)]
    [InlineData(AppointmentStatus.Confirmed)]
    public void Cancel_RequestedOrConfirmed_Cancelled(AppointmentStatus from)
    {
        var appointment = In(from);

        appointment.Cancel();

        Assert.Equal(AppointmentStatus.Cancelled, appointment.Status);
    }

    [Theory]
    [InlineData(AppointmentStatus.Declined)]
    [InlineData(AppointmentStatus.Cancelled)]
    public void Cancel_DeclinedOrCancelled_ThrowsAndStatusUnchanged(AppointmentStatus from)
    {
        var appointment = In(from);

        Assert.Throws<InvalidOperationException>(() => appointment.Cancel());

        Assert.Equal(from, appointment.Status);
    }

    [Fact]
    public void Cancel_Cancelled_CannotBeConfirmedAfterwards()
    {
        var appointment = In(AppointmentStatus.Confirmed);
        appointment.Cancel();

        Assert.Throws<InvalidOperationException>(appointment.Confirm);

        Assert.Equal(AppointmentStatus.Cancelled, appointment.Status);
    }
}
