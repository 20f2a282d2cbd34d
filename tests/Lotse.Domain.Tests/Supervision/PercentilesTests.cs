using Lotse.Domain.Supervision;

namespace Lotse.Domain.Tests.Supervision;

/// <summary>The nearest-rank percentile of response times (p50/p90 of the monthly statistics).</summary>
public sealed class PercentilesTests
{
    private static readonly int[] Shuffled = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];

    private static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    [Fact]
    public void Of_NoValues_IsNull()
    {
        Assert.Null(Percentiles.Of([], 50));
        Assert.Null(Percentiles.Of([], 90));
    }

    [Fact]
    public void Of_OneValue_IsThatValueForEveryPercentile()
    {
        Assert.Equal(H(3), Percentiles.Of([H(3)], 1));
        Assert.Equal(H(3), Percentiles.Of([H(3)], 50));
        Assert.Equal(H(3), Percentiles.Of([H(3)], 90));
        Assert.Equal(H(3), Percentiles.Of([H(3)], 100));
    }

    [Fact]
    public void Of_TenValuesUnsorted_P50IsFifthAndP90IsNinth()
    {
        var values = Shuffled.Select(h => H(h)).ToList();

        Assert.Equal(H(5), Percentiles.Of(values, 50));
        Assert.Equal(H(9), Percentiles.Of(values, 90));
        Assert.Equal(H(10), Percentiles.Of(values, 100));
    }

    [Fact]
    public void Of_TwoValues_P50IsTheLowerOneNotTheMean()
    {
        Assert.Equal(H(1), Percentiles.Of([H(1), H(5)], 50));
        Assert.Equal(H(5), Percentiles.Of([H(1), H(5)], 90));
    }

    [Fact]
    public void Of_ElevenValues_P90RoundsTheRankUp()
    {
        // ceil(0.9 · 11) = 10: the tenth value, never one between two values.
        var values = Enumerable.Range(1, 11).Select(h => H(h)).ToList();

        Assert.Equal(H(10), Percentiles.Of(values, 90));
        Assert.Equal(H(6), Percentiles.Of(values, 50));
    }

    [Fact]
    public void Of_RepeatedValues_CountEachTime()
    {
        Assert.Equal(H(2), Percentiles.Of([H(2), H(2), H(2), H(40)], 50));
        Assert.Equal(H(40), Percentiles.Of([H(2), H(2), H(2), H(40)], 90));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Of_PercentOutsideOneToHundred_Throws(int percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([H(1)], percent));
    }
}
