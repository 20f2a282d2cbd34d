namespace Lotse.Domain.Appointments;

public enum AppointmentStatus
{
    Requested,
    Confirmed,
    Declined,
    Cancelled,
}

/// <summary>Who cancelled an appointment; the other side is told.</summary>
public enum AppointmentParty
{
    Counsellor,
    Client,
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

    public const int MaxTopicLength = 200;
    public const int MaxReasonLength = 500;

    public Appointment(Guid id, Guid counsellorId, Guid clientId, AppointmentChannel channel, DateTime startUtc, DateTime endUtc, string? topic)
    {
        if (endUtc <= startUtc)
        {
            throw new ArgumentException("An appointment ends after it starts.", nameof(endUtc));
        }

        // The database no longer enforces these lengths: the columns hold ciphertext (encryption at rest).
        if (topic?.Length > MaxTopicLength)
        {
            throw new ArgumentException($"A topic has at most {MaxTopicLength} characters.", nameof(topic));
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

    /// <summary>The counsellor's optional reason for declining, shown to the client only.</summary>
    public string? DeclineReason { get; private set; }

    public AppointmentParty? CancelledBy { get; private set; }

    /// <summary>When the reminder went out; null until then.</summary>
    public DateTime? ReminderSentUtc { get; private set; }

    /// <summary>iCalendar SEQUENCE: raised on every change so that calendar programs take the newest.</summary>
    public int Sequence { get; private set; }

    public bool IsActive => Status is AppointmentStatus.Requested or AppointmentStatus.Confirmed;

    public void Confirm() => Move(AppointmentStatus.Requested, AppointmentStatus.Confirmed);

    public void Decline(string? reason = null)
    {
        if (reason?.Trim().Length > MaxReasonLength)
        {
            throw new ArgumentException($"A reason has at most {MaxReasonLength} characters.", nameof(reason));
        }

        Move(AppointmentStatus.Requested, AppointmentStatus.Declined);
        DeclineReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }

    public void Cancel(AppointmentParty by = AppointmentParty.Counsellor)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"An appointment in state {Status} cannot be cancelled.");
        }

        Status = AppointmentStatus.Cancelled;
        CancelledBy = by;
        Sequence++;
    }

    /// <summary>
    /// Moves a future, active appointment to another counsellor (the first one's account was disabled). It becomes a
    /// request again, which the new counsellor confirms or declines; the reminder is due again for the new pair.
    /// </summary>
    public void Reassign(Guid counsellorId, DateTime nowUtc)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"An appointment in state {Status} cannot be reassigned.");
        }

        if (StartUtc <= nowUtc)
        {
            throw new InvalidOperationException("Only a future appointment can be reassigned.");
        }

        if (counsellorId == CounsellorId)
        {
            throw new ArgumentException("The appointment already belongs to this counsellor.", nameof(counsellorId));
        }

        CounsellorId = counsellorId;
        Status = AppointmentStatus.Requested;
        ReminderSentUtc = null;
        Sequence++;
    }

    public void MarkReminderSent(DateTime nowUtc) => ReminderSentUtc = nowUtc;

    private void Move(AppointmentStatus from, AppointmentStatus to)
    {
        if (Status != from)
        {
            throw new InvalidOperationException($"An appointment in state {Status} cannot become {to}.");
        }

        Status = to;
        Sequence++;
    }
}
