using System.Text.Json;
using System.Text.Json.Serialization;
using Lotse.Domain.Appointments;

namespace Lotse.Web.Features.Appointments;

public static class RoomSetup
{
    public static void AddRoom(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(RoomOptions.Section);
        builder.Services.Configure<RoomOptions>(o => o.Read(section));
        builder.Services.AddScoped<RoomMembership>();
        builder.Services.AddSingleton<RoomRegistry>();
        // An SDP may be up to RoomHub.MaxSdpLength characters; SignalR's default of 32 KB per message would drop the
        // connection instead of answering with a clear error, so the room's hub takes a little more than the largest valid message.
        builder.Services.AddSignalR().AddHubOptions<RoomHub>(o => o.MaximumReceiveMessageSize = 3 * RoomHub.MaxSdpLength);
    }

    public static void MapRoom(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHub<RoomHub>(RoomHub.Path);
    }
}

/// <summary>Configuration section "Room": the opening margins and the STUN/TURN servers handed to the browsers.</summary>
public sealed class RoomOptions
{
    public const string Section = "Room";

    public int OpensMinutesBefore { get; set; } = 15;

    public int ClosesMinutesAfter { get; set; } = 15;

    /// <summary>
    /// "Room:IceServers": [{ "urls": "stun:…" or ["turn:…", "turns:…"], "username": "…", "credential": "…" }]. Empty by
    /// default: two peers on one network connect without any. The browsers see these values, so TURN credentials here
    /// must be ones meant to be public (or short-lived ones issued per session, a later step).
    /// </summary>
    public IReadOnlyList<IceServer> IceServers { get; set; } = [];

    public RoomWindow Window => new(TimeSpan.FromMinutes(OpensMinutesBefore), TimeSpan.FromMinutes(ClosesMinutesAfter));

    /// <summary>The ICE servers as the JSON that <c>new RTCPeerConnection({ iceServers })</c> takes.</summary>
    public string IceServersJson() => JsonSerializer.Serialize(IceServers, Json);

    internal void Read(IConfiguration section)
    {
        if (int.TryParse(section["OpensMinutesBefore"], out var before))
        {
            OpensMinutesBefore = before;
        }

        if (int.TryParse(section["ClosesMinutesAfter"], out var after))
        {
            ClosesMinutesAfter = after;
        }

        if (OpensMinutesBefore < 0 || ClosesMinutesAfter < 0)
        {
            throw new InvalidOperationException("Room:OpensMinutesBefore and Room:ClosesMinutesAfter must not be negative.");
        }

        // "urls" may be one string or a list, as in WebRTC itself; the binder alone cannot take both.
        IceServers = section.GetSection("IceServers").GetChildren()
            .Select(s => new IceServer(
                s["urls"] is { Length: > 0 } one ? [one] : s.GetSection("urls").GetChildren().Select(u => u.Value ?? "").Where(u => u.Length > 0).ToArray(),
                NullIfEmpty(s["username"]),
                NullIfEmpty(s["credential"])))
            .Where(s => s.Urls.Count > 0)
            .ToList();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record IceServer(IReadOnlyList<string> Urls, string? Username, string? Credential);
