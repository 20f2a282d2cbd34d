namespace Lotse.Domain.Appointments;

public enum AppointmentStatus
{
    Requested,
    Confirmed,
    Declined,
    Cancelled,
}

public enum AppointmentChannel
{
    Video,
    Phone,
    Chat,
    OnSite,
}

/// <summary>A booked time with a counsellor on a channel. Times are UTC, [StartUtc, EndUtc).</summary>
public sealed class Appointment
{
    private Appointment()
    {
    }

    public Appointment(Guid id, Guid counsellorId, Guid clientId, AppointmentChannel channel, DateTime startUtc, DateTime endUtc, string? topic)
    {
        if (endUtc <= startUtc)
        {
            throw new ArgumentException("An appointment ends after it starts.", nameof(endUtc));
        }

        Id = id;
        CounsellorId = counsellorId;
        ClientId = clientId;
        Channel = channel;
        StartUtc = startUtc;
        EndUtc = endUtc;
        Topic = topic;
        Status = AppointmentStatus.Requested;
    }

    public Guid Id { get; private set; }

    public Guid CounsellorId { get; private set; }

    public Guid ClientId { get; private set; }

    public AppointmentChannel Channel { get; private set; }

    public DateTime StartUtc { get; private set; }

    public DateTime EndUtc { get; private set; }

    public string? Topic { get; private set; }

    public AppointmentStatus Status { get; private set; }

    public void Confirm() => Move(AppointmentStatus.Requested, AppointmentStatus.Confirmed);

    public void Decline() => Move(AppointmentStatus.Requested, AppointmentStatus.Declined);

    public void Cancel()
    {
        if (Status is AppointmentStatus.Declined or AppointmentStatus.Cancelled)
        {
            throw new InvalidOperationException($"An appointment in state {Status} cannot be cancelled.");
        }

        Status = AppointmentStatus.Cancelled;
    }

    private void Move(AppointmentStatus from, AppointmentStatus to)
    {
        if (Status != from)
        {
            throw new InvalidOperationException($"An appointment in state {Status} cannot become {to}.");
        }

        Status = to;
    }
}
