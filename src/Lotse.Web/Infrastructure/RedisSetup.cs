using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lotse.Web.Infrastructure;

/// <summary>
/// Several app instances behind one address (decision 11): with <c>Redis:Configuration</c> set, every hub (chat,
/// availability, room) sends through the SignalR Redis backplane, so a message sent on one instance reaches connections
/// on all of them. Without the setting nothing changes: one instance, everything in memory.
/// </summary>
public static class RedisSetup
{
    /// <summary>True when <c>Redis:Configuration</c> is set; features that keep shared state (chat presence) ask this.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{RedisSettings.Section}:{nameof(RedisSettings.Configuration)}"]);
    }

    /// <summary>Called by <see cref="WebSetup.AddLotseWeb"/>, where SignalR is added.</summary>
    public static void AddLotseRedis(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IsConfigured(builder.Configuration))
        {
            return;
        }

        var section = builder.Configuration.GetSection(RedisSettings.Section);
        var settings = section.Get<RedisSettings>() ?? new RedisSettings();
        builder.Services.Configure<RedisSettings>(section);
        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddSignalR().AddStackExchangeRedis(settings.Configuration!, o =>
        {
            // Channels are named "<prefix><hub type>:…", so several installations can share one Redis server.
            o.Configuration.ChannelPrefix = RedisChannel.Literal(settings.ChannelPrefix);
            // Start even while Redis is briefly away; the client keeps reconnecting and resubscribes.
            o.Configuration.AbortOnConnectFail = false;
        });
    }
}

/// <summary>Configuration section "Redis".</summary>
public sealed class RedisSettings
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>; empty means one instance, no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every channel and key this installation uses in Redis.</summary>
    public string ChannelPrefix { get; set; } = "lotse";

    /// <summary>
    /// How long an instance counts as alive after its last heartbeat (it beats every third of this). The presence of
    /// an instance that died without saying goodbye is dropped after at most this long.
    /// </summary>
    public TimeSpan PresenceLifetime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The app's own connection to Redis for shared state (the backplane keeps connections of its own). Connected on first
/// use; one multiplexer for the whole process, as StackExchange.Redis intends.
/// </summary>
public sealed class RedisConnection(IOptions<RedisSettings> settings) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectAsync(settings.Value));

    /// <summary>Prefix of every key of this installation, with a hash tag so that all of them live in one cluster slot.</summary>
    public string KeyPrefix { get; } = "{" + settings.Value.ChannelPrefix + "}";

    public async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();

    /// <summary>Pub/sub on the same connection (ended sessions, Features/Security/SessionRevocations).</summary>
    public async Task<ISubscriber> SubscriberAsync() => (await _connection.Value).GetSubscriber();

    /// <summary>True while connected: pub/sub messages sent while it is not are lost, not delivered later.</summary>
    public bool IsConnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && _connection.Value.Result.IsConnected;

    /// <summary>Runs <paramref name="restored"/> each time a lost connection comes back (messages may have been missed).</summary>
    public async Task OnReconnectedAsync(Action restored)
    {
        ArgumentNullException.ThrowIfNull(restored);
        (await _connection.Value).ConnectionRestored += (_, _) => restored();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_connection.IsValueCreated)
        {
            return;
        }

        try
        {
            await (await _connection.Value).DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A connection that never came about has nothing to close.
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(RedisSettings settings)
    {
        var options = ConfigurationOptions.Parse(settings.Configuration!);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
