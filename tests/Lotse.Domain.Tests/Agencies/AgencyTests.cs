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
