using Lotse.Domain.Privacy;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// Configuration section "Retention": the installation's periods for people and conversations that belong to no agency
/// (a client who never wrote to anyone, a counsellor in no agency), how often the job runs, and whether it runs at all.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public int InactiveClientDays { get; set; } = RetentionRules.DefaultInactiveClientDays;

    public int ClosedConversationDays { get; set; } = RetentionRules.DefaultClosedConversationDays;

    /// <summary>Minutes between two runs; the job also runs once at start.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>False registers the job but does not start it (tests and benchmarks call <see cref="ApplyRetention"/> themselves).</summary>
    public bool BackgroundService { get; set; } = true;

    internal bool IsValid =>
        RetentionRules.IsValidInactiveClientDays(InactiveClientDays)
        && RetentionRules.IsValidClosedConversationDays(ClosedConversationDays)
        && IntervalMinutes is >= 1 and <= 24 * 60;
}
