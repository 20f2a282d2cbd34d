namespace Lotse.Domain.Agencies;

/// <summary>
/// The 16 German states (Bundesländer); their public holidays differ. Stored by name; numbered from 1 so that the
/// CLR default is no state (EF Core then always writes the chosen one instead of the column's default).
/// </summary>
public enum FederalState
{
    BadenWuerttemberg = 1,
    Bayern,
    Berlin,
    Brandenburg,
    Bremen,
    Hamburg,
    Hessen,
    MecklenburgVorpommern,
    Niedersachsen,
    NordrheinWestfalen,
    RheinlandPfalz,
    Saarland,
    Sachsen,
    SachsenAnhalt,
    SchleswigHolstein,
    Thueringen,
}

/// <summary>A public holiday on a date, with its German name.</summary>
public sealed record PublicHoliday(DateOnly Date, string Name);

/// <summary>
/// Statutory public holidays in Germany for one state and year (Feiertagsgesetze of the states, as of 2026): the nine
/// nationwide ones plus the state's own. Holidays that hold only in some municipalities (Mariä Himmelfahrt in parts of
/// Bavaria, Fronleichnam in parts of Saxony and Thuringia, Augsburger Friedensfest) are left out; an agency adds them as
/// its own closing days. Sundays that are holidays by law (Easter and Whit Sunday in Brandenburg) are included.
/// </summary>
public static class GermanHolidays
{
    private static readonly FederalState[] ThreeKings = [FederalState.BadenWuerttemberg, FederalState.Bayern, FederalState.SachsenAnhalt];
    private static readonly FederalState[] WomensDay = [FederalState.Berlin, FederalState.MecklenburgVorpommern];
    private static readonly FederalState[] CorpusChristi =
        [FederalState.BadenWuerttemberg, FederalState.Bayern, FederalState.Hessen, FederalState.NordrheinWestfalen, FederalState.RheinlandPfalz, FederalState.Saarland];
    private static readonly FederalState[] Assumption = [FederalState.Saarland];
    private static readonly FederalState[] ChildrensDay = [FederalState.Thueringen];
    private static readonly FederalState[] Reformation =
    [
        FederalState.Brandenburg, FederalState.Bremen, FederalState.Hamburg, FederalState.MecklenburgVorpommern, FederalState.Niedersachsen,
        FederalState.Sachsen, FederalState.SachsenAnhalt, FederalState.SchleswigHolstein, FederalState.Thueringen,
    ];
    private static readonly FederalState[] AllSaints =
        [FederalState.BadenWuerttemberg, FederalState.Bayern, FederalState.NordrheinWestfalen, FederalState.RheinlandPfalz, FederalState.Saarland];
    private static readonly FederalState[] RepentanceDay = [FederalState.Sachsen];
    private static readonly FederalState[] EasterSundays = [FederalState.Brandenburg];

    /// <summary>The state's public holidays of <paramref name="year"/>, in date order.</summary>
    public static IReadOnlyList<PublicHoliday> For(int year, FederalState state)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1900);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 2200);
        var easter = EasterSunday(year);
        var days = new List<PublicHoliday>
        {
            new(new DateOnly(year, 1, 1), "Neujahr"),
            new(easter.AddDays(-2), "Karfreitag"),
            new(easter.AddDays(1), "Ostermontag"),
            new(new DateOnly(year, 5, 1), "Tag der Arbeit"),
            new(easter.AddDays(39), "Christi Himmelfahrt"),
            new(easter.AddDays(50), "Pfingstmontag"),
            new(new DateOnly(year, 10, 3), "Tag der Deutschen Einheit"),
            new(new DateOnly(year, 12, 25), "1. Weihnachtstag"),
            new(new DateOnly(year, 12, 26), "2. Weihnachtstag"),
        };

        void Add(FederalState[] states, DateOnly date, string name)
        {
            if (states.Contains(state))
            {
                days.Add(new PublicHoliday(date, name));
            }
        }

        Add(ThreeKings, new DateOnly(year, 1, 6), "Heilige Drei Könige");
        Add(WomensDay, new DateOnly(year, 3, 8), "Internationaler Frauentag");
        Add(EasterSundays, easter, "Ostersonntag");
        Add(EasterSundays, easter.AddDays(49), "Pfingstsonntag");
        Add(CorpusChristi, easter.AddDays(60), "Fronleichnam");
        Add(Assumption, new DateOnly(year, 8, 15), "Mariä Himmelfahrt");
        Add(ChildrensDay, new DateOnly(year, 9, 20), "Weltkindertag");
        Add(Reformation, new DateOnly(year, 10, 31), "Reformationstag");
        Add(AllSaints, new DateOnly(year, 11, 1), "Allerheiligen");
        Add(RepentanceDay, RepentanceAndPrayerDay(year), "Buß- und Bettag");
        return days.OrderBy(d => d.Date).ToList();
    }

    /// <summary>Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The Wednesday before 23 November.</summary>
    private static DateOnly RepentanceAndPrayerDay(int year)
    {
        var day = new DateOnly(year, 11, 22);
        while (day.DayOfWeek != DayOfWeek.Wednesday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }
}
