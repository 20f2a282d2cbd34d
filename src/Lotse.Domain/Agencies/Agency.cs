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
