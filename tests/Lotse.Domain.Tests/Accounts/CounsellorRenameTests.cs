using Lotse.Domain.Accounts;

namespace Lotse.Domain.Tests.Accounts;

/// <summary>Issue 8: the agency admin renames a counsellor.</summary>
public sealed class CounsellorRenameTests
{
    [Fact]
    public void Rename_TrimmedName_Taken()
    {
        var counsellor = new Counsellor(Guid.NewGuid(), "u", "Anna");

        counsellor.Rename("  Anna Berger ");

        Assert.Equal("Anna Berger", counsellor.DisplayName);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    public void Rename_Empty_RefusedAndNameKept(string name)
    {
        var counsellor = new Counsellor(Guid.NewGuid(), "u", "Anna");

        Assert.Throws<ArgumentException>(() => counsellor.Rename(name));
        Assert.Equal("Anna", counsellor.DisplayName);
    }

    [Fact]
    public void Rename_TooLong_Refused() =>
        Assert.Throws<ArgumentException>(() => new Counsellor(Guid.NewGuid(), "u", "Anna").Rename(new string('x', Counsellor.MaxDisplayNameLength + 1)));
}
