using System.Net;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>The absences overview and the rules behind it, over HTTP. The fake clock starts Tue 24.11.2026, 09:00 Berlin.</summary>
public abstract class AbsenceTests(DatabaseKind kind) : WebTest(kind)
{
    [Fact]
    public async Task Create_WholeDays_SavedAsBerlinMidnightsAndShownOnDashboard()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-01", null, "2026-12-03", null, "Urlaub, ab 4.12. wieder da");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(new DateTime(2026, 11, 30, 23, 0, 0, DateTimeKind.Utc), saved.StartUtc);
        Assert.Equal(new DateTime(2026, 12, 3, 23, 0, 0, DateTimeKind.Utc), saved.EndUtc);
        Assert.Equal("anna", saved.CreatedBy);
        Assert.Contains("Urlaub, ab 4.12. wieder da", await http.GetStringAsync("/"), StringComparison.Ordinal);
        var overview = await http.GetStringAsync("/abwesenheiten");
        Assert.Contains("Eingetragen von anna", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithTimes_SavedExactly()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: false, "2026-11-25", "13:30", "2026-11-25", "17:00", "Teamsitzung");

        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(new DateTime(2026, 11, 25, 12, 30, 0, DateTimeKind.Utc), saved.StartUtc);
        Assert.Equal(new DateTime(2026, 11, 25, 16, 0, 0, DateTimeKind.Utc), saved.EndUtc);
    }

    [Fact]
    public async Task Create_AcrossSpringForward_StoresExactUtcAndRefusesTheMissingHour()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var missing = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: false, "2027-03-28", "02:30", "2027-03-28", "10:00", "");
        Assert.Contains("Die Uhrzeit 02:30 gibt es am 28.03.2027 wegen der Umstellung auf Sommerzeit nicht.", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAbsencesAsync());

        await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2027-03-27", null, "2027-03-28", null, "Wochenende");

        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(new DateTime(2027, 3, 26, 23, 0, 0, DateTimeKind.Utc), saved.StartUtc); // +01:00
        Assert.Equal(new DateTime(2027, 3, 28, 22, 0, 0, DateTimeKind.Utc), saved.EndUtc);   // +02:00
        Assert.Equal(TimeSpan.FromHours(47), saved.EndUtc - saved.StartUtc);
    }

    [Fact]
    public async Task Create_AcrossFallBack_PeriodIs25HoursLongOnThatDay()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2027-10-31", null, "2027-10-31", null, "");

        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(new DateTime(2027, 10, 30, 22, 0, 0, DateTimeKind.Utc), saved.StartUtc);
        Assert.Equal(TimeSpan.FromHours(25), saved.EndUtc - saved.StartUtc);
    }

    [Theory]
    [InlineData("2026-12-05", "10:00", "2026-12-05", "09:00", "", "Das Ende muss nach dem Beginn liegen.")]
    [InlineData("2026-11-20", "10:00", "2026-11-26", "09:00", "", "Der Beginn liegt in der Vergangenheit.")]
    [InlineData("2026-12-05", "10:00", "2026-12-05", "12:00", "<b>Urlaub</b>", "ist reiner Text")]
    [InlineData("2026-12-05", "", "2026-12-05", "12:00", "", "Bitte füllen Sie das Feld „Von (Uhrzeit)“ aus.")]
    [InlineData("", "10:00", "2026-12-05", "12:00", "", "Bitte füllen Sie das Feld „Von (Datum)“ aus.")]
    [InlineData("kein Datum", "10:00", "2026-12-05", "12:00", "", "Von (Datum)")]
    public async Task Create_BadInput_GermanMessageAndNothingSaved(string fromDate, string fromTime, string toDate, string toTime, string note, string message)
    {
        await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: false, fromDate, fromTime, toDate, toTime, note);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_NoteOf10000Characters_RefusedNamingTheField()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-05", null, "2026-12-05", null, new string('x', 10_000));

        Assert.Contains("Die „Notiz für Ratsuchende“ darf höchstens 500 Zeichen lang sein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_Overlapping_RefusedNamingTheOtherAbsence()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddAbsenceAsync(anna, new DateTime(2026, 12, 1, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 4, 23, 0, 0, DateTimeKind.Utc), "Urlaub");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: false, "2026-12-04", "10:00", "2026-12-06", "10:00", "");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("überschneidet sich mit der Abwesenheit Mi, 02.12.2026 bis Fr, 04.12.2026 (ganztägig)", html, StringComparison.Ordinal);
        Assert.Equal(1, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_TouchingAnother_Allowed()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddAbsenceAsync(anna, new DateTime(2026, 12, 1, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 2, 23, 0, 0, DateTimeKind.Utc), "Tag 1");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-03", null, "2026-12-03", null, "Tag 2");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(2, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_TwoOverlappingAtTheSameInstant_ExactlyOneSaved()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var first = await LoginAsync("anna@test.lotse");
        var second = await LoginAsync("anna@test.lotse");
        var tokenA = await AntiforgeryTokenAsync(first, "/abwesenheiten/neu");
        var tokenB = await AntiforgeryTokenAsync(second, "/abwesenheiten/neu");

        var results = await Task.WhenAll(
            PostWithTokenAsync(first, tokenA, "2026-12-10", "2026-12-12"),
            PostWithTokenAsync(second, tokenB, "2026-12-11", "2026-12-13"));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.Equal(1, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_WithConfirmedAppointmentsInside_ListsThemAsWarningAndCancelsNothing()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var inside = await AddAppointmentAsync(anna, mond, new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc), AppointmentStatus.Confirmed);
        var requested = await AddAppointmentAsync(anna, mond, new DateTime(2026, 12, 2, 11, 0, 0, DateTimeKind.Utc), AppointmentStatus.Requested);
        var outside = await AddAppointmentAsync(anna, mond, new DateTime(2026, 12, 9, 9, 0, 0, DateTimeKind.Utc), AppointmentStatus.Confirmed);
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-01", null, "2026-12-03", null, "");
        var html = await http.GetStringAsync(response.Headers.Location!.OriginalString);

        Assert.Contains("Achtung: Ein bestätigter Termin fällt in diese Abwesenheit", html, StringComparison.Ordinal);
        Assert.Contains("Mi, 02.12.2026, 10:00–10:50 Uhr", html, StringComparison.Ordinal);
        Assert.DoesNotContain("09.12.2026", html, StringComparison.Ordinal);
        var states = await WithDbAsync(db => db.Appointments.AsNoTracking().Select(a => a.Status).ToListAsync());
        Assert.Equal(2, states.Count(s => s == AppointmentStatus.Confirmed));
        Assert.Equal(1, states.Count(s => s == AppointmentStatus.Requested));
        Assert.NotEqual(inside.Id, outside.Id);
        Assert.NotEqual(requested.Id, outside.Id);
    }

    [Fact]
    public async Task Edit_UpcomingAbsence_MovesIt()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now.AddDays(3), Now.AddDays(4), "alt");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, $"/abwesenheiten/{absence.Id}/bearbeiten", wholeDays: true, "2026-12-07", null, "2026-12-08", null, "neu");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(new DateTime(2026, 12, 6, 23, 0, 0, DateTimeKind.Utc), saved.StartUtc);
        Assert.Equal("neu", saved.Note);
    }

    [Fact]
    public async Task Edit_RunningAbsence_EndCanMoveStartStays()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var start = Now.AddDays(-1);
        var absence = await AddAbsenceAsync(anna, start, Now.AddDays(5), "krank");
        var http = await LoginAsync("anna@test.lotse");
        var form = await http.GetStringAsync($"/abwesenheiten/{absence.Id}/bearbeiten");
        Assert.Contains("data-testid=\"fixed-start\"", form, StringComparison.Ordinal);

        // A forged start is ignored: the running absence keeps its start.
        var response = await PostAbsenceAsync(http, $"/abwesenheiten/{absence.Id}/bearbeiten", wholeDays: false, "2026-11-01", "08:00", "2026-11-25", "18:00", "krank");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal(start, saved.StartUtc);
        Assert.Equal(new DateTime(2026, 11, 25, 17, 0, 0, DateTimeKind.Utc), saved.EndUtc);
    }

    [Fact]
    public async Task Edit_RunningAbsenceEndIntoPast_Refused()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now.AddDays(-2), Now.AddDays(5), "krank");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostAbsenceAsync(http, $"/abwesenheiten/{absence.Id}/bearbeiten", wholeDays: false, "", "", "2026-11-23", "18:00", "krank");

        Assert.Contains("Das Ende liegt in der Vergangenheit.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(5), (await SingleAbsenceAsync(anna)).EndUtc);
    }

    [Fact]
    public async Task EndNow_RunningAbsence_EndsAtThisInstantAndClientSeesCounsellorAgain()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        var absence = await AddAbsenceAsync(anna, Now.AddHours(-3), Now.AddDays(2), "krank");
        var visitor = Browser();
        Assert.Contains("data-can-chat=\"false\"", await visitor.GetStringAsync($"/berater/{anna.Id}"), StringComparison.Ordinal);
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, $"/abwesenheiten?handler=EndNow&id={absence.Id}", new Dictionary<string, string>(), formPage: "/abwesenheiten");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Now, (await SingleAbsenceAsync(anna)).EndUtc);
        Assert.Contains("data-can-chat=\"true\"", await visitor.GetStringAsync($"/berater/{anna.Id}"), StringComparison.Ordinal);
        Assert.Contains("Keine Abwesenheit geplant.", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndNow_AbsenceStartingThisInstant_RemovedWithoutError()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now, Now.AddDays(1), "gerade begonnen");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, $"/abwesenheiten?handler=EndNow&id={absence.Id}", new Dictionary<string, string>(), formPage: "/abwesenheiten");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await CountAbsencesAsync());
    }

    [Fact]
    public async Task Create_NoteWithWindowsLineBreaks_CountsEachBreakOnce()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");
        var note = string.Join("\r\n", Enumerable.Repeat(new string('a', 49), 10)); // 490 letters + 9 breaks

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-05", null, "2026-12-05", null, note);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(499, (await SingleAbsenceAsync(anna)).Note.Length);
    }

    [Fact]
    public async Task Delete_UpcomingAbsence_AsksThenDeletes()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now.AddDays(3), Now.AddDays(4), "Urlaub");
        var http = await LoginAsync("anna@test.lotse");

        var confirm = await http.GetStringAsync($"/abwesenheiten/{absence.Id}/loeschen");
        Assert.Contains("Abwesenheit löschen?", confirm, StringComparison.Ordinal);
        Assert.Equal(1, await CountAbsencesAsync());

        var response = await PostFormAsync(http, $"/abwesenheiten/{absence.Id}/loeschen", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await CountAbsencesAsync());
    }

    [Theory]
    [InlineData(-3, 2, "kann nicht gelöscht werden")]
    [InlineData(-5, -4, "ist vorbei")]
    public async Task Delete_RunningOrPast_RefusedAndKept(int startDays, int endDays, string message)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now.AddDays(startDays), Now.AddDays(endDays), "x");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, $"/abwesenheiten/{absence.Id}/loeschen", new Dictionary<string, string>());

        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAbsencesAsync());
    }

    [Fact]
    public async Task OtherCounsellorsAbsence_EditDeleteEndNow_All404AndUnchanged()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddCounsellorAsync("ben@test.lotse");
        var absence = await AddAbsenceAsync(anna, Now.AddDays(-1), Now.AddDays(4), "Annas");
        var ben = await LoginAsync("ben@test.lotse");

        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync($"/abwesenheiten/{absence.Id}/bearbeiten")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAbsenceAsync(ben, $"/abwesenheiten/{absence.Id}/bearbeiten", true, "2026-12-01", null, "2026-12-02", null, "Bens", formPage: "/abwesenheiten/neu")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(ben, $"/abwesenheiten/{absence.Id}/loeschen", new Dictionary<string, string>(), formPage: "/abwesenheiten")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(ben, $"/abwesenheiten?handler=EndNow&id={absence.Id}", new Dictionary<string, string>(), formPage: "/abwesenheiten")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync($"/abwesenheiten?berater={anna.Id}")).StatusCode);
        var kept = await SingleAbsenceAsync(anna);
        Assert.Equal(("Annas", Now.AddDays(4)), (kept.Note, kept.EndUtc));
        Assert.DoesNotContain("Annas", await ben.GetStringAsync("/abwesenheiten"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_PostingToAbsences_403AndNothingSaved()
    {
        await AddCounsellorAsync("anna@test.lotse");
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await PostAbsenceAsync(http, "/abwesenheiten/neu", wholeDays: true, "2026-12-01", null, "2026-12-02", null, "", formPage: "/berater");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAbsencesAsync());
    }

    [Fact]
    public async Task AgencyAdmin_ManagesOwnAgencysCounsellor_NotAnotherAgencys()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var other = await AddAgencyAsync("Anderswo");
        var anna = await AddCounsellorAsync("anna@test.lotse", agency: agency);
        var stranger = await AddCounsellorAsync("fremd@test.lotse", agency: other);
        await AddAdminAsync("admin@test.lotse", agency);
        var admin = await LoginAsync("admin@test.lotse");

        Assert.Contains("Abwesenheiten von anna", await admin.GetStringAsync("/abwesenheiten/team"), StringComparison.Ordinal);
        var response = await PostAbsenceAsync(admin, $"/abwesenheiten/neu?berater={anna.Id}", true, "2026-12-01", null, "2026-12-02", null, "von der Verwaltung");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await SingleAbsenceAsync(anna);
        Assert.Equal("admin@test.lotse", saved.CreatedBy);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/abwesenheiten?berater={stranger.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAbsenceAsync(admin, $"/abwesenheiten/neu?berater={stranger.Id}", true, "2026-12-01", null, "2026-12-02", null, "x", formPage: "/abwesenheiten/team")).StatusCode);
        Assert.Equal(1, await CountAbsencesAsync());
    }

    private async Task AddAdminAsync(string email, Agency agency)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(email) { Email = email };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.AgencyAdmin)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<Lotse.Web.Data.LotseDb>();
        db.AgencyMemberships.Add(new AgencyMembership(agency.Id, user.Id));
        await db.SaveChangesAsync();
    }

    private Task<int> CountAbsencesAsync() => WithDbAsync(db => db.Absences.CountAsync());

    private Task<Absence> SingleAbsenceAsync(Counsellor counsellor) =>
        WithDbAsync(db => db.Absences.AsNoTracking().SingleAsync(a => a.CounsellorId == counsellor.Id));

    private static Task<HttpResponseMessage> PostAbsenceAsync(HttpClient http, string url, bool wholeDays, string fromDate, string? fromTime, string toDate, string? toTime, string note, string? formPage = null) =>
        PostFormAsync(http, url, new Dictionary<string, string>
        {
            ["Form.WholeDays"] = wholeDays ? "true" : "false",
            ["Form.FromDate"] = fromDate,
            ["Form.FromTime"] = fromTime ?? "",
            ["Form.ToDate"] = toDate,
            ["Form.ToTime"] = toTime ?? "",
            ["Form.Note"] = note,
        }, formPage: formPage ?? "/abwesenheiten/neu" + (url.Contains('?', StringComparison.Ordinal) ? url[url.IndexOf('?', StringComparison.Ordinal)..] : ""));

    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient http, string token, string from, string to)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.WholeDays"] = "true",
            ["Form.FromDate"] = from,
            ["Form.ToDate"] = to,
            ["Form.Note"] = "",
            ["__RequestVerificationToken"] = token,
        });
        return await http.PostAsync("/abwesenheiten/neu", content);
    }
}

public sealed class AbsenceTestsOnSqlite() : AbsenceTests(DatabaseKind.Sqlite);

public sealed class AbsenceTestsOnPostgres() : AbsenceTests(DatabaseKind.Postgres);
