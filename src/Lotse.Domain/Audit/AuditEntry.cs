namespace Lotse.Domain.Audit;

/// <summary>What happened. Stored by name, so the numbers may change but a name never may.</summary>
public enum AuditAction
{
    // Sign-in
    LoginSucceeded,
    LoginFailed,
    LoginLockedOut,
    LoginSecondFactorRequired,
    Logout,

    // Roles
    RoleGranted,
    RoleRevoked,

    // Reads of counselling content by staff
    MailThreadRead,
    MailQueueViewed,
    ChatConversationRead,
    ChatHistoryRead,
    ChatListViewed,

    // Assignment
    MailRequestRouted,
    MailRequestTaken,
    ChatConversationStarted,

    // Status
    MailThreadClosed,
    MailThreadArchived,
    ChatConversationClosed,
    AccountStatusChanged,
    AccountDisabled,
    AbsenceCreated,
    AbsenceChanged,
    AbsenceDeleted,
    RegularClientChanged,
    AgencyMailSettingsChanged,
    AgencySettingsChanged,
    AgencyClosedForNewRequests,
    AgencyReopened,
    AgencyClosingDaysChanged,

    // Counsellor administration (issue 8)
    CounsellorInvited,
    CounsellorInvitationAccepted,
    CounsellorRenamed,
    CounsellorDisabled,
    CounsellorEnabled,
    MailRequestHandedOver,
    AppointmentReassigned,

    // Platform administration (issue 8)
    AgencyCreated,
}

/// <summary>The kind of thing an entry is about; its id is in <see cref="AuditEntry.TargetId"/>.</summary>
public enum AuditTargetType
{
    User,
    Counsellor,
    MailThread,
    Agency,
    Conversation,
    Absence,
    Client,
    Appointment,
    Invitation,
}

/// <summary>The thing an entry is about: a type and an id, never a name or a text.</summary>
public sealed record AuditTarget(AuditTargetType Type, string Id)
{
    public static AuditTarget Of(AuditTargetType type, Guid id) => new(type, id.ToString());
}

/// <summary>
/// One line of the audit log: who did what to which thing, when. Written once and never changed (the database refuses
/// UPDATE and DELETE on its table). It holds ids, codes and short content-free details ("Chat: Online → Nicht Online"),
/// never a message, subject, note, password, token or IP address.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxDetailsLength = 300;
    public const int MaxDisplayLength = 200;

    private AuditEntry()
    {
    }

    public AuditEntry(
        string? actorUserId,
        string actorDisplay,
        string actorRole,
        AuditAction action,
        AuditTarget target,
        Guid? agencyId,
        string details,
        DateTime occurredUtc)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(actorDisplay);
        ArgumentNullException.ThrowIfNull(details);
        if (occurredUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("An audit time is UTC.", nameof(occurredUtc));
        }

        ActorUserId = actorUserId;
        ActorDisplay = Cut(actorDisplay, MaxDisplayLength);
        ActorRole = actorRole;
        Action = action;
        TargetType = target.Type;
        TargetId = target.Id;
        AgencyId = agencyId;
        Details = Cut(details, MaxDetailsLength);
        OccurredUtc = occurredUtc;
    }

    /// <summary>Given by the database in the order of inserting: ties of the same instant keep their order.</summary>
    public long Id { get; private set; }

    /// <summary>The Identity user who acted; null for a failed sign-in with a name nobody has.</summary>
    public string? ActorUserId { get; private set; }

    /// <summary>A staff member's name as it was then; empty for advice seekers (their nickname is personal data that an undeletable table must not keep).</summary>
    public string ActorDisplay { get; private set; } = "";

    /// <summary>Client, Counsellor, AgencyAdmin, or empty when nobody is known.</summary>
    public string ActorRole { get; private set; } = "";

    public AuditAction Action { get; private set; }

    public AuditTargetType TargetType { get; private set; }

    public string TargetId { get; private set; } = "";

    /// <summary>The agency the thing belongs to (a mail thread's agency); null for a person's own events, which an admin sees through the person's membership.</summary>
    public Guid? AgencyId { get; private set; }

    public string Details { get; private set; } = "";

    public DateTime OccurredUtc { get; private set; }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
