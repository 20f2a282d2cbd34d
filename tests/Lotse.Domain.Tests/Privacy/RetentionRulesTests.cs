using Lotse.Domain.Agencies;
using Lotse.Domain.Privacy;

namespace Lotse.Domain.Tests.Privacy;

public sealed class RetentionRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void PeriodFor_SeveralAgencies_Longest() =>
        Assert.Equal(200, RetentionRules.PeriodFor([30, 200, 90], installationDefault: 180));

    [Fact]
    public void PeriodFor_NoAgency_InstallationDefault() =>
        Assert.Equal(180, RetentionRules.PeriodFor([], installationDefault: 180));

    [Theory]
    [InlineData(false, 61, true)]
    [InlineData(false, 59, false)]
    [InlineData(true, 600, false)]
    public void IsInactiveAccountDue_AnonymousUnusedLongerThanPeriod_OnlyThenDue(bool hasEmail, int daysUnused, bool due) =>
        Assert.Equal(due, RetentionRules.IsInactiveAccountDue(hasEmail, Now.AddDays(-daysUnused), periodDays: 60, Now));

    [Fact]
    public void IsClosedConversationDue_OpenOrRecentlyClosed_NotDue()
    {
        Assert.False(RetentionRules.IsClosedConversationDue(null, 30, Now));
        Assert.False(RetentionRules.IsClosedConversationDue(Now.AddDays(-29), 30, Now));
        Assert.True(RetentionRules.IsClosedConversationDue(Now.AddDays(-31), 30, Now));
    }

    [Fact]
    public void Agency_New_DefaultPeriods()
    {
        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Mitte");

        Assert.Equal((180, 90), (agency.InactiveClientDays, agency.ClosedConversationDays));
    }

    [Theory]
    [InlineData(29, 90)]
    [InlineData(3651, 90)]
    [InlineData(180, 13)]
    [InlineData(180, 3651)]
    public void Agency_SetRetentionOutOfBounds_ThrowsAndKeepsPeriods(int inactive, int closed)
    {
        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Mitte");

        Assert.Throws<ArgumentOutOfRangeException>(() => agency.SetRetention(inactive, closed));
        Assert.Equal((180, 90), (agency.InactiveClientDays, agency.ClosedConversationDays));
    }

    [Fact]
    public void Agency_SetRetentionAtBounds_Saved()
    {
        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Mitte");

        agency.SetRetention(30, 3650);

        Assert.Equal((30, 3650), (agency.InactiveClientDays, agency.ClosedConversationDays));
    }
}
