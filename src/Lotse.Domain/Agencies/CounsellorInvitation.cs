namespace Lotse.Domain.Agencies;

/// <summary>
/// An agency admin's invitation of a new counsellor: a one-time link, valid for <see cref="Validity"/>, that lets the
/// invitee set a password (and then enrol the second factor). Only the SHA-256 of the link's token is kept, so a copy of
/// the database opens no account. The account itself is made when the invitation is accepted.
/// </summary>
public sealed class CounsellorInvitation
{
    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 256;

    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    private CounsellorInvitation()
    {
    }

    public CounsellorInvitation(Guid id, Guid agencyId, string email, string displayName, string tokenHash, string invitedByUserId, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        if (displayName.Length > MaxNameLength || email.Length > MaxEmailLength)
        {
            throw new ArgumentException("Name or e-mail address too long.", nameof(displayName));
        }

        Id = id;
        AgencyId = agencyId;
        Email = email;
        DisplayName = displayName;
        TokenHash = tokenHash;
        InvitedByUserId = invitedByUserId;
        CreatedUtc = nowUtc;
        ExpiresUtc = nowUtc + Validity;
    }

    public Guid Id { get; private set; }

    public Guid AgencyId { get; private set; }

    public string Email { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    /// <summary>SHA-256 of the token (hex); the token itself is only in the mail.</summary>
    public string TokenHash { get; private set; } = "";

    public string InvitedByUserId { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public DateTime ExpiresUtc { get; private set; }

    /// <summary>When the link was used; it opens nothing afterwards.</summary>
    public DateTime? UsedUtc { get; private set; }

    /// <summary>The counsellor made from it.</summary>
    public Guid? CounsellorId { get; private set; }

    public bool IsUsableAt(DateTime nowUtc) => UsedUtc is null && nowUtc < ExpiresUtc;

    /// <summary>A new invitation to the same address replaces this one: its link stops working now.</summary>
    public void Withdraw(DateTime nowUtc)
    {
        if (IsUsableAt(nowUtc))
        {
            ExpiresUtc = nowUtc;
        }
    }

    /// <summary>Spends the link for the counsellor made from it; a used or expired link cannot be spent.</summary>
    public void Accept(Guid counsellorId, DateTime nowUtc)
    {
        if (!IsUsableAt(nowUtc))
        {
            throw new InvalidOperationException(UsedUtc is null ? "The invitation has expired." : "The invitation was used already.");
        }

        UsedUtc = nowUtc;
        CounsellorId = counsellorId;
    }
}
