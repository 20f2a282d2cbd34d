using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lotse.Web.Infrastructure;

/// <summary>
/// What changed, and in which order, as this instance knows it (decision 16): each change of a person's data moves that
/// person's key (<see cref="UserKey"/>, <see cref="CounsellorKey"/>, or <see cref="Everything"/>) to a new number of
/// one sequence. Something remembered since <see cref="Now"/> (taken before reading) is still true while none of its
/// keys moved past that number. Changes are marked after they are committed (<c>Data/ChangeInterceptor</c>) and, with
/// Redis configured, published to every instance; while Redis is away nothing is <see cref="Reliable"/>, and a
/// reconnection marks everything changed, because messages sent meanwhile are lost.
/// </summary>
public sealed partial class ChangeStamps(IServiceProvider services, IOptions<RedisSettings> redisSettings, ILogger<ChangeStamps> logger)
    : IHostedService
{
    /// <summary>The key that every remembered thing depends on.</summary>
    public const string Everything = "*";

    /// <summary>Beyond this many keys the map starts again with everything marked changed (one page render each).</summary>
    internal const int MaxKeys = 50_000;

    private readonly ConcurrentDictionary<string, long> _stamps = new(StringComparer.Ordinal);
    private long _sequence;
    private volatile bool _listening;
    private ChannelMessageQueue? _subscription;

    private RedisConnection? Redis => services.GetService<RedisConnection>();

    private RedisChannel Channel => RedisChannel.Literal(redisSettings.Value.ChannelPrefix + ":changes");

    /// <summary>The current position; take it before reading what is to be remembered.</summary>
    public long Now => Interlocked.Read(ref _sequence);

    /// <summary>False while changes on other instances could go unnoticed (Redis configured, but not listening).</summary>
    public bool Reliable => Redis is not { } redis || (_listening && redis.IsConnected);

    public static string UserKey(string userId) => "u:" + userId;

    public static string CounsellorKey(Guid counsellorId) => "c:" + counsellorId.ToString("N");

    /// <summary>True when neither of the two keys nor <see cref="Everything"/> changed after <paramref name="since"/>.</summary>
    public bool UnchangedSince(long since, string key, string otherKey) =>
        StampOf(Everything) <= since && StampOf(key) <= since && StampOf(otherKey) <= since;

    /// <summary>Marks the keys changed here and on every other instance. Call once the change is committed.</summary>
    public async Task ChangedAsync(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        Apply(keys);
        if (Redis is not { } redis)
        {
            return;
        }

        try
        {
            var subscriber = await redis.SubscriberAsync();
            await subscriber.PublishAsync(Channel, string.Join(' ', keys));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The other instances keep what they remembered until it ages out (PageCache:MaxAge).
            LogPublishFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>Everything changed (an account deleted with bulk statements, a lost Redis connection).</summary>
    public Task ChangedEverywhereAsync() => ChangedAsync([Everything]);

    internal void Apply(IEnumerable<string> keys)
    {
        if (_stamps.Count > MaxKeys)
        {
            // Everything first, so that no remembered thing looks valid while the map is emptied.
            _stamps[Everything] = Interlocked.Increment(ref _sequence);
            foreach (var key in _stamps.Keys.Where(k => k != Everything))
            {
                _stamps.TryRemove(key, out _);
            }
        }

        foreach (var key in keys)
        {
            _stamps[key] = Interlocked.Increment(ref _sequence);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Redis is not { } redis)
        {
            return;
        }

        var subscriber = await redis.SubscriberAsync();
        _subscription = await subscriber.SubscribeAsync(Channel);
        _subscription.OnMessage(m =>
        {
            if (m.Message.HasValue)
            {
                Apply(m.Message.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        });
        await redis.OnReconnectedAsync(() => Apply([Everything]));
        _listening = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _listening = false;
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }

    private long StampOf(string key) => _stamps.TryGetValue(key, out var stamp) ? stamp : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other instances about a change ({Error}); their cached pages age out within PageCache:MaxAge.")]
    private static partial void LogPublishFailed(ILogger logger, string error);
}
