using System.Globalization;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// How long the garbage collector stopped the app (its runtime's own counters, read from its /metrics on loopback) and
/// this process, sampled every half second, so that slow seconds of a run can be lined up with collections (diagnosis).
/// </summary>
internal sealed class GcPauses : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Uri _metrics;
    private readonly List<GcSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _failed;

    private GcPauses(Uri app)
    {
        _metrics = new Uri(app, "/metrics");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Starts sampling the app at <paramref name="app"/> and this process.</summary>
    public static GcPauses Start(Uri app) => new(app);

    /// <summary>The collections and pauses between <paramref name="fromUtc"/> and <paramref name="toUtc"/>, widened to the samples around them.</summary>
    public GcDelta Between(DateTime fromUtc, DateTime toUtc)
    {
        lock (_samples)
        {
            var before = _samples.LastOrDefault(s => s.Utc <= fromUtc) ?? _samples.FirstOrDefault();
            var after = _samples.FirstOrDefault(s => s.Utc >= toUtc) ?? _samples.LastOrDefault();
            return before is null || after is null
                ? new GcDelta(0, 0, 0, 0, 0, 0, _failed)
                : new GcDelta(
                    (after.ServerPauseSeconds - before.ServerPauseSeconds) * 1000,
                    after.ServerGen0 - before.ServerGen0,
                    after.ServerGen1 - before.ServerGen1,
                    after.ServerGen2 - before.ServerGen2,
                    (after.DriverPause - before.DriverPause).TotalMilliseconds,
                    after.DriverCollections - before.DriverCollections,
                    _failed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    var sample = Parse(await _http.GetStringAsync(_metrics, _stop.Token));
                    lock (_samples)
                    {
                        _samples.Add(sample);
                    }
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !_stop.IsCancellationRequested))
                {
                    // Refused, or no answer within the client's timeout (an app stalled for seconds): sampling goes on.
                    Interlocked.Increment(ref _failed);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The app's counters from the Prometheus text; this process's read at the same moment.</summary>
    private static GcSample Parse(string metrics)
    {
        double pause = 0;
        var collections = new long[3];
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_pause_time_seconds_total", StringComparison.Ordinal))
            {
                pause = Value(line);
            }
            else if (line.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal))
            {
                for (var generation = 0; generation < collections.Length; generation++)
                {
                    if (line.Contains($"gc_heap_generation=\"gen{generation}\"", StringComparison.Ordinal))
                    {
                        collections[generation] = (long)Value(line);
                    }
                }
            }
        }

        return new GcSample(TimeProvider.System.GetUtcNow().UtcDateTime, pause, collections[0], collections[1], collections[2],
            GC.GetTotalPauseDuration(), GC.CollectionCount(0));
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed record GcSample(DateTime Utc, double ServerPauseSeconds, long ServerGen0, long ServerGen1, long ServerGen2, TimeSpan DriverPause, int DriverCollections);
}

/// <summary>Collections (by generation for the app) and time paused over a span; <see cref="FailedSamples"/> counts scrapes that got no answer.</summary>
internal sealed record GcDelta(double ServerPauseMs, long ServerGen0, long ServerGen1, long ServerGen2, double DriverPauseMs, int DriverCollections, int FailedSamples)
{
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"server paused {ServerPauseMs:0} ms ({ServerGen0 + ServerGen1 + ServerGen2} collections: gen0 {ServerGen0}, gen1 {ServerGen1}, gen2 {ServerGen2}), driver paused {DriverPauseMs:0} ms ({DriverCollections} collections)") +
        (FailedSamples > 0 ? $"; {FailedSamples} scrapes of the app's /metrics unanswered so far" : "");
}
