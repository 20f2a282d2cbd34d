using Lotse.Domain.Mail;
using Lotse.Domain.Privacy;

namespace Lotse.Domain.Agencies;

/// <summary>A counselling centre (Beratungsstelle).</summary>
public sealed class Agency
{
    private Agency()
    {
    }

    public Agency(Guid id, string name)
    {
        Id = id;
        Name = name;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Takes the mail requests that its counsellors cannot take.</summary>
    public Guid? FallbackCounsellorId { get; private set; }

    /// <summary>A mail request unanswered for longer than this many hours is overdue ("überfällig").</summary>
    public int ResponseTargetHours { get; private set; } = (int)MailRules.DefaultResponseTarget.TotalHours;

    public TimeSpan ResponseTarget => TimeSpan.FromHours(ResponseTargetHours);

    /// <summary>An anonymous client account unused for this many days is deleted (retention).</summary>
    public int InactiveClientDays { get; private set; } = RetentionRules.DefaultInactiveClientDays;

    /// <summary>A mail thread or chat closed this many days ago is deleted (retention).</summary>
    public int ClosedConversationDays { get; private set; } = RetentionRules.DefaultClosedConversationDays;

    /// <summary>The agency's own support contact, shown to its counsellors and to clients on its counsellors' pages.</summary>
    public SupportContactDetails Support { get; private set; } = SupportContactDetails.None;

    /// <summary>The German state whose public holidays the admin is offered as closing days.</summary>
    public FederalState State { get; private set; } = FederalState.Berlin;

    /// <summary>Booking rules of the agency; null = the installation's default.</summary>
    public int? MinimumNoticeHours { get; private set; }

    /// <summary>Until how many hours before an appointment either side may cancel; null = the installation's default.</summary>
    public int? CancelCutoffHours { get; private set; }

    /// <summary>When set, the agency takes no new requests on any channel; existing conversations go on.</summary>
    public DateTime? ClosedForNewRequestsUtc { get; private set; }

    /// <summary>What clients read while the agency is closed for new requests.</summary>
    public string? ClosedMessage { get; private set; }

    /// <summary>The agency clients are pointed to while this one is closed.</summary>
    public Guid? ClosedPointerAgencyId { get; private set; }

    public bool IsClosedForNewRequests => ClosedForNewRequestsUtc is not null;

    public void Rename(string name)
    {
        if (!AgencyRules.IsValidName(name))
        {
            throw new ArgumentException("Agency name empty or too long.", nameof(name));
        }

        Name = name.Trim();
    }

    public void SetSupport(SupportContactDetails support, FederalState state)
    {
        ArgumentNullException.ThrowIfNull(support);
        Support = support;
        State = state;
    }

    public void SetBookingDefaults(int? minimumNoticeHours, int? cancelCutoffHours)
    {
        if (minimumNoticeHours is { } notice && !AgencyRules.IsValidBookingHours(notice))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumNoticeHours), notice, "Minimum notice out of range.");
        }

        if (cancelCutoffHours is { } cutoff && !AgencyRules.IsValidBookingHours(cutoff))
        {
            throw new ArgumentOutOfRangeException(nameof(cancelCutoffHours), cutoff, "Cancel cut-off out of range.");
        }

        MinimumNoticeHours = minimumNoticeHours;
        CancelCutoffHours = cancelCutoffHours;
    }

    /// <summary>Closes the agency for new requests (all channels), with a message and an agency to turn to instead.</summary>
    public void CloseForNewRequests(string message, Guid? pointerAgencyId, DateTime nowUtc)
    {
        if (!AgencyRules.IsValidClosedMessage(message))
        {
            throw new ArgumentException("Closed message empty or too long.", nameof(message));
        }

        if (pointerAgencyId == Id)
        {
            throw new ArgumentException("An agency cannot point to itself.", nameof(pointerAgencyId));
        }

        ClosedForNewRequestsUtc ??= nowUtc;
        ClosedMessage = message.Trim();
        ClosedPointerAgencyId = pointerAgencyId;
    }

    public void Reopen()
    {
        ClosedForNewRequestsUtc = null;
        ClosedMessage = null;
        ClosedPointerAgencyId = null;
    }

    public void SetFallbackCounsellor(Guid? counsellorId) => FallbackCounsellorId = counsellorId;

    public void SetResponseTarget(int hours)
    {
        if (hours is < MailRules.MinResponseTargetHours or > MailRules.MaxResponseTargetHours)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "Response target out of range.");
        }

        ResponseTargetHours = hours;
    }

    public void SetRetention(int inactiveClientDays, int closedConversationDays)
    {
        if (!RetentionRules.IsValidInactiveClientDays(inactiveClientDays))
        {
            throw new ArgumentOutOfRangeException(nameof(inactiveClientDays), inactiveClientDays, "Inactive account period out of range.");
        }

        if (!RetentionRules.IsValidClosedConversationDays(closedConversationDays))
        {
            throw new ArgumentOutOfRangeException(nameof(closedConversationDays), closedConversationDays, "Closed conversation period out of range.");
        }

        InactiveClientDays = inactiveClientDays;
        ClosedConversationDays = closedConversationDays;
    }
}

/// <summary>A counsellor belongs to one or more agencies; a staff admin belongs to the agency they administer.</summary>
public sealed class AgencyMembership
{
    private AgencyMembership()
    {
    }

    public AgencyMembership(Guid agencyId, string userId)
    {
        AgencyId = agencyId;
        UserId = userId;
    }

    public Guid AgencyId { get; private set; }

    public string UserId { get; private set; } = "";
}

/// <summary>How to reach an agency's own support: who, phone and hours, e-mail, postal address. All optional.</summary>
public sealed record SupportContactDetails(string? Name, string? Phone, string? Hours, string? Email, string? Address)
{
    public static SupportContactDetails None { get; } = new(null, null, null, null, null);

    public bool IsEmpty => string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Address);
}

/// <summary>A day on which the agency is closed: no bookable appointment slots (a public holiday or its own choice).</summary>
public sealed class AgencyClosingDay
{
    private AgencyClosingDay()
    {
    }

    public AgencyClosingDay(Guid id, Guid agencyId, DateOnly date, string label)
    {
        if (!AgencyRules.IsValidClosingDayLabel(label))
        {
            throw new ArgumentException("Closing day label empty or too long.", nameof(label));
        }

        Id = id;
        AgencyId = agencyId;
        Date = date;
        Label = label.Trim();
    }

    public Guid Id { get; private set; }

    public Guid AgencyId { get; private set; }

    public DateOnly Date { get; private set; }

    public string Label { get; private set; } = "";
}

/// <summary>Limits of the agency settings, shared by the domain and the forms.</summary>
public static class AgencyRules
{
    public const int MaxNameLength = 200;
    public const int MaxClosedMessageLength = 1000;
    public const int MaxClosingDayLabelLength = 100;
    public const int MaxBookingHours = 14 * 24;

    public static bool IsValidName(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= MaxNameLength;

    public static bool IsValidClosedMessage(string? message) =>
        !string.IsNullOrWhiteSpace(message) && message.Trim().Length <= MaxClosedMessageLength;

    public static bool IsValidClosingDayLabel(string? label) =>
        !string.IsNullOrWhiteSpace(label) && label.Trim().Length <= MaxClosingDayLabelLength;

    public static bool IsValidBookingHours(int hours) => hours is >= 0 and <= MaxBookingHours;
}
