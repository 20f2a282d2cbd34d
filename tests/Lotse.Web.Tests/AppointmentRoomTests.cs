using System.Net;
using Lotse.Domain.Appointments;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests;

public abstract class AppointmentRoomTests(DatabaseKind kind) : WebTest(kind)
{
    [Fact]
    public async Task Room_Counsellor_SeesAppointmentAndClient()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("Termin mit Mond", html, StringComparison.Ordinal);
        Assert.Contains("bestätigt", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_Client_SeesAppointmentAndCounsellor()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("Termin mit anna", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ben@test.lotse")]
    [InlineData("Kompass")]
    public async Task Room_SomeoneElse_Gets404AndSeesNothing(string intruder)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await AddCounsellorAsync("ben@test.lotse");
        var mond = await AddClientAsync("Mond");
        await AddClientAsync("Kompass");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync(intruder);

        var response = await http.GetAsync($"/termine/{appointment.Id}/raum");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Seite nicht gefunden", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mond", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_UnknownId_Gets404()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await http.GetAsync($"/termine/{Guid.NewGuid()}/raum");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Room_MalformedId_Gets404()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await http.GetAsync("/termine/abc/raum");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Room_CounsellorWhileOpen_ShowsCallWithWaitingRoomAndNoInlineScript()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddMinutes(-5), AppointmentStatus.Confirmed);
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("data-testid=\"call\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-appointment=\"{appointment.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-role=\"counsellor\"", html, StringComparison.Ordinal);
        Assert.Contains("data-ice-servers=\"[]\"", html, StringComparison.Ordinal);
        Assert.Contains("Mond wartet.", html, StringComparison.Ordinal);
        Assert.Contains("Hereinlassen", html, StringComparison.Ordinal);
        Assert.Contains("Raum verlassen", html, StringComparison.Ordinal);
        Assert.Contains("Kamera ausschalten", html, StringComparison.Ordinal);
        Assert.Contains("Mikrofon ausschalten", html, StringComparison.Ordinal);
        Assert.Matches("<video[^>]*data-local-video[^>]*muted", html);
        Assert.Matches("<video[^>]*data-remote-video[^>]*playsinline", html);
        // Static assets may be fingerprinted (room.abc123.css) when the app serves them from its build manifest.
        Assert.Matches("<link rel=\"stylesheet\" href=\"/css/room\\.[^\"]*css", html);
        Assert.Matches("<script src=\"/lib/signalr/signalr\\.[^\"]*js", html);
        Assert.Matches("<script src=\"/js/room\\.[^\"]*js", html);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
        Assert.DoesNotContain("Bitte warten Sie, Ihre Berater:in", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_ClientWhileOpen_ShowsWaitingNoteAndNoAdmitButton()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddMinutes(10), AppointmentStatus.Confirmed);
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("data-role=\"client\"", html, StringComparison.Ordinal);
        Assert.Contains("Bitte warten Sie, Ihre Berater:in lässt Sie gleich herein.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Hereinlassen", html, StringComparison.Ordinal);
        Assert.Contains("Kamera und Mikrofon sind nicht verfügbar oder nicht freigegeben. Sie können den Chat trotzdem nutzen.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_BeforeWindow_ShowsOpeningTimeWithoutCall()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        // 09:00 UTC is 10:00 in Berlin; the room opens 15 minutes earlier.
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("Der Raum öffnet am Di, 24.11.2026, 09:45 Uhr.", html, StringComparison.Ordinal);
        Assert.Contains("data-opens-at=\"2026-11-24T08:45:00.0000000Z\"", html, StringComparison.Ordinal);
        AssertNoCall(html);
    }

    [Fact]
    public async Task Room_AtOpeningTime_ShowsCall()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync("Mond");

        App.Clock.Advance(TimeSpan.FromMinutes(45));
        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("data-testid=\"call\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Der Raum öffnet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_AfterWindow_ShowsClosedWithoutCall()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddMinutes(-65), AppointmentStatus.Confirmed);
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains("Der Raum ist geschlossen.", html, StringComparison.Ordinal);
        AssertNoCall(html);
    }

    [Theory]
    [InlineData(AppointmentStatus.Requested, "Der Termin ist noch nicht bestätigt. Der Raum öffnet erst, wenn er bestätigt ist.")]
    [InlineData(AppointmentStatus.Cancelled, "Dieser Termin findet nicht statt.")]
    [InlineData(AppointmentStatus.Declined, "Dieser Termin findet nicht statt.")]
    public async Task Room_NotConfirmedDuringItsTime_SaysSoWithoutCall(AppointmentStatus status, string text)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddMinutes(-5), status);
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum");

        Assert.Contains(text, html, StringComparison.Ordinal);
        AssertNoCall(html);
    }

    [Fact]
    public async Task Room_English_CallTextsTranslated()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddMinutes(-5), AppointmentStatus.Confirmed);
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync($"/termine/{appointment.Id}/raum?culture=en");

        Assert.DoesNotContain("Hereinlassen", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Raum verlassen", html, StringComparison.Ordinal);
        Assert.Contains("Mond", html, StringComparison.Ordinal);
    }

    private static void AssertNoCall(string html)
    {
        Assert.DoesNotContain("data-testid=\"call\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<video", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Hereinlassen", html, StringComparison.Ordinal);
        Assert.DoesNotContain("signalr.min.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Room_Anonymous_IsSentToLogin()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);

        var response = await Browser().GetAsync($"/termine/{appointment.Id}/raum");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/anmelden", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}

public sealed class AppointmentRoomTestsOnSqlite() : AppointmentRoomTests(DatabaseKind.Sqlite);

public sealed class AppointmentRoomTestsOnPostgres() : AppointmentRoomTests(DatabaseKind.Postgres);
