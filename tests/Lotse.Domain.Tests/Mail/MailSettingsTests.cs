using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>The settings mail routing reads: the agency's response target and the counsellor's personal fallback.</summary>
public sealed class MailSettingsTests
{
    private static Agency NewAgency() => new(Guid.NewGuid(), "Beratungsstelle Mitte");

    private static Counsellor NewCounsellor() => new(Guid.NewGuid(), "user-1", "Frau Berger");

    // ---- Agency.SetResponseTarget ----

    [Fact]
    public void Agency_New_ResponseTarget48Hours()
    {
        var agency = NewAgency();

        Assert.Equal(48, agency.ResponseTargetHours);
        Assert.Equal(MailRules.DefaultResponseTarget, agency.ResponseTarget);
    }

    [Theory]
    [InlineData(MailRules.MinResponseTargetHours)]
    [InlineData(2)]
    [InlineData(24)]
    [InlineData(MailRules.MaxResponseTargetHours - 1)]
    [InlineData(MailRules.MaxResponseTargetHours)]
    public void SetResponseTarget_WithinRange_Applied(int hours)
    {
        var agency = NewAgency();

        agency.SetResponseTarget(hours);

        Assert.Equal(hours, agency.ResponseTargetHours);
        Assert.Equal(TimeSpan.FromHours(hours), agency.ResponseTarget);
    }

    [Theory]
    [InlineData(MailRules.MinResponseTargetHours - 1)]
    [InlineData(-1)]
    [InlineData(MailRules.MaxResponseTargetHours + 1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void SetResponseTarget_OutOfRange_ThrowsAndKeepsTheTarget(int requested)
    {
        var agency = NewAgency();
        agency.SetResponseTarget(12);

        Assert.Throws<ArgumentOutOfRangeException>("hours", () => agency.SetResponseTarget(requested));

        Assert.Equal(12, agency.ResponseTargetHours);
    }

    // ---- Counsellor.SetPersonalFallback ----

    [Fact]
    public void Counsellor_New_NoPersonalFallback() => Assert.Null(NewCounsellor().PersonalFallbackId);

    [Fact]
    public void SetPersonalFallback_Colleague_Named()
    {
        var counsellor = NewCounsellor();
        var colleague = Guid.NewGuid();

        counsellor.SetPersonalFallback(colleague);

        Assert.Equal(colleague, counsellor.PersonalFallbackId);
    }

    [Fact]
    public void SetPersonalFallback_Null_Cleared()
    {
        var counsellor = NewCounsellor();
        counsellor.SetPersonalFallback(Guid.NewGuid());

        counsellor.SetPersonalFallback(null);

        Assert.Null(counsellor.PersonalFallbackId);
    }

    [Fact]
    public void SetPersonalFallback_OwnId_ThrowsAndKeepsThePreviousFallback()
    {
        var counsellor = NewCounsellor();
        var colleague = Guid.NewGuid();
        counsellor.SetPersonalFallback(colleague);

        Assert.Throws<ArgumentException>("counsellorId", () => counsellor.SetPersonalFallback(counsellor.Id));

        Assert.Equal(colleague, counsellor.PersonalFallbackId);
    }
}
