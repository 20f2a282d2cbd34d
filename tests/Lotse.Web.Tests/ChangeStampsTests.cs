using System.Text.RegularExpressions;
using Lotse.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Tests;

/// <summary>The rules of <see cref="ChangeStamps"/> (decision 16), and the review of the writes that pass it by.</summary>
public sealed partial class ChangeStampsTests
{
    private const string Anna = "u:anna";
    private const string Ben = "u:ben";
    private const string AnnasRow = "c:anna";

    [Fact]
    public void Changed_OnlyWhatDependsOnTheKeyIsStale()
    {
        var stamps = NewStamps();
        var since = stamps.Now;

        stamps.Apply([Anna]);

        Assert.False(stamps.UnchangedSince(since, Anna, AnnasRow));
        Assert.True(stamps.UnchangedSince(since, Ben, "c:ben"));
        Assert.True(stamps.UnchangedSince(stamps.Now, Anna, AnnasRow));
    }

    [Fact]
    public void ChangedBeforeTheReadStarted_NotStale()
    {
        var stamps = NewStamps();
        stamps.Apply([Anna, AnnasRow]);

        var since = stamps.Now;

        Assert.True(stamps.UnchangedSince(since, Anna, AnnasRow));
    }

    [Fact]
    public void Everything_MakesAllStale()
    {
        var stamps = NewStamps();
        var since = stamps.Now;

        stamps.Apply([ChangeStamps.Everything]);

        Assert.False(stamps.UnchangedSince(since, Ben, "c:ben"));
    }

    [Fact]
    public void MoreKeysThanTheLimit_StartsAgainWithEverythingStale()
    {
        var stamps = NewStamps();
        var since = stamps.Now;
        stamps.Apply(Enumerable.Range(0, ChangeStamps.MaxKeys + 1).Select(i => "u:" + i));
        var afterwards = stamps.Now;

        stamps.Apply(["u:one-more"]);

        Assert.False(stamps.UnchangedSince(since, Ben, "c:ben"));
        Assert.False(stamps.UnchangedSince(afterwards, Ben, "c:ben"));
        Assert.True(stamps.UnchangedSince(stamps.Now, "u:0", "c:0"));
    }

    [Fact]
    public async Task WithoutRedis_ReliableAndChangedAsyncMarksHere()
    {
        var stamps = NewStamps();
        var since = stamps.Now;

        await stamps.ChangedAsync([AnnasRow]);

        Assert.True(stamps.Reliable);
        Assert.False(stamps.UnchangedSince(since, Anna, AnnasRow));
    }

    /// <summary>
    /// Bulk statements pass no change tracker, so <c>Data/ChangeInterceptor</c> never sees them. Each file that runs one
    /// was reviewed: it writes nothing a cached page shows, or it marks the change itself. A new one must be reviewed
    /// too (and added here with the reason).
    /// </summary>
    [Fact]
    public void BulkWrites_OnlyInReviewedPlaces()
    {
        var reviewed = new Dictionary<string, string>
        {
            ["Data/DataSetup.cs"] = "PRAGMA journal_mode",
            ["Data/LotseDb.cs"] = "row locks",
            ["Features/Chat/CloseConversation.cs"] = "chat: not on the dashboard",
            ["Features/Chat/MarkRead.cs"] = "chat: not on the dashboard (its unread count comes live)",
            ["Features/Chat/StoreChatMessages.cs"] = "chat: not on the dashboard",
            ["Features/Notifications/NotificationDispatcher.cs"] = "a mail's next attempt, not the unread count",
            ["Features/Notifications/ReminderScheduler.cs"] = "an appointment's reminder time, not shown",
            ["Features/Privacy/ClientActivity.cs"] = "a client's last activity, not shown",
            ["Features/Privacy/DeleteClientData.cs"] = "marks everything changed after its commit",
            ["Features/Security/ResetPasswordWithRecoveryCode.cs"] = "recovery code hash, not shown",
            ["Features/Security/TotpAuthenticator.cs"] = "last used code step, not shown",
            ["Features/Security/UserSessions.cs"] = "sessions: checked apart, ended ones pushed (SessionRevocations)",
        };
        var webRoot = Path.Combine(LocalizationTests.RepositoryRoot(), "src", "Lotse.Web");

        var found = Directory.EnumerateFiles(webRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => BulkWritePattern().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(webRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(reviewed.Keys.Order(StringComparer.Ordinal), found);
    }

    private static ChangeStamps NewStamps() =>
        new(new ServiceCollection().BuildServiceProvider(), Options.Create(new RedisSettings()), NullLogger<ChangeStamps>.Instance);

    [GeneratedRegex(@"\b(ExecuteUpdate|ExecuteDelete|ExecuteSql\w*)(Async)?\(")]
    private static partial Regex BulkWritePattern();
}
