namespace Lotse.Domain.Supervision;

/// <summary>
/// Percentiles of durations by the nearest-rank rule: p50 is the smallest value that at least half of all values do not
/// exceed. It always names a value that really occurred (no interpolation between two response times), which is what a
/// counselling centre reads out of "Antwortzeit p90: 26 Stunden": nine in ten requests were answered within that time.
/// </summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percent"/>-th percentile (1–100) of the values; null when there are none.</summary>
    public static TimeSpan? Of(IEnumerable<TimeSpan> values, int percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        // Nearest rank: ceil(p/100 · n), counted from 1. Integer arithmetic, so that no rounding moves the rank.
        var rank = (percent * sorted.Count + 99) / 100;
        return sorted[rank - 1];
    }
}
