using Lotse.Domain.Agencies;

namespace Lotse.Domain.Tests.Agencies;

public sealed class AgencyTests
{
    [Fact]
    public void Constructor_NewAgency_NoFallbackCounsellor()
    {
        var id = Guid.NewGuid();

        var agency = new Agency(id, "Beratungsstelle Mitte");

        Assert.Equal(id, agency.Id);
        Assert.Equal("Beratungsstelle Mitte", agency.Name);
        Assert.Null(agency.FallbackCounsellorId);
    }

    [Fact]
    public void SetFallbackCounsellor_Counsellor_Named()
    {
        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Mitte");
        var fallback = Guid.NewGuid();

        agency.SetFallbackCounsellor(fallback);

        Assert.Equal(fallback, agency.FallbackCounsellorId);
    }

    [Fact]
    public void SetFallbackCounsellor_Null_Cleared()
    {
        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Mitte");
        agency.SetFallbackCounsellor(Guid.NewGuid());

        agency.SetFallbackCounsellor(null);

        Assert.Null(agency.FallbackCounsellorId);
    }
}

public sealed class AgencySettingsTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void CloseForNewRequests_MessageAndPointer_ClosedUntilReopened()
    {
        var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");
        var other = Guid.NewGuid();

        agency.CloseForNewRequests("  Wir sind im Umzug.  ", other, Now);

        Assert.True(agency.IsClosedForNewRequests);
        Assert.Equal(("Wir sind im Umzug.", other, Now), (agency.ClosedMessage, agency.ClosedPointerAgencyId, agency.ClosedForNewRequestsUtc));
        agency.Reopen();
        Assert.False(agency.IsClosedForNewRequests);
        Assert.Null(agency.ClosedMessage);
        Assert.Null(agency.ClosedPointerAgencyId);
    }

    [Fact]
    public void CloseForNewRequests_Again_KeepsTheFirstClosingTime()
    {
        var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");
        agency.CloseForNewRequests("Geschlossen", null, Now);

        agency.CloseForNewRequests("Neuer Text", null, Now.AddDays(1));

        Assert.Equal((Now, "Neuer Text"), (agency.ClosedForNewRequestsUtc!.Value, agency.ClosedMessage));
    }

    [Fact]
    public void CloseForNewRequests_PointerToItselfOrNoMessage_Refused()
    {
        var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");

        Assert.Throws<ArgumentException>(() => agency.CloseForNewRequests("Geschlossen", agency.Id, Now));
        Assert.Throws<ArgumentException>(() => agency.CloseForNewRequests("  ", null, Now));
        Assert.False(agency.IsClosedForNewRequests);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(336, true)]
    [InlineData(337, false)]
    [InlineData(-1, false)]
    public void SetBookingDefaults_Range_CheckedForBoth(int hours, bool valid)
    {
        var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");

        if (valid)
        {
            agency.SetBookingDefaults(hours, hours);
            Assert.Equal((hours, hours), (agency.MinimumNoticeHours!.Value, agency.CancelCutoffHours!.Value));
        }
        else
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => agency.SetBookingDefaults(hours, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => agency.SetBookingDefaults(null, hours));
            Assert.Null(agency.MinimumNoticeHours);
        }
    }

    [Fact]
    public void Rename_EmptyOrTooLong_RefusedAndTrimmedOtherwise()
    {
        var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");

        Assert.Throws<ArgumentException>(() => agency.Rename(" "));
        Assert.Throws<ArgumentException>(() => agency.Rename(new string('x', 201)));
        agency.Rename(" Lotsenhaus Nord ");
        Assert.Equal("Lotsenhaus Nord", agency.Name);
    }

    [Fact]
    public void ClosingDay_EmptyLabel_Refused() =>
        Assert.Throws<ArgumentException>(() => new AgencyClosingDay(Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 12, 24), ""));
}
