using System.Globalization;

namespace Lotse.Domain.Supervision;

/// <summary>
/// A calendar month as a counselling centre in Germany counts it: from midnight of the 1st to midnight of the next 1st,
/// local time (Europe/Berlin). The UTC limits therefore differ by an hour between winter and summer months; a month with
/// a clock change is 743 or 745 hours long.
/// </summary>
public sealed record StatisticsMonth(int Year, int Month)
{
    /// <summary>"2026-11" (the value of an &lt;input type="month"&gt;); false for anything else.</summary>
    public static bool TryParse(string? text, out StatisticsMonth month)
    {
        month = new StatisticsMonth(1, 1);
        if (text is null || !DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || first.Year < 2000 || first.Year > 2999)
        {
            return false;
        }

        month = new StatisticsMonth(first.Year, first.Month);
        return true;
    }

    /// <summary>The month in which <paramref name="nowUtc"/> falls, local time.</summary>
    public static StatisticsMonth Containing(DateTime nowUtc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        return new StatisticsMonth(local.Year, local.Month);
    }

    /// <summary>Midnight of the 1st, local time, as UTC. Midnight always exists: clocks change at 02:00/03:00.</summary>
    public DateTime StartUtc(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTimeToUtc(new DateTime(Year, Month, 1, 0, 0, 0, DateTimeKind.Unspecified), zone);
    }

    /// <summary>The start of the next month: the first instant that no longer belongs to this one.</summary>
    public DateTime EndUtc(TimeZoneInfo zone) => Next.StartUtc(zone);

    public bool Contains(DateTime utc, TimeZoneInfo zone) => utc >= StartUtc(zone) && utc < EndUtc(zone);

    public StatisticsMonth Next => Month == 12 ? new StatisticsMonth(Year + 1, 1) : new StatisticsMonth(Year, Month + 1);

    public StatisticsMonth Previous => Month == 1 ? new StatisticsMonth(Year - 1, 12) : new StatisticsMonth(Year, Month - 1);

    /// <summary>"2026-11".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
