using System.Collections.Concurrent;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// <see cref="IChatPresence"/> shared by several app instances through Redis (decision 11).
/// <para>
/// Each instance counts its own connections and runs its own grace timers exactly like <see cref="ChatPresence"/>, and
/// mirrors the result into Redis: per counsellor a hash "instance id → open connections there" (0 while that instance's
/// grace time runs; the field goes when the grace time is over). The counsellor is connected while any field of a
/// <em>live</em> instance exists. An instance is live while its lease (a score in the sorted set of instances: alive
/// until, in the Redis server's milliseconds) has not run out; it renews the lease every third of
/// <see cref="RedisSettings.PresenceLifetime"/>. Checking and writing happen in one Lua script each, so two instances
/// never both miss (or both announce) a flip.
/// </para>
/// <para>
/// An instance that dies stops renewing; the next heartbeat of any other instance removes its fields and tells the
/// client pages of counsellors who are now offline everywhere. An instance that stops cleanly shortens its lease to the
/// grace time, so a counsellor whose page reconnects to another instance does not blink offline.
/// </para>
/// </summary>
public sealed class RedisChatPresence(
    TimeProvider clock,
    IHubContext<AvailabilityHub> availabilityHub,
    RedisConnection redis,
    IOptions<RedisSettings> settings,
    ILogger<RedisChatPresence> logger) : IChatPresence, IHostedService, IAsyncDisposable
{
    // Shared by every script: the Redis server's clock (all instances agree on it), and "does any live instance hold a
    // field of this counsellor". The scripts name keys of other instances that they cannot declare up front; all keys
    // carry one hash tag (RedisConnection.KeyPrefix), so they stay in one slot even on a cluster.
    private const string Functions = """
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function live(instances, counsellor, now)
          for _, instance in ipairs(redis.call('HKEYS', counsellor)) do
            local alive_until = redis.call('ZSCORE', instances, instance)
            if alive_until and tonumber(alive_until) > now then return true end
          end
          return false
        end

        """;

    // KEYS: instances, counsellor hash, this instance's set of counsellors. ARGV: instance id, counsellor id, connections.
    // Answers whether the counsellor was connected (on any live instance, this one included) before this write.
    private const string HoldScript = Functions + """
        local before = live(KEYS[1], KEYS[2], now_ms())
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        redis.call('SADD', KEYS[3], ARGV[2])
        if before then return 1 else return 0 end
        """;

    // Same keys and first two arguments as HoldScript. Answers whether the counsellor is still connected elsewhere.
    private const string ReleaseScript = Functions + """
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('SREM', KEYS[3], ARGV[2])
        if live(KEYS[1], KEYS[2], now_ms()) then return 1 else return 0 end
        """;

    // KEYS: instances, counsellor hash.
    private const string IsLiveScript = Functions + """
        if live(KEYS[1], KEYS[2], now_ms()) then return 1 else return 0 end
        """;

    // KEYS: instances. ARGV: instance id, lifetime in ms, key prefix. Renews this instance's lease and removes the
    // fields of instances whose lease ran out. Answers {1 if the lease was new (first beat, or this instance had been
    // given up for dead), the counsellors now connected nowhere}.
    private const string HeartbeatScript = Functions + """
        local now = now_ms()
        local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        local offline = {}
        for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
          redis.call('ZREM', KEYS[1], dead)
          local held = ARGV[3] .. ':presence:instance:' .. dead
          for _, counsellor in ipairs(redis.call('SMEMBERS', held)) do
            local key = ARGV[3] .. ':presence:counsellor:' .. counsellor
            redis.call('HDEL', key, dead)
            if not live(KEYS[1], key, now) then table.insert(offline, counsellor) end
          end
          redis.call('DEL', held)
        end
        return {added, offline}
        """;

    // KEYS: instances. ARGV: instance id, grace in ms. A clean stop: this instance's fields stay for the grace time.
    private const string GoodbyeScript = Functions + """
        redis.call('ZADD', KEYS[1], 'XX', now_ms() + tonumber(ARGV[2]), ARGV[1])
        return 0
        """;

    // One entry per counsellor ever connected here, never removed: removing one would race with a caller waiting at its
    // gate, and a few bytes per counsellor of the installation are nothing.
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _lifetime = settings.Value.PresenceLifetime;
    private Task? _heartbeat;
    private int _disposed;

    /// <summary>This instance's name in Redis; new at every start.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    private RedisKey Instances => redis.KeyPrefix + ":presence:instances";

    public async Task<bool> IsConnectedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.DatabaseAsync();
            var live = await db.ScriptEvaluateAsync(IsLiveScript, [Instances, CounsellorKey(counsellorId)]).WaitAsync(cancellationToken);
            return (long)live == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Not knowing is shown as offline: messages still wait for the counsellor, and no page fails.
            logger.LogWarning(e, "Could not read the chat presence of counsellor {CounsellorId} from Redis.", counsellorId);
            return false;
        }
    }

    public async Task<bool> ConnectedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(counsellorId, _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            entry.Connections++;
            StopLeaving(entry);
            if (entry.Present)
            {
                // Back within the grace time (or another tab): still online, nobody needs to hear anything.
                await TryWriteCountAsync(counsellorId, entry);
                return false;
            }

            bool wasConnected;
            try
            {
                wasConnected = await HoldAsync(counsellorId, entry.Connections);
            }
            catch
            {
                // The connection fails (and the page reconnects); it must not stay counted.
                entry.Connections--;
                throw;
            }

            entry.Present = true;
            entry.Unsynced = false;
            return !wasConnected;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public async Task DisconnectedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(counsellorId, out var entry))
        {
            return;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Connections == 0)
            {
                return;
            }

            entry.Connections--;
            await TryWriteCountAsync(counsellorId, entry);
            if (entry.Connections == 0)
            {
                var generation = ++entry.Generation;
                entry.Leaving = clock.CreateTimer(_ => _ = LeaveAsync(counsellorId, entry, generation), null, ChatPresence.Grace, Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Take the lease before the first connection is counted, then keep renewing it.
        // The lease is judged by the Redis server's clock, so it is renewed on real time, not on the app's clock (which
        // decides the grace time, and which tests move by hand). Made here, so that a lifetime too short fails the start.
        var timer = new PeriodicTimer(_lifetime / 3, TimeProvider.System);
        await BeatAsync(cancellationToken);
        _heartbeat = KeepBeatingAsync(timer, _stop.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopBeatingAsync();
        try
        {
            var db = await redis.DatabaseAsync();
            await db.ScriptEvaluateAsync(GoodbyeScript, [Instances], [InstanceId, (long)ChatPresence.Grace.TotalMilliseconds]).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // Then the lease runs out on its own, a little later.
            logger.LogWarning(e, "Could not shorten this instance's chat presence lease in Redis.");
        }
    }

    /// <summary>Stops timers and the heartbeat without a goodbye (that is <see cref="StopAsync"/>'s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopBeatingAsync();
        foreach (var entry in _entries.Values)
        {
            entry.Leaving?.Dispose();
        }

        _stop.Dispose();
    }

    private async Task StopBeatingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_heartbeat is not null)
        {
            await _heartbeat;
        }
    }

    private async Task KeepBeatingAsync(PeriodicTimer timer, CancellationToken stop)
    {
        using var _ = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await BeatAsync(stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = await redis.DatabaseAsync();
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(
                HeartbeatScript, [Instances], [InstanceId, (long)_lifetime.TotalMilliseconds, redis.KeyPrefix]))!;
            var newLease = (long)result[0] == 1;
            foreach (var counsellorId in ((string[])result[1]!).Distinct(StringComparer.Ordinal))
            {
                await TellAsync(Guid.ParseExact(counsellorId, "N"));
            }

            await ReconcileAsync(restoreAll: newLease, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not renew this instance's chat presence lease in Redis.");
        }
    }

    /// <summary>
    /// Writes again what a failed write left out, and after a new lease (this instance had been given up for dead, and
    /// its fields removed) every counsellor connected here.
    /// </summary>
    private async Task ReconcileAsync(bool restoreAll, CancellationToken cancellationToken)
    {
        if (restoreAll)
        {
            // Marked first, so that a failure halfway leaves the rest for the next heartbeat.
            foreach (var entry in _entries.Values.Where(e => e.Present))
            {
                entry.Unsynced = true;
            }
        }

        foreach (var (counsellorId, entry) in _entries)
        {
            if (!entry.Unsynced)
            {
                continue;
            }

            bool flipped;
            await entry.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!entry.Unsynced)
                {
                    continue;
                }

                flipped = entry.Present
                    ? !await HoldAsync(counsellorId, entry.Connections)
                    : !await ReleaseAsync(counsellorId);
                entry.Unsynced = false;
            }
            finally
            {
                entry.Gate.Release();
            }

            if (flipped)
            {
                await TellAsync(counsellorId);
            }
        }
    }

    private async Task LeaveAsync(Guid counsellorId, Entry entry, long generation)
    {
        try
        {
            bool stillConnected;
            await entry.Gate.WaitAsync();
            try
            {
                if (entry.Generation != generation || entry.Connections > 0 || !entry.Present)
                {
                    return;
                }

                StopLeaving(entry);
                entry.Present = false;
                try
                {
                    stillConnected = await ReleaseAsync(counsellorId);
                    entry.Unsynced = false;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // The field stays in Redis until the next heartbeat removes it (ReconcileAsync).
                    entry.Unsynced = true;
                    logger.LogWarning(e, "Could not remove the chat presence of counsellor {CounsellorId} from Redis.", counsellorId);
                    return;
                }
            }
            finally
            {
                entry.Gate.Release();
            }

            if (!stillConnected)
            {
                await TellAsync(counsellorId);
            }
        }
        catch (ObjectDisposedException)
        {
            // The app is stopping.
        }
    }

    /// <summary>Only the count changed: a failure does not change who is online, so it is retried by the heartbeat.</summary>
    private async Task TryWriteCountAsync(Guid counsellorId, Entry entry)
    {
        if (!entry.Present)
        {
            return;
        }

        try
        {
            await HoldAsync(counsellorId, entry.Connections);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            entry.Unsynced = true;
            logger.LogWarning(e, "Could not write the chat connections of counsellor {CounsellorId} to Redis.", counsellorId);
        }
    }

    private async Task<bool> HoldAsync(Guid counsellorId, int connections)
    {
        var db = await redis.DatabaseAsync();
        var before = await db.ScriptEvaluateAsync(
            HoldScript, [Instances, CounsellorKey(counsellorId), HeldKey()], [InstanceId, counsellorId.ToString("N"), connections]);
        return (long)before == 1;
    }

    private async Task<bool> ReleaseAsync(Guid counsellorId)
    {
        var db = await redis.DatabaseAsync();
        var still = await db.ScriptEvaluateAsync(
            ReleaseScript, [Instances, CounsellorKey(counsellorId), HeldKey()], [InstanceId, counsellorId.ToString("N")]);
        return (long)still == 1;
    }

    private static void StopLeaving(Entry entry)
    {
        entry.Leaving?.Dispose();
        entry.Leaving = null;
        entry.Generation++;
    }

    private async Task TellAsync(Guid counsellorId)
    {
        try
        {
            await new AvailabilityNotifier(availabilityHub).ChangedAsync(counsellorId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No caller to report to; the client pages still refresh at their next change or reconnect.
            logger.LogWarning(e, "Could not tell client pages that the presence of counsellor {CounsellorId} changed.", counsellorId);
        }
    }

    // Key names must match the ones HeartbeatScript builds from the prefix.
    private RedisKey CounsellorKey(Guid counsellorId) => $"{redis.KeyPrefix}:presence:counsellor:{counsellorId:N}";

    private RedisKey HeldKey() => $"{redis.KeyPrefix}:presence:instance:{InstanceId}";

    private sealed class Entry
    {
        /// <summary>One change at a time per counsellor, Redis write included, so writes reach Redis in order.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Open chat connections of the counsellor on this instance.</summary>
        public int Connections { get; set; }

        /// <summary>This instance's field is in Redis: connected here, or within the grace time.</summary>
        public bool Present { get; set; }

        /// <summary>Which grace timer is the current one; a stale timer that fires late does nothing.</summary>
        public long Generation { get; set; }

        public ITimer? Leaving { get; set; }

        /// <summary>The last write failed; the next heartbeat writes this state again.</summary>
        public bool Unsynced { get; set; }
    }
}
