using Lotse.Web.Features.Appointments;
using Microsoft.Extensions.Configuration;

namespace Lotse.Web.Tests;

/// <summary>The "Room" configuration section: opening margins and the STUN/TURN servers handed to the browser.</summary>
public sealed class RoomOptionsTests
{
    private static RoomOptions Read(Dictionary<string, string?> settings)
    {
        var options = new RoomOptions();
        options.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(RoomOptions.Section));
        return options;
    }

    [Fact]
    public void Read_Nothing_FifteenMinutesAndNoIceServers()
    {
        var options = Read([]);

        Assert.Equal(TimeSpan.FromMinutes(15), options.Window.OpensBefore);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Window.ClosesAfter);
        Assert.Equal("[]", options.IceServersJson());
    }

    [Fact]
    public void Read_MarginsAndServers_AsRtcPeerConnectionTakesThem()
    {
        var options = Read(new()
        {
            ["Room:OpensMinutesBefore"] = "30",
            ["Room:ClosesMinutesAfter"] = "5",
            ["Room:IceServers:0:urls"] = "stun:stun.lotse.example:3478",
            ["Room:IceServers:1:urls:0"] = "turn:turn.lotse.example:3478",
            ["Room:IceServers:1:urls:1"] = "turns:turn.lotse.example:5349",
            ["Room:IceServers:1:username"] = "lotse",
            ["Room:IceServers:1:credential"] = "geheim",
        });

        Assert.Equal(TimeSpan.FromMinutes(30), options.Window.OpensBefore);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Window.ClosesAfter);
        Assert.Equal(
            """[{"urls":["stun:stun.lotse.example:3478"]},{"urls":["turn:turn.lotse.example:3478","turns:turn.lotse.example:5349"],"username":"lotse","credential":"geheim"}]""",
            options.IceServersJson());
    }

    [Fact]
    public void Read_NegativeMargin_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { ["Room:OpensMinutesBefore"] = "-5" }));

        Assert.Contains("Room:OpensMinutesBefore", error.Message, StringComparison.Ordinal);
    }
}
