using Lotse.Domain.Appointments;
using Lotse.Domain.Mail;
using Lotse.Domain.Supervision;

namespace Lotse.Domain.Tests.Supervision;

/// <summary>The month of a German counselling centre (Berlin time, with clock changes) and the figures counted in it.</summary>
public sealed class MonthlyStatisticsTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly StatisticsMonth November = new(2026, 11);

    // ---- the month ----

    [Fact]
    public void Month_WinterMonth_StartsAt23UtcOfTheDayBefore()
    {
        Assert.Equal(Utc.At(2026, 10, 31, 23), November.StartUtc(Berlin));
        Assert.Equal(Utc.At(2026, 11, 30, 23), November.EndUtc(Berlin));
    }

    [Fact]
    public void Month_SummerMonth_StartsAt22Utc()
    {
        var july = new StatisticsMonth(2026, 7);

        Assert.Equal(Utc.At(2026, 6, 30, 22), july.StartUtc(Berlin));
        Assert.Equal(Utc.At(2026, 7, 31, 22), july.EndUtc(Berlin));
    }

    [Fact]
    public void Month_MarchWithClockChange_Is743HoursLong()
    {
        var march = new StatisticsMonth(2026, 3);

        Assert.Equal(Utc.At(2026, 2, 28, 23), march.StartUtc(Berlin));
        Assert.Equal(Utc.At(2026, 3, 31, 22), march.EndUtc(Berlin));
        Assert.Equal(TimeSpan.FromHours(743), march.EndUtc(Berlin) - march.StartUtc(Berlin));
    }

    [Fact]
    public void Month_OctoberWithClockChange_Is745HoursLong()
    {
        var october = new StatisticsMonth(2026, 10);

        Assert.Equal(TimeSpan.FromHours(745), october.EndUtc(Berlin) - october.StartUtc(Berlin));
    }

    [Fact]
    public void Month_December_EndsAtNewYearBerlinTime()
    {
        Assert.Equal(Utc.At(2026, 12, 31, 23), new StatisticsMonth(2026, 12).EndUtc(Berlin));
        Assert.Equal(new StatisticsMonth(2027, 1), new StatisticsMonth(2026, 12).Next);
        Assert.Equal(new StatisticsMonth(2025, 12), new StatisticsMonth(2026, 1).Previous);
    }

    [Fact]
    public void Containing_NewYearsEveAfter23Utc_IsJanuaryInBerlin()
    {
        Assert.Equal(new StatisticsMonth(2027, 1), StatisticsMonth.Containing(Utc.At(2026, 12, 31, 23, 30), Berlin));
        Assert.Equal(new StatisticsMonth(2026, 12), StatisticsMonth.Containing(Utc.At(2026, 12, 31, 22, 59), Berlin));
    }

    [Theory]
    [InlineData("2026-11", 2026, 11)]
    [InlineData(" 2026-01 ", 2026, 1)]
    public void TryParse_MonthInputValue_Parsed(string text, int year, int month)
    {
        Assert.True(StatisticsMonth.TryParse(text, out var parsed));
        Assert.Equal(new StatisticsMonth(year, month), parsed);
        Assert.Equal($"{year:D4}-{month:D2}", parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("11.2026")]
    [InlineData("2026-11-05")]
    [InlineData("1999-12")]
    public void TryParse_Anything_Else_Refused(string? text)
    {
        Assert.False(StatisticsMonth.TryParse(text, out _));
    }

    // ---- the figures ----

    private static MonthFigures Build(
        IEnumerable<MailRequestRow>? mail = null,
        IEnumerable<DateTime>? chats = null,
        IEnumerable<AppointmentStatRow>? appointments = null,
        DateTime? now = null) =>
        MonthlyStatistics.Build(November, Berlin, mail ?? [], chats ?? [], appointments ?? [], now ?? Utc.At(2026, 12, 5, 12));

    [Fact]
    public void Build_NoData_ZeroCountsAndNoPercentiles()
    {
        var figures = Build();

        Assert.Equal(0, figures.Requests);
        Assert.All(figures.ByChannel, c => Assert.Equal(0, c.Count));
        Assert.Equal(0, figures.Answered);
        Assert.Null(figures.ResponseP50);
        Assert.Null(figures.ResponseP90);
        Assert.Equal(0, figures.AppointmentsHeld);
    }

    [Fact]
    public void Build_RequestsAtTheMonthBoundaryInBerlinTime_CountedInTheirLocalMonth()
    {
        var figures = Build(mail:
        [
            // 31 Oct 23:30 UTC is 1 Nov 00:30 in Berlin: November.
            new MailRequestRow(Utc.At(2026, 10, 31, 23, 30), RouteKind.Counsellor, null),
            // 31 Oct 22:59 UTC is 31 Oct 23:59 in Berlin: October.
            new MailRequestRow(Utc.At(2026, 10, 31, 22, 59), RouteKind.Counsellor, null),
            // 30 Nov 23:00 UTC is 1 Dec 00:00 in Berlin: December.
            new MailRequestRow(Utc.At(2026, 11, 30, 23, 0), RouteKind.Counsellor, null),
            new MailRequestRow(Utc.At(2026, 11, 30, 22, 59), RouteKind.Counsellor, null),
        ]);

        Assert.Equal(2, figures.MailRequests);
    }

    [Fact]
    public void Build_RouteKinds_CountedAsRoutedForwardedQueued()
    {
        var at = Utc.At(2026, 11, 10, 9);
        var figures = Build(mail:
        [
            new MailRequestRow(at, RouteKind.Counsellor, null),
            new MailRequestRow(at, RouteKind.Counsellor, null),
            new MailRequestRow(at, RouteKind.PersonalFallback, null),
            new MailRequestRow(at, RouteKind.AgencyFallback, null),
            new MailRequestRow(at, RouteKind.Queue, null),
        ]);

        Assert.Equal((2, 2, 1), (figures.Routed, figures.Forwarded, figures.Queued));
        Assert.Equal(5, figures.ByChannel.Single(c => c.Channel == RequestChannel.Mail).Count);
    }

    [Fact]
    public void Build_ResponseTimes_OnlyAnsweredRequestsCountTowardsPercentiles()
    {
        var at = Utc.At(2026, 11, 10, 9);
        var figures = Build(mail:
        [
            new MailRequestRow(at, RouteKind.Counsellor, at.AddHours(2)),
            new MailRequestRow(at, RouteKind.Counsellor, at.AddHours(4)),
            new MailRequestRow(at, RouteKind.Queue, at.AddHours(30)),
            new MailRequestRow(at, RouteKind.Counsellor, null),
        ]);

        Assert.Equal(3, figures.Answered);
        Assert.Equal(TimeSpan.FromHours(4), figures.ResponseP50);
        Assert.Equal(TimeSpan.FromHours(30), figures.ResponseP90);
    }

    [Fact]
    public void Build_RequestOfNovemberAnsweredInDecember_CountsForNovember()
    {
        var figures = Build(mail: [new MailRequestRow(Utc.At(2026, 11, 30, 20), RouteKind.Counsellor, Utc.At(2026, 12, 1, 8))]);

        Assert.Equal(TimeSpan.FromHours(12), figures.ResponseP50);
    }

    [Fact]
    public void Build_Appointments_HeldOnlyWhenConfirmedAndOverCancelledCounted()
    {
        var now = Utc.At(2026, 11, 20, 12);
        var past = Utc.At(2026, 11, 3, 9);
        var future = Utc.At(2026, 11, 25, 9);
        var figures = Build(
            appointments:
            [
                new AppointmentStatRow(past, past.AddMinutes(50), AppointmentStatus.Confirmed, AppointmentChannel.Video),
                new AppointmentStatRow(future, future.AddMinutes(50), AppointmentStatus.Confirmed, AppointmentChannel.Phone),
                new AppointmentStatRow(past, past.AddMinutes(50), AppointmentStatus.Cancelled, AppointmentChannel.Video),
                new AppointmentStatRow(past, past.AddMinutes(50), AppointmentStatus.Declined, AppointmentChannel.OnSite),
                new AppointmentStatRow(Utc.At(2026, 10, 3, 9), Utc.At(2026, 10, 3, 10), AppointmentStatus.Confirmed, AppointmentChannel.Video),
            ],
            now: now);

        Assert.Equal(1, figures.AppointmentsHeld);
        Assert.Equal(1, figures.AppointmentsCancelled);
        Assert.Equal(2, figures.ByChannel.Single(c => c.Channel == RequestChannel.Video).Count);
        Assert.Equal(1, figures.ByChannel.Single(c => c.Channel == RequestChannel.Phone).Count);
        Assert.Equal(0, figures.ByChannel.Single(c => c.Channel == RequestChannel.OnSite).Count);
    }

    [Fact]
    public void Build_Chats_CountedByStartInTheMonth()
    {
        var figures = Build(chats: [Utc.At(2026, 11, 2, 8), Utc.At(2026, 11, 29, 8), Utc.At(2026, 12, 1, 8)]);

        Assert.Equal(2, figures.ByChannel.Single(c => c.Channel == RequestChannel.Chat).Count);
        Assert.Equal(2, figures.Requests);
    }
}
