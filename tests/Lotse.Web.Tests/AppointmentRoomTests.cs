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
    public async Task Room_Anonymous_IsSentToLogin()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(1), AppointmentStatus.Confirmed);

        var response = await Browser().GetAsync($"/termine/{appointment.Id}/raum");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/anmelden", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }
}

public sealed class AppointmentRoomTestsOnSqlite() : AppointmentRoomTests(DatabaseKind.Sqlite);

public sealed class AppointmentRoomTestsOnPostgres() : AppointmentRoomTests(DatabaseKind.Postgres);
