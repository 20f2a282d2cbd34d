using Lotse.Domain.Agencies;

namespace Lotse.Domain.Tests.Agencies;

/// <summary>Issue 8: an invitation link is valid for seven days and once.</summary>
public sealed class CounsellorInvitationTests
{
    private static readonly DateTime Now = Utc.Now;

    private static CounsellorInvitation Invitation() =>
        new(Guid.NewGuid(), Guid.NewGuid(), "neu@test.lotse", "Nora Neu", new string('a', 64), "admin", Now);

    [Fact]
    public void New_ValidForSevenDays()
    {
        var invitation = Invitation();

        Assert.True(invitation.IsUsableAt(Now.AddDays(7).AddSeconds(-1)));
        Assert.False(invitation.IsUsableAt(Now.AddDays(7)));
    }

    [Fact]
    public void Accept_Once_SecondTimeRefused()
    {
        var invitation = Invitation();
        var counsellor = Guid.NewGuid();

        invitation.Accept(counsellor, Now.AddHours(1));

        Assert.Equal(counsellor, invitation.CounsellorId);
        Assert.False(invitation.IsUsableAt(Now.AddHours(2)));
        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Guid.NewGuid(), Now.AddHours(2)));
        Assert.Equal(counsellor, invitation.CounsellorId);
    }

    [Fact]
    public void Accept_Expired_Refused()
    {
        var invitation = Invitation();

        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Guid.NewGuid(), Now.AddDays(8)));
        Assert.Null(invitation.UsedUtc);
    }

    [Fact]
    public void Withdraw_Pending_LinkStopsWorking()
    {
        var invitation = Invitation();

        invitation.Withdraw(Now.AddHours(1));

        Assert.False(invitation.IsUsableAt(Now.AddHours(1)));
        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Guid.NewGuid(), Now.AddHours(1)));
    }
}
