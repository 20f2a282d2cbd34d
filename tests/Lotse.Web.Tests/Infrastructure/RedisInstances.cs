namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// The app instances of one test on the same database and the same Redis, with channels and keys under a prefix of the
/// test's own in the shared server. <see cref="First"/> makes the test's own app (<c>WebTest.App</c>);
/// <see cref="StartAnother"/> starts one more on that app's database (migrated already, so it finds nothing to do),
/// with a clock of its own that starts at the first one's time.
/// </summary>
public sealed class RedisInstances(RedisServer redis)
{
    private readonly List<LotseAppFactory> _started = [];

    public string Prefix { get; } = "lotse-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The instances <see cref="StartAnother"/> started and that are still running, in order.</summary>
    public IReadOnlyList<LotseAppFactory> Started => _started;

    public Dictionary<string, string> Settings() => new() { ["Redis:ChannelPrefix"] = Prefix };

    public LotseAppFactory First(DatabaseKind kind) => new(kind, redisConfiguration: redis.Configuration, settings: Settings());

    public LotseAppFactory StartAnother(LotseAppFactory first)
    {
        ArgumentNullException.ThrowIfNull(first);
        var another = new LotseAppFactory(first.Kind, databaseName: first.DatabaseName, redisConfiguration: redis.Configuration, settings: Settings());
        _started.Add(another);
        another.Clock.SetUtcNow(first.Clock.GetUtcNow());
        _ = another.Server;
        return another;
    }

    /// <summary>Stops one of them (a crash or a restart in the test's story).</summary>
    public async Task StopAsync(LotseAppFactory instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _started.Remove(instance);
        await instance.DisposeAsync();
    }

    /// <summary>Stops every instance <see cref="StartAnother"/> started (the test's own app is the test's to dispose).</summary>
    public async Task StopAllAsync()
    {
        foreach (var instance in _started)
        {
            await instance.DisposeAsync();
        }

        _started.Clear();
    }
}
