using Lotse.Domain.Absences;

namespace Lotse.Domain.Tests;

/// <summary>Short ways to write the UTC instants and absences the tests talk about.</summary>
internal static class Utc
{
    /// <summary>A fixed "now" for tests that need one: Wednesday 2026-05-13 10:00 UTC.</summary>
    public static readonly DateTime Now = At(2026, 5, 13, 10, 0);

    public static DateTime At(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static AbsencePeriod Absence(DateTime startUtc, DateTime endUtc, string note = "") =>
        new(Guid.NewGuid(), startUtc, endUtc, note);
}
