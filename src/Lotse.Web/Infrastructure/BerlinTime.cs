using System.Globalization;

namespace Lotse.Web.Infrastructure;

/// <summary>UTC is stored; Europe/Berlin is what people read and type.</summary>
public static class BerlinTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>"Di., 24.11.2026, 14:00 Uhr" in German; "Tue, 24 Nov 2026, 14:00" in English.</summary>
    public static string DateTimeText(DateTime utc) => Day(ToLocal(utc)) + ", " + Clock(ToLocal(utc)) + Suffix;

    /// <summary>A period: same day as "Di., 24.11.2026, 14:00–14:50 Uhr", else both ends in full.</summary>
    public static string PeriodText(DateTime startUtc, DateTime endUtc)
    {
        var start = ToLocal(startUtc);
        var end = ToLocal(endUtc);
        return start.Date == end.Date
            ? Day(start) + ", " + Clock(start) + "–" + Clock(end) + Suffix
            : DateTimeText(startUtc) + (IsGerman ? " bis " : " to ") + DateTimeText(endUtc);
    }

    /// <summary>ISO 8601 in UTC, for machine-readable &lt;time&gt; attributes and scripts.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("o", CultureInfo.InvariantCulture);

    private static bool IsGerman => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "de";

    private static string Suffix => IsGerman ? " Uhr" : "";

    private static string Day(DateTime local) =>
        local.ToString(IsGerman ? "ddd, dd.MM.yyyy" : "ddd, dd MMM yyyy", CultureInfo.CurrentCulture);

    private static string Clock(DateTime local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);
}
