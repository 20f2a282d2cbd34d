using System.Net;
using System.Text.Json;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// "Meine Daten": the client's JSON export (everything of theirs, nothing of anyone else, a download that no cache
/// keeps), account deletion confirmed with the password, and the record of the client's last activity.
/// </summary>
public abstract class MyDataTests(DatabaseKind kind) : PrivacyTestBase(kind)
{
    [Fact]
    public async Task Export_SignedInClient_AttachmentWithAllTheirDataAndNoOneElses()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mine = await GiveContentAsync(await AddClientAsync("Zaunkoenig42"), anna, agency, "Zaunkoenig42", slot: 0);
        var theirs = await GiveContentAsync(await AddClientAsync("Amsel17"), anna, agency, "Amsel17", slot: 1);
        var http = await LoginAsync(mine.Client.Nickname);

        var response = await http.GetAsync("/konto/daten?handler=Export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("lotse-meine-daten-2026-11-24.json", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        var raw = await response.Content.ReadAsStringAsync();
        foreach (var text in mine.ContentTexts)
        {
            Assert.Contains(JsonEncodedText.Encode(text).ToString(), raw, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Amsel17", raw, StringComparison.Ordinal);
        Assert.All(theirs.MailThreadIds, id => Assert.DoesNotContain(id.ToString(), raw, StringComparison.Ordinal));

        using var json = JsonDocument.Parse(raw);
        var root = json.RootElement;
        var account = root.GetProperty("account");
        Assert.Equal("Zaunkoenig42", account.GetProperty("nickname").GetString());
        Assert.Equal("zaunkoenig42@example.org", account.GetProperty("email").GetString());
        Assert.Equal(Now, account.GetProperty("createdUtc").GetDateTime().ToUniversalTime());

        var threads = root.GetProperty("mailThreads").EnumerateArray().ToList();
        Assert.Equal(2, threads.Count);
        var open = threads.Single(t => t.GetProperty("subject").GetString() == "Betreff-Zaunkoenig42");
        Assert.Equal("InProgress", open.GetProperty("state").GetString());
        Assert.Equal("anna", open.GetProperty("counsellor").GetString());
        Assert.Equal(
            [("Client", "Anfrage-Zaunkoenig42: Ich weiß nicht weiter."), ("Counsellor", "Antwort-Zaunkoenig42: Wir finden einen Weg.")],
            open.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("sender").GetString(), m.GetProperty("text").GetString())).ToList());
        Assert.All(open.GetProperty("messages").EnumerateArray(), m => Assert.Equal(Now, m.GetProperty("sentUtc").GetDateTime().ToUniversalTime()));
        Assert.Equal("Closed", threads.Single(t => t.GetProperty("subject").GetString() == "Abschluss-Zaunkoenig42").GetProperty("state").GetString());

        var chat = Assert.Single(root.GetProperty("chats").EnumerateArray().ToList());
        Assert.Equal("anna", chat.GetProperty("counsellor").GetString());
        Assert.Equal(["Client", "Counsellor"], chat.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("sender").GetString()).ToList());

        var appointments = root.GetProperty("appointments").EnumerateArray().ToList();
        Assert.Equal(["Confirmed", "Confirmed", "Requested", "Declined"], appointments.Select(a => a.GetProperty("state").GetString()).ToList());
        Assert.All(appointments, a => Assert.Equal("Video", a.GetProperty("channel").GetString()));
        Assert.Equal("Absage-Zaunkoenig42", appointments[3].GetProperty("declineReason").GetString());

        Assert.Equal(2, root.GetProperty("notifications").GetArrayLength());
        var counsellor = Assert.Single(root.GetProperty("counsellors").EnumerateArray().ToList());
        Assert.Equal("anna", counsellor.GetProperty("counsellor").GetString());
        Assert.True(counsellor.GetProperty("isRegularClient").GetBoolean());
    }

    [Fact]
    public async Task MyDataPage_Client_LinkedInNavigationAndNotCached()
    {
        await AddClientAsync(Mond);
        var http = await LoginAsync(Mond);

        var start = await http.GetStringAsync("/berater");
        var page = await http.GetAsync("/konto/daten");

        Assert.Contains("href=\"/konto/daten\"", start, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Das Löschen kann nicht rückgängig gemacht werden.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/konto/daten?handler=Export\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MyDataPage_StaffOrAnonymous_NoAccess()
    {
        var agency = await AddAgencyAsync();
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync("admin@test.lotse", agency);

        foreach (var login in new[] { Anna, "admin@test.lotse" })
        {
            var http = await LoginAsync(login);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/konto/daten")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/konto/daten?handler=Export")).StatusCode);
        }

        var anonymous = await Browser().GetAsync("/konto/daten?handler=Export");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("https://localhost/anmelden", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Bitte füllen Sie das Feld „Ihr Passwort“ aus.")]
    [InlineData("Falsches-Passwort-1", "Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht.")]
    public async Task DeleteAccount_WrongOrNoPassword_400WithGermanMessageAndNothingDeleted(string password, string message)
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mine = await GiveContentAsync(await AddClientAsync("Zaunkoenig42"), anna, agency, "Zaunkoenig42", slot: 0);
        var http = await LoginAsync(mine.Client.Nickname);

        var response = await PostFormAsync(http, "/konto/daten?handler=Delete", new Dictionary<string, string> { ["Input.Password"] = password }, formPage: "/konto/daten");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await ClientExistsAsync(mine.Client.Id));
        Assert.Equal(2, await WithDbAsync(db => db.MailThreads.CountAsync(t => t.ClientId == mine.Client.Id)));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/konto/daten")).StatusCode);
    }

    [Fact]
    public async Task DeleteAccount_RightPassword_SignedOutConfirmedAndCannotSignInAgain()
    {
        await AddClientAsync(Mond);
        var http = await LoginAsync(Mond);

        var response = await PostFormAsync(http, "/konto/daten?handler=Delete", new Dictionary<string, string> { ["Input.Password"] = Password }, formPage: "/konto/daten");
        var confirmation = await http.GetStringAsync("/konto/geloescht");

        Assert.Equal("/konto/geloescht", response.Headers.Location!.OriginalString);
        Assert.Contains("Ihr Konto ist gelöscht", confirmation, StringComparison.Ordinal);
        Assert.Contains("href=\"/anmelden\"", confirmation, StringComparison.Ordinal); // signed out: the header offers to sign in
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/konto/daten")).StatusCode);
        var again = await PostFormAsync(Browser(), "/anmelden", new Dictionary<string, string> { ["Input.Login"] = Mond, ["Input.Password"] = Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("E-Mail-Adresse/Nickname oder Passwort stimmen nicht.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastActivity_SignInAndSendingAMessage_Recorded()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        Assert.Equal(Now, await LastActiveAsync(mond.Id));

        App.Clock.Advance(TimeSpan.FromDays(3));
        var http = await LoginAsync(Mond);
        await http.GetAsync("/"); // the first page after signing in
        Assert.Equal(Now, await LastActiveAsync(mond.Id));

        App.Clock.Advance(TimeSpan.FromDays(2));
        var form = await RequestFormAsync(http, $"berater={anna.Id}");
        App.Clock.Advance(TimeSpan.FromHours(1));
        var sent = Now;
        await PostRequestAsync(http, $"berater={anna.Id}", form, "Frage", "Eine Nachricht.");
        Assert.Equal(sent, await LastActiveAsync(mond.Id));
    }

    [Fact]
    public async Task LastActivity_ManyRequestsWithinMinutes_WrittenAtMostEveryFiveMinutes()
    {
        var mond = await AddClientAsync(Mond);
        App.Clock.Advance(TimeSpan.FromDays(1));
        var http = await LoginAsync(Mond);
        await http.GetAsync("/konto/daten");
        var first = Now;

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await http.GetAsync("/konto/daten");
        Assert.Equal(first, await LastActiveAsync(mond.Id));

        App.Clock.Advance(TimeSpan.FromMinutes(4));
        await http.GetAsync("/konto/daten");
        Assert.Equal(Now, await LastActiveAsync(mond.Id));
    }

    private Task<DateTime> LastActiveAsync(Guid clientId) =>
        WithDbAsync(db => db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.LastActiveUtc).SingleAsync());
}

public sealed class MyDataTestsOnSqlite() : MyDataTests(DatabaseKind.Sqlite);

public sealed class MyDataTestsOnPostgres() : MyDataTests(DatabaseKind.Postgres);
