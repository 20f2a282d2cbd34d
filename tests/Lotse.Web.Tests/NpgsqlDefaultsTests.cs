using Lotse.Web.Data;
using Npgsql;

namespace Lotse.Web.Tests;

/// <summary>The Npgsql settings the app adds to a PostgreSQL connection string, and that a given setting always wins.</summary>
public sealed class NpgsqlDefaultsTests
{
    [Fact]
    public void WithNpgsqlDefaults_NeitherGiven_PreparesAndSkipsTheReset()
    {
        var csb = new NpgsqlConnectionStringBuilder(DataSetup.WithNpgsqlDefaults("Host=db.internal;Database=lotse;Username=lotse;Password=secret"));

        Assert.Equal(64, csb.MaxAutoPrepare);
        Assert.True(csb.NoResetOnClose);
        Assert.Equal("db.internal", csb.Host);
        Assert.Equal("lotse", csb.Database);
        Assert.Equal("secret", csb.Password);
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=h;MaxAutoPrepare=0;NoResetOnClose=false")]
    [InlineData("Host=h;max auto prepare=0;NO RESET ON CLOSE=false")]
    public void WithNpgsqlDefaults_Given_KeepsWhatTheOperatorSet(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(DataSetup.WithNpgsqlDefaults(connectionString));

        Assert.Equal(0, csb.MaxAutoPrepare);
        Assert.False(csb.NoResetOnClose);
    }
}
