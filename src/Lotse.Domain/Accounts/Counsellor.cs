namespace Lotse.Domain.Accounts;

/// <summary>A staff member who counsels. Their Accountstatus lives here and changes only through <see cref="ChangeStatus"/>.</summary>
public sealed class Counsellor
{
    private Counsellor()
    {
    }

    public Counsellor(Guid id, string userId, string displayName)
    {
        Id = id;
        UserId = userId;
        DisplayName = displayName;
        ApplyStatus(AccountStatus.Initial);
    }

    public Guid Id { get; private set; }

    /// <summary>The Identity user that signs in as this counsellor.</summary>
    public string UserId { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public bool RegularClientsOnly { get; private set; }

    public ChatMode ChatMode { get; private set; }

    public MailMode MailMode { get; private set; }

    public int MailCapacity { get; private set; }

    public AccountStatus Status => new(RegularClientsOnly, ChatMode, MailMode, MailCapacity);

    public const int DefaultSlotMinutes = 50;

    /// <summary>Longest display name (the column holds 200; clients see it in lists and headings).</summary>
    public const int MaxDisplayNameLength = 100;

    /// <summary>The agency admin changes the name clients and colleagues see.</summary>
    public void Rename(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var name = displayName.Trim();
        if (name.Length is 0 or > MaxDisplayNameLength)
        {
            throw new ArgumentException($"A display name has 1 to {MaxDisplayNameLength} characters.", nameof(displayName));
        }

        DisplayName = name;
    }

    /// <summary>Length of one bookable slot, in minutes (15 to 240).</summary>
    public int SlotMinutes { get; private set; } = DefaultSlotMinutes;

    /// <summary>Booked appointments are confirmed at once, without the counsellor's step.</summary>
    public bool AutoConfirm { get; private set; }

    /// <summary>Takes this counsellor's forwarded mail requests before the agency's fallback does.</summary>
    public Guid? PersonalFallbackId { get; private set; }

    /// <summary>Names (or clears) the personal fallback; nobody is their own fallback.</summary>
    public void SetPersonalFallback(Guid? counsellorId)
    {
        if (counsellorId == Id)
        {
            throw new ArgumentException("A counsellor cannot be their own fallback.", nameof(counsellorId));
        }

        PersonalFallbackId = counsellorId;
    }

    public static bool IsValidSlotLength(int minutes) => minutes is >= 15 and <= 240;

    public void ChangeBookingSettings(int slotMinutes, bool autoConfirm)
    {
        if (!IsValidSlotLength(slotMinutes))
        {
            throw new ArgumentOutOfRangeException(nameof(slotMinutes), slotMinutes, "Slot length out of range.");
        }

        SlotMinutes = slotMinutes;
        AutoConfirm = autoConfirm;
    }

    /// <summary>Takes a new Accountstatus; the capacity N must stay between 1 and 999.</summary>
    public void ChangeStatus(AccountStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!AccountStatus.IsValidCapacity(status.MailCapacity))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status.MailCapacity, "Mail capacity out of range.");
        }

        if (!Enum.IsDefined(status.Chat) || !Enum.IsDefined(status.Mail))
        {
            throw new ArgumentOutOfRangeException(nameof(status), "Unknown chat or mail mode.");
        }

        ApplyStatus(status);
    }

    private void ApplyStatus(AccountStatus status)
    {
        RegularClientsOnly = status.RegularClientsOnly;
        ChatMode = status.Chat;
        MailMode = status.Mail;
        MailCapacity = status.MailCapacity;
    }
}
