using System.Diagnostics;
using System.Globalization;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// Percentiles of a set of durations, exact: every sample is kept and sorted (a minute at 1,000 messages/s is 60,000
/// longs), so there is no bucket error to explain. Percentile p is the smallest sample at or above p % of them.
/// </summary>
public sealed class Latencies
{
    private readonly double[] _sortedMs;

    public Latencies(IEnumerable<long> stopwatchTicks)
    {
        ArgumentNullException.ThrowIfNull(stopwatchTicks);
        _sortedMs = stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
    }

    public int Count => _sortedMs.Length;

    public double Percentile(double p) =>
        _sortedMs.Length == 0 ? double.NaN : _sortedMs[Math.Clamp((int)Math.Ceiling(p / 100.0 * _sortedMs.Length) - 1, 0, _sortedMs.Length - 1)];

    public double Max => _sortedMs.Length == 0 ? double.NaN : _sortedMs[^1];

    public string Summary() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(50):0.0} ms, p90 {Percentile(90):0.0} ms, p99 {Percentile(99):0.0} ms, p99.9 {Percentile(99.9):0.0} ms, max {Max:0.0} ms ({Count:N0} samples)");
}
