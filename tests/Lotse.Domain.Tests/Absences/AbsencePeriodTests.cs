using Lotse.Domain.Absences;

namespace Lotse.Domain.Tests.Absences;

/// <summary>An absence is the half-open interval [StartUtc, EndUtc).</summary>
public sealed class AbsencePeriodTests
{
    private static readonly DateTime Ten = Utc.At(2026, 6, 1, 10);
    private static readonly DateTime Eleven = Utc.At(2026, 6, 1, 11);
    private static readonly AbsencePeriod TenToEleven = Utc.Absence(Ten, Eleven);

    [Fact]
    public void IsRunningAt_AtStart_True() => Assert.True(TenToEleven.IsRunningAt(Ten));

    [Fact]
    public void IsRunningAt_OneTickBeforeEnd_True() => Assert.True(TenToEleven.IsRunningAt(Eleven.AddTicks(-1)));

    [Fact]
    public void IsRunningAt_AtEnd_False() => Assert.False(TenToEleven.IsRunningAt(Eleven));

    [Fact]
    public void IsRunningAt_OneTickBeforeStart_False() => Assert.False(TenToEleven.IsRunningAt(Ten.AddTicks(-1)));

    [Fact]
    public void IsPastAt_AtEnd_True() => Assert.True(TenToEleven.IsPastAt(Eleven));

    [Fact]
    public void IsPastAt_WhileRunning_False() => Assert.False(TenToEleven.IsPastAt(Ten.AddMinutes(30)));

    [Fact]
    public void IsPastAt_BeforeStart_False() => Assert.False(TenToEleven.IsPastAt(Ten.AddHours(-1)));

    [Theory]
    [InlineData(11, 0, 12, 0, false)] // touches the end
    [InlineData(9, 0, 10, 0, false)] // touches the start
    [InlineData(10, 59, 11, 30, true)] // overlaps the end by a minute
    [InlineData(9, 30, 10, 1, true)] // overlaps the start by a minute
    [InlineData(10, 15, 10, 45, true)] // inside
    [InlineData(9, 0, 12, 0, true)] // around
    [InlineData(10, 0, 11, 0, true)] // identical
    [InlineData(12, 0, 13, 0, false)] // later
    public void Covers_Slot_OverlapOnlyWhenIntervalsShareTime(int fromHour, int fromMinute, int toHour, int toMinute, bool expected)
    {
        var from = Utc.At(2026, 6, 1, fromHour, fromMinute);
        var to = Utc.At(2026, 6, 1, toHour, toMinute);

        Assert.Equal(expected, TenToEleven.Covers(from, to));
    }
}
