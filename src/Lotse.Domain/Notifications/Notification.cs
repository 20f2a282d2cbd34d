namespace Lotse.Domain.Notifications;

/// <summary>What happened, never what was said: the text is rendered from the kind and the appointment's time.</summary>
public enum NotificationKind
{
    AppointmentRequested,
    AppointmentConfirmed,
    AppointmentDeclined,
    AppointmentCancelled,
    AppointmentReminder,

    /// <summary>
    /// An appointment ended because the client deleted their account. It names no time and no person and points to no
    /// appointment: the appointment is deleted with everything else of that person.
    /// </summary>
    AppointmentCancelledAccountDeleted,

    /// <summary>A new message in a mail counselling thread ("Sie haben eine neue Nachricht").</summary>
    NewMailMessage,

    /// <summary>An appointment moved to another counsellor (the first one's account was disabled), who confirms it anew.</summary>
    AppointmentReassigned,
}

public enum EmailState
{
    /// <summary>The recipient gave no e-mail address: the notification lives in the app only.</summary>
    None,
    Pending,
    Sent,

    /// <summary>Gave up after repeated failures; the notification is still in the app.</summary>
    Failed,
}

/// <summary>
/// A notice for one user, shown in the app and (when they gave an address) sent by e-mail from this outbox.
/// It is written in the same transaction as the change it reports, so it is never lost.
/// </summary>
public sealed class Notification
{
    public const int MaxAttempts = 8;

    private Notification()
    {
    }

    public Notification(Guid id, string userId, NotificationKind kind, Guid? appointmentId, bool hasEmail, DateTime createdUtc, Guid? mailThreadId = null)
    {
        MailThreadId = mailThreadId;
        Id = id;
        UserId = userId;
        Kind = kind;
        AppointmentId = appointmentId;
        CreatedUtc = createdUtc;
        Email = hasEmail ? EmailState.Pending : EmailState.None;
        NextAttemptUtc = hasEmail ? createdUtc : null;
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public NotificationKind Kind { get; private set; }

    public Guid? AppointmentId { get; private set; }

    public Guid? MailThreadId { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public DateTime? ReadUtc { get; private set; }

    public EmailState Email { get; private set; }

    public int EmailAttempts { get; private set; }

    public DateTime? NextAttemptUtc { get; private set; }

    public void MarkRead(DateTime nowUtc) => ReadUtc ??= nowUtc;

    public void EmailSent()
    {
        Email = EmailState.Sent;
        NextAttemptUtc = null;
    }

    /// <summary>Backs off 1, 2, 4 … minutes; gives up after <see cref="MaxAttempts"/>.</summary>
    public void EmailFailed(DateTime nowUtc)
    {
        EmailAttempts++;
        if (EmailAttempts >= MaxAttempts)
        {
            Email = EmailState.Failed;
            NextAttemptUtc = null;
            return;
        }

        NextAttemptUtc = nowUtc.AddMinutes(Math.Pow(2, EmailAttempts - 1));
    }
}
