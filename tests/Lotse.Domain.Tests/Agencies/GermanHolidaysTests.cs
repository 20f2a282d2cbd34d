using Lotse.Domain.Agencies;

namespace Lotse.Domain.Tests.Agencies;

public sealed class GermanHolidaysTests
{
    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)] // the latest possible date
    [InlineData(2008, 3, 23)] // an early one
    public void EasterSunday_KnownYears_Matches(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), GermanHolidays.EasterSunday(year));

    [Fact]
    public void For_Berlin2026_NineNationwidePlusWomensDay()
    {
        var days = GermanHolidays.For(2026, FederalState.Berlin);

        Assert.Equal(
        [
            (new DateOnly(2026, 1, 1), "Neujahr"),
            (new DateOnly(2026, 3, 8), "Internationaler Frauentag"),
            (new DateOnly(2026, 4, 3), "Karfreitag"),
            (new DateOnly(2026, 4, 6), "Ostermontag"),
            (new DateOnly(2026, 5, 1), "Tag der Arbeit"),
            (new DateOnly(2026, 5, 14), "Christi Himmelfahrt"),
            (new DateOnly(2026, 5, 25), "Pfingstmontag"),
            (new DateOnly(2026, 10, 3), "Tag der Deutschen Einheit"),
            (new DateOnly(2026, 12, 25), "1. Weihnachtstag"),
            (new DateOnly(2026, 12, 26), "2. Weihnachtstag"),
        ], days.Select(d => (d.Date, d.Name)));
    }

    [Fact]
    public void For_Bayern2026_ThreeKingsCorpusChristiAllSaintsButNoReformationDay()
    {
        var names = GermanHolidays.For(2026, FederalState.Bayern).ToDictionary(d => d.Name, d => d.Date);

        Assert.Equal(12, names.Count);
        Assert.Equal(new DateOnly(2026, 1, 6), names["Heilige Drei Könige"]);
        Assert.Equal(new DateOnly(2026, 6, 4), names["Fronleichnam"]);
        Assert.Equal(new DateOnly(2026, 11, 1), names["Allerheiligen"]);
        Assert.DoesNotContain("Reformationstag", names.Keys);
    }

    [Theory]
    [InlineData(2026, 11, 18)]
    [InlineData(2027, 11, 17)]
    [InlineData(2028, 11, 22)] // 22 November is itself a Wednesday
    public void For_Sachsen_RepentanceDayIsTheWednesdayBefore23November(int year, int month, int day) =>
        Assert.Contains(GermanHolidays.For(year, FederalState.Sachsen), d => d.Name == "Buß- und Bettag" && d.Date == new DateOnly(year, month, day));

    [Fact]
    public void For_Brandenburg_EasterAndWhitSundayIncluded() =>
        Assert.Equal(
            [new DateOnly(2026, 4, 5), new DateOnly(2026, 5, 24)],
            GermanHolidays.For(2026, FederalState.Brandenburg).Where(d => d.Name is "Ostersonntag" or "Pfingstsonntag").Select(d => d.Date));

    [Fact]
    public void For_EveryState_HasTheNineNationwideHolidaysInDateOrder()
    {
        foreach (var state in Enum.GetValues<FederalState>())
        {
            var days = GermanHolidays.For(2027, state);
            Assert.True(days.Count >= 9, $"{state}: {days.Count}");
            Assert.Equal(days.OrderBy(d => d.Date), days);
            Assert.Contains(days, d => d.Name == "Tag der Deutschen Einheit");
        }
    }
}
