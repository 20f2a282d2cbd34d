namespace Lotse.Domain.Privacy;

/// <summary>
/// How long Lotse keeps what an advice seeker leaves behind. Each agency sets two periods in days; a client who is
/// in contact with several agencies is kept as long as the longest of them asks (an agency with a longer period may
/// owe documentation, and nobody loses more than any of their agencies promised); a client with no agency at all
/// falls under the installation's default.
/// </summary>
public static class RetentionRules
{
    /// <summary>An anonymous account nobody used for this many days is deleted (default).</summary>
    public const int DefaultInactiveClientDays = 180;

    /// <summary>
    /// At least a month: a person in a crisis may stay away for weeks and must find their conversations again.
    /// At most ten years, the longest documentation duty a counselling centre is likely to have.
    /// </summary>
    public const int MinInactiveClientDays = 30;

    public const int MaxInactiveClientDays = 3650;

    /// <summary>A conversation closed this many days ago is deleted (default).</summary>
    public const int DefaultClosedConversationDays = 90;

    /// <summary>At least two weeks, so that the client can still read the last answer after the counsellor closed it.</summary>
    public const int MinClosedConversationDays = 14;

    public const int MaxClosedConversationDays = 3650;

    public static bool IsValidInactiveClientDays(int days) => days is >= MinInactiveClientDays and <= MaxInactiveClientDays;

    public static bool IsValidClosedConversationDays(int days) => days is >= MinClosedConversationDays and <= MaxClosedConversationDays;

    /// <summary>The period that applies to someone in contact with agencies whose periods are <paramref name="agencyDays"/>.</summary>
    public static int PeriodFor(IEnumerable<int> agencyDays, int installationDefault)
    {
        ArgumentNullException.ThrowIfNull(agencyDays);
        var longest = 0;
        foreach (var days in agencyDays)
        {
            longest = Math.Max(longest, days);
        }

        return longest > 0 ? longest : installationDefault;
    }

    /// <summary>
    /// An account is deleted for inactivity only when it is anonymous: with an e-mail address the person can be told
    /// and can come back through a password reset, so their account stays until they delete it themselves.
    /// </summary>
    public static bool IsInactiveAccountDue(bool hasEmail, DateTime lastActiveUtc, int periodDays, DateTime now) =>
        !hasEmail && lastActiveUtc < now.AddDays(-periodDays);

    /// <summary>A conversation is due when it was closed longer ago than the period; an open one never is.</summary>
    public static bool IsClosedConversationDue(DateTime? closedUtc, int periodDays, DateTime now) =>
        closedUtc is { } closed && closed < now.AddDays(-periodDays);
}
