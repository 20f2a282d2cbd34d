using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Lotse.Bench.Infrastructure;

/// <summary>One HTTP request of a scenario, made for the n-th call; true when the app answered as it should.</summary>
public delegate Task<bool> HttpOperation(HttpClient http, long n, CancellationToken cancellationToken);

/// <summary>What one load step measured: requests done, how many failed, latencies, and the CPU used meanwhile.</summary>
public sealed record LoadResult(long Done, long Failed, double Seconds, Latencies Latency, double AppCpu, double DatabaseCpu, double DriverCpu, double MachineBusy, string LoadAverage)
{
    public double PerSecond => Done / Seconds;

    public string Cpu(int cores) => string.Create(CultureInfo.InvariantCulture,
        $"app {AppCpu / Seconds * 100:0} %, PostgreSQL {DatabaseCpu / Seconds * 100:0} %, driver {DriverCpu / Seconds * 100:0} %, machine {MachineBusy / Seconds * 100:0} % of {cores * 100} % (others {(MachineBusy - AppCpu - DatabaseCpu - DriverCpu) / Seconds * 100:0} %)");
}

/// <summary>
/// Drives HTTP load from this process against the app on loopback, with one pooled <see cref="HttpClient"/> (no cookie
/// container, no redirects: each operation sets its own cookie header and looks at the answer itself).
/// <para>
/// <see cref="ClosedLoopAsync"/> measures the most requests per second: N workers, each sending the next request as
/// soon as the previous one is answered. <see cref="OpenLoopAsync"/> measures latency at a fixed rate: request n is due
/// at start + n/rate whether or not earlier ones were answered, and its latency counts from when it was due, so that a
/// stalled server shows up as latency instead of a politely lower rate (no coordinated omission).
/// </para>
/// </summary>
public sealed class HttpLoad(Uri app, int appPid, int? databasePid) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 1024,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = app,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public HttpClient Http => _http;

    public async Task<LoadResult> ClosedLoopAsync(HttpOperation operation, int workers, TimeSpan duration, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var samples = new List<long>[workers];
        long next = -1;
        long failed = 0;
        var meter = Start();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = samples[w] = new List<long>(4096);
            long n;
            while (Stopwatch.GetTimestamp() < end && (n = Interlocked.Increment(ref next)) < limit)
            {
                var start = Stopwatch.GetTimestamp();
                if (!await SafeAsync(operation, n, cancellationToken))
                {
                    Interlocked.Increment(ref failed);
                }

                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        }, cancellationToken)));
        return meter.Stop(samples.SelectMany(s => s), failed);
    }

    public async Task<LoadResult> OpenLoopAsync(HttpOperation operation, double rate, TimeSpan duration, long first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var count = (long)(rate * duration.TotalSeconds);
        var latencies = new long[count];
        var running = new List<Task>((int)count);
        long failed = 0;
        var meter = Start();
        var start = Stopwatch.GetTimestamp();
        // Fires every request that is due, then sleeps about a millisecond: no busy waiting, which would take a core
        // from the app on this 2-core machine. The latency counts from the due time, so this jitter (≤ 1–2 ms) is in it.
        long i = 0;
        while (i < count)
        {
            var now = Stopwatch.GetTimestamp();
            for (; i < count && start + (long)(i / rate * Stopwatch.Frequency) <= now; i++)
            {
                var index = i;
                var due = start + (long)(index / rate * Stopwatch.Frequency);
                running.Add(Task.Run(async () =>
                {
                    if (!await SafeAsync(operation, first + index, cancellationToken))
                    {
                        Interlocked.Increment(ref failed);
                    }

                    latencies[index] = Stopwatch.GetTimestamp() - due;
                }, cancellationToken));
            }

            if (i < count)
            {
                await Task.Delay(1, cancellationToken);
            }
        }

        await Task.WhenAll(running);
        return meter.Stop(latencies, failed);
    }

    public void Dispose() => _http.Dispose();

    private async Task<bool> SafeAsync(HttpOperation operation, long n, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(_http, n, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private Meter Start() => new(appPid, databasePid);

    private sealed class Meter(int appPid, int? databasePid)
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly double _app = Machine.ProcessCpuSeconds(appPid);
        private readonly double _db = databasePid is { } pid ? Machine.TreeCpuSeconds(pid) : 0;
        private readonly double _self = Machine.ProcessCpuSeconds(Environment.ProcessId);
        private readonly double _busy = Machine.MachineCpuSeconds().Busy;

        public LoadResult Stop(IEnumerable<long> samples, long failed)
        {
            var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            var latency = new Latencies(samples);
            return new LoadResult(latency.Count, failed, seconds, latency,
                Machine.ProcessCpuSeconds(appPid) - _app,
                databasePid is { } pid ? Machine.TreeCpuSeconds(pid) - _db : 0,
                Machine.ProcessCpuSeconds(Environment.ProcessId) - _self,
                Machine.MachineCpuSeconds().Busy - _busy,
                Machine.LoadAverage());
        }
    }
}
