using System.Globalization;

namespace Lotse.Web.Infrastructure;

/// <summary>UTC is stored; Europe/Berlin is what people read and type.</summary>
public static class BerlinTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>
    /// A wall-clock time in Berlin as UTC. False for a time that does not exist (the hour skipped when
    /// clocks go forward in March); a time that exists twice (October) is read as the second, standard-time one.
    /// </summary>
    public static bool TryToUtc(DateOnly date, TimeOnly time, out DateTime utc)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            utc = default;
            return false;
        }

        utc = TimeZoneInfo.ConvertTimeToUtc(local, Zone);
        return true;
    }

    /// <summary>"Di, 24.11.2026, 14:00 Uhr" in German; "Tue, 24 Nov 2026, 14:00" in English.</summary>
    public static string DateTimeText(DateTime utc) => Day(ToLocal(utc)) + ", " + Clock(ToLocal(utc)) + Suffix;

    /// <summary>
    /// The end of an absence as people say it: a midnight end is "einschließlich" the day before
    /// ("einschließlich Di, 24.11.2026"), any other end the full date and time.
    /// </summary>
    public static string EndText(DateTime endUtc)
    {
        var end = ToLocal(endUtc);
        return end.TimeOfDay == TimeSpan.Zero
            ? (IsGerman ? "einschließlich " : "and including ") + Day(end.AddDays(-1))
            : DateTimeText(endUtc);
    }

    /// <summary>
    /// A period as people say it: whole days as "Mi, 02.12.2026 bis Fr, 04.12.2026 (ganztägig)", one day's hours as
    /// "Di, 24.11.2026, 14:00–14:50 Uhr", anything else with both ends in full.
    /// </summary>
    public static string PeriodText(DateTime startUtc, DateTime endUtc)
    {
        var start = ToLocal(startUtc);
        var end = ToLocal(endUtc);
        if (start.TimeOfDay == TimeSpan.Zero && end.TimeOfDay == TimeSpan.Zero && end > start)
        {
            var lastDay = end.AddDays(-1);
            var days = lastDay.Date == start.Date ? Day(start) : Day(start) + Until + Day(lastDay);
            return days + (IsGerman ? " (ganztägig)" : " (all day)");
        }

        return start.Date == end.Date
            ? Day(start) + ", " + Clock(start) + "–" + Clock(end) + Suffix
            : DateTimeText(startUtc) + Until + DateTimeText(endUtc);
    }

    /// <summary>A calendar day: "Do, 24.12.2026" in German; "Thu, 24 Dec 2026" in English.</summary>
    public static string DateText(DateOnly date) => Day(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>ISO 8601 in UTC, for machine-readable &lt;time&gt; attributes and scripts.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("o", CultureInfo.InvariantCulture);

    private static bool IsGerman => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de";

    private static string Suffix => IsGerman ? " Uhr" : "";

    private static string Until => IsGerman ? " bis " : " to ";

    private static string Day(DateTime local) =>
        local.ToString(IsGerman ? "ddd, dd.MM.yyyy" : "ddd, dd MMM yyyy", CultureInfo.CurrentCulture);

    private static string Clock(DateTime local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);
}
