using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

public abstract class DashboardTests(DatabaseKind kind) : WebTest(kind)
{
    [Fact]
    public async Task Dashboard_ConfirmedAppointments_ShowsAtMostThreeSoonestIncludingRunning()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var client = await AddClientAsync("Mond");
        var running = await AddAppointmentAsync(anna, client, Now.AddMinutes(-10), AppointmentStatus.Confirmed);
        var second = await AddAppointmentAsync(anna, client, Now.AddDays(1), AppointmentStatus.Confirmed);
        var third = await AddAppointmentAsync(anna, client, Now.AddDays(2), AppointmentStatus.Confirmed);
        var fourth = await AddAppointmentAsync(anna, client, Now.AddDays(3), AppointmentStatus.Confirmed);
        var requested = await AddAppointmentAsync(anna, client, Now.AddHours(2), AppointmentStatus.Requested);
        var declined = await AddAppointmentAsync(anna, client, Now.AddHours(3), AppointmentStatus.Declined);
        var cancelled = await AddAppointmentAsync(anna, client, Now.AddHours(4), AppointmentStatus.Cancelled);
        var past = await AddAppointmentAsync(anna, client, Now.AddDays(-1), AppointmentStatus.Confirmed);

        var http = await LoginAsync("anna@test.lotse");
        var html = await http.GetStringAsync("/");

        Assert.Contains("Ihre nächsten bestätigten Termine", html, StringComparison.Ordinal);
        var shown = new[] { running, second, third }.Select(a => html.IndexOf($"/termine/{a.Id}/raum", StringComparison.Ordinal)).ToList();
        Assert.All(shown, index => Assert.True(index > 0));
        Assert.Equal(shown.Order().ToList(), shown); // soonest first
        foreach (var hidden in new[] { fourth, requested, declined, cancelled, past })
        {
            Assert.DoesNotContain(hidden.Id.ToString(), html, StringComparison.Ordinal);
        }

        Assert.Contains("läuft gerade", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_NothingPlanned_ShowsEmptyStates()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync("/");

        Assert.Contains("Sie haben zurzeit keine bestätigten Termine.", html, StringComparison.Ordinal);
        Assert.Contains("Keine Abwesenheit geplant.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/abwesenheiten\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_RunningAndFutureAbsence_ShowsRunningOneMarked()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddAbsenceAsync(anna, Now.AddDays(-10), Now.AddDays(-9), "vorbei");
        await AddAbsenceAsync(anna, Now.AddHours(-1), Now.AddHours(5), "Fortbildung heute");
        await AddAbsenceAsync(anna, Now.AddDays(5), Now.AddDays(7), "Urlaub später");
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync("/");

        Assert.Contains("Fortbildung heute", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Urlaub später", html, StringComparison.Ordinal);
        Assert.DoesNotContain("vorbei", html, StringComparison.Ordinal);
        Assert.Contains("läuft gerade", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_OnlyFutureAbsence_ShowsItWithNote()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddAbsenceAsync(anna, Now.AddDays(5), Now.AddDays(7), "Urlaub <b>später</b>");
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync("/");

        Assert.Contains("Urlaub &lt;b&gt;später&lt;/b&gt;", html, StringComparison.Ordinal); // encoded, never markup
        Assert.DoesNotContain("läuft gerade", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AsClient_RedirectsToCounsellorList()
    {
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/berater", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Dashboard_Anonymous_ShowsWelcomeWithoutCounsellorData()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var client = await AddClientAsync("Mond");
        await AddAppointmentAsync(anna, client, Now.AddDays(1), AppointmentStatus.Confirmed);

        var html = await Browser().GetStringAsync("/");

        Assert.Contains("Willkommen bei Lotse", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mond", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Accountstatus", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountStatus_ChangedByScript_SavesAtOnceAndSurvivesRestart()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostStatusAsync(http, regularOnly: "true", chat: "Online", mail: "ByCapacity");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Gespeichert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A new app instance on the same database stands for a restart.
        await using var restarted = new LotseAppFactory(App.Kind, databaseName: DatabaseNameOf(App));
        await using var scope = restarted.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Lotse.Web.Data.LotseDb>();
        var saved = await db.Counsellors.FindAsync(anna.Id);
        Assert.Equal(new AccountStatus(true, ChatMode.Online, MailMode.ByCapacity, AccountStatus.DefaultMailCapacity), saved!.Status);
    }

    [Fact]
    public async Task AccountStatus_PlainFormPost_SavesAndRedirectsWithMessage()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "false",
            ["Status.Chat"] = "NotReachable",
            ["Status.Mail"] = "NoNewRequests",
        }, formPage: "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ChatMode.NotReachable, (await ReloadCounsellorAsync(anna.Id)).ChatMode);
        Assert.Contains("Gespeichert", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Status.Chat", "Irgendwas")]
    [InlineData("Status.Chat", "7")]
    [InlineData("Status.Mail", "<script>")]
    [InlineData("Status.Mail", "")]
    [InlineData("Status.RegularClientsOnly", "vielleicht")]
    public async Task AccountStatus_TamperedValue_Returns400NamingFieldAndChangesNothing(string field, string value)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var before = anna.Status;
        var http = await LoginAsync("anna@test.lotse");
        var fields = new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = "ByCapacity",
            [field] = value,
        };

        var response = await PostFormAsync(http, "/?handler=Status", fields, formPage: "/", headers: new Dictionary<string, string> { ["X-Requested-With"] = "fetch" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Die Änderung wurde nicht gespeichert.", body, StringComparison.Ordinal);
        Assert.Contains(field, body, StringComparison.Ordinal);
        Assert.Equal(before, (await ReloadCounsellorAsync(anna.Id)).Status);
    }

    [Fact]
    public async Task AccountStatus_WithoutAntiforgeryToken_IsRejectedAndChangesNothing()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await http.PostAsync("/?handler=Status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = "Unlimited",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await ReloadCounsellorAsync(anna.Id)).RegularClientsOnly);
    }

    [Fact]
    public async Task AccountStatus_PostedByClient_IsForbiddenAndChangesNoCounsellor()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await PostFormAsync(http, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/berater");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await ReloadCounsellorAsync(anna.Id)).RegularClientsOnly);
    }

    private static Task<HttpResponseMessage> PostStatusAsync(HttpClient http, string regularOnly, string chat, string mail) =>
        PostFormAsync(http, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = regularOnly,
            ["Status.Chat"] = chat,
            ["Status.Mail"] = mail,
        }, formPage: "/", headers: new Dictionary<string, string> { ["X-Requested-With"] = "fetch" });

    private static string DatabaseNameOf(LotseAppFactory app) =>
        app.Kind == DatabaseKind.Sqlite
            ? Path.GetFileNameWithoutExtension(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource)
            : new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
}

public sealed class DashboardTestsOnSqlite() : DashboardTests(DatabaseKind.Sqlite);

public sealed class DashboardTestsOnPostgres() : DashboardTests(DatabaseKind.Postgres);
