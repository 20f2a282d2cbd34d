using Lotse.Domain.Accounts;

namespace Lotse.Domain.Tests.Accounts;

public sealed class CounsellorTests
{
    private static readonly AccountStatus Changed =
        new(RegularClientsOnly: true, ChatMode.Online, MailMode.ByCapacity, MailCapacity: 25);

    private static Counsellor NewCounsellor() => new(Guid.NewGuid(), "user-1", "Frau Berger");

    [Fact]
    public void Constructor_NewCounsellor_InitialStatus()
    {
        var counsellor = NewCounsellor();

        Assert.Equal(AccountStatus.Initial, counsellor.Status);
    }

    [Fact]
    public void Constructor_NewCounsellor_KeepsIdentity()
    {
        var id = Guid.NewGuid();

        var counsellor = new Counsellor(id, "user-7", "Herr Kaya");

        Assert.Equal(id, counsellor.Id);
        Assert.Equal("user-7", counsellor.UserId);
        Assert.Equal("Herr Kaya", counsellor.DisplayName);
    }

    [Fact]
    public void Limits_MailCapacity_OneTo999()
    {
        Assert.Equal(1, AccountStatus.MinMailCapacity);
        Assert.Equal(999, AccountStatus.MaxMailCapacity);
    }

    [Fact]
    public void Initial_Capacity_WithinAllowedRange()
    {
        Assert.True(AccountStatus.IsValidCapacity(AccountStatus.Initial.MailCapacity));
    }

    [Fact]
    public void ChangeStatus_ValidStatus_Applied()
    {
        var counsellor = NewCounsellor();

        counsellor.ChangeStatus(Changed);

        Assert.Equal(Changed, counsellor.Status);
        Assert.True(counsellor.RegularClientsOnly);
        Assert.Equal(ChatMode.Online, counsellor.ChatMode);
        Assert.Equal(MailMode.ByCapacity, counsellor.MailMode);
        Assert.Equal(25, counsellor.MailCapacity);
    }

    [Fact]
    public void ChangeStatus_TwoChanges_LastOneWins()
    {
        var counsellor = NewCounsellor();
        var second = new AccountStatus(RegularClientsOnly: false, ChatMode.NotReachable, MailMode.NoNewRequests, MailCapacity: 3);

        counsellor.ChangeStatus(Changed);
        counsellor.ChangeStatus(second);

        Assert.Equal(second, counsellor.Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(998)]
    [InlineData(999)]
    public void ChangeStatus_CapacityWithinOneTo999_Accepted(int capacity)
    {
        var counsellor = NewCounsellor();

        counsellor.ChangeStatus(Changed with { MailCapacity = capacity });

        Assert.Equal(capacity, counsellor.MailCapacity);
    }

    [Theory]
    [InlineData(0, MailMode.ByCapacity)]
    [InlineData(-1, MailMode.ByCapacity)]
    [InlineData(1000, MailMode.ByCapacity)]
    [InlineData(int.MinValue, MailMode.ByCapacity)]
    [InlineData(int.MaxValue, MailMode.ByCapacity)]
    [InlineData(0, MailMode.Unlimited)]
    [InlineData(1000, MailMode.NoNewRequests)]
    public void ChangeStatus_CapacityOutOfRange_ThrowsAndLeavesStatusUnchanged(int capacity, MailMode mail)
    {
        var counsellor = NewCounsellor();
        counsellor.ChangeStatus(Changed);
        var bad = new AccountStatus(RegularClientsOnly: false, ChatMode.NotReachable, mail, capacity);

        Assert.Throws<ArgumentOutOfRangeException>(() => counsellor.ChangeStatus(bad));

        Assert.Equal(Changed, counsellor.Status);
    }

    [Fact]
    public void ChangeStatus_UndefinedChatMode_ThrowsAndLeavesStatusUnchanged()
    {
        var counsellor = NewCounsellor();
        counsellor.ChangeStatus(Changed);

        Assert.Throws<ArgumentOutOfRangeException>(() => counsellor.ChangeStatus(Changed with { Chat = (ChatMode)7 }));

        Assert.Equal(Changed, counsellor.Status);
    }

    [Fact]
    public void ChangeStatus_UndefinedMailMode_ThrowsAndLeavesStatusUnchanged()
    {
        var counsellor = NewCounsellor();
        counsellor.ChangeStatus(Changed);

        Assert.Throws<ArgumentOutOfRangeException>(() => counsellor.ChangeStatus(Changed with { Mail = (MailMode)(-1) }));

        Assert.Equal(Changed, counsellor.Status);
    }

    [Fact]
    public void ChangeStatus_Null_ThrowsAndLeavesStatusUnchanged()
    {
        var counsellor = NewCounsellor();

        Assert.Throws<ArgumentNullException>(() => counsellor.ChangeStatus(null!));

        Assert.Equal(AccountStatus.Initial, counsellor.Status);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(999, true)]
    [InlineData(1000, false)]
    public void IsValidCapacity_Boundaries_OneTo999(int capacity, bool expected)
    {
        Assert.Equal(expected, AccountStatus.IsValidCapacity(capacity));
    }
}
