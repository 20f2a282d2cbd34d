using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests;

/// <summary>"Einstellungen der Mailberatung" (N) and "Meine Stammklient:innen".</summary>
public abstract class CounsellorSettingsTests(DatabaseKind kind) : WebTest(kind)
{
    [Theory]
    [InlineData("0", "muss eine ganze Zahl von 1 bis 999 sein")]
    [InlineData("-3", "muss eine ganze Zahl von 1 bis 999 sein")]
    [InlineData("1000", "muss eine ganze Zahl von 1 bis 999 sein")]
    [InlineData("abc", "ist ungültig")]
    [InlineData("2.5", "Der Wert im Feld")]
    [InlineData("", "Bitte füllen Sie das Feld")]
    public async Task MailCapacity_BadValue_GermanMessageNamingFieldAndNothingChanges(string value, string message)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(false, ChatMode.Online, MailMode.ByCapacity, 7));
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, "/einstellungen/mailberatung", new Dictionary<string, string> { ["Input.MailCapacity"] = value });

        // The form comes back with the message (400, like every other form that refuses input).
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("Höchstzahl offener Mailanfragen", html, StringComparison.Ordinal);
        Assert.Equal(7, (await ReloadCounsellorAsync(anna.Id)).MailCapacity);
    }

    [Fact]
    public async Task MailCapacity_ValidValue_SavedAndShownOnDashboard()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var http = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(http, "/einstellungen/mailberatung", new Dictionary<string, string> { ["Input.MailCapacity"] = "5" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(5, (await ReloadCounsellorAsync(anna.Id)).MailCapacity);
        Assert.Contains("höchstens 5 offene Anfragen", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailCapacity_AsClient_Forbidden()
    {
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await http.GetAsync("/einstellungen/mailberatung");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Kein Zugriff", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegularClients_MarkAndUnmark_ListAndClientViewFollow()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        var wolke = await AddClientAsync("Wolke7");
        await RelateAsync(anna, wolke, regular: false);
        var counsellor = await LoginAsync("anna@test.lotse");
        var client = await LoginAsync("Wolke7");
        Assert.Contains("data-can-chat=\"false\"", await client.GetStringAsync($"/berater/{anna.Id}"), StringComparison.Ordinal);

        var marked = await PostFormAsync(counsellor, "/stammklienten?handler=Mark", new Dictionary<string, string> { ["clientId"] = wolke.Id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var list = await counsellor.GetStringAsync("/stammklienten");
        Assert.Contains("Wolke7 ist jetzt als Stammklient:in markiert.", list, StringComparison.Ordinal);
        Assert.Contains("Stammklient:innen (1)", list, StringComparison.Ordinal);
        Assert.Contains("data-can-chat=\"true\"", await client.GetStringAsync($"/berater/{anna.Id}"), StringComparison.Ordinal);

        await PostFormAsync(counsellor, "/stammklienten?handler=Unmark", new Dictionary<string, string> { ["clientId"] = wolke.Id.ToString() });

        Assert.Contains("Stammklient:innen (0)", await counsellor.GetStringAsync("/stammklienten"), StringComparison.Ordinal);
        Assert.Contains("data-can-chat=\"false\"", await client.GetStringAsync($"/berater/{anna.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegularClients_ClientOfAnotherCounsellor_404AndNothingChanges()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var ben = await AddCounsellorAsync("ben@test.lotse");
        var kompass = await AddClientAsync("Kompass");
        await RelateAsync(ben, kompass, regular: false);
        var anna = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(anna, "/stammklienten?handler=Mark", new Dictionary<string, string> { ["clientId"] = kompass.Id.ToString() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var stillOther = await WithDbAsync(db => Task.FromResult(db.CounsellingRelations.Single(r => r.ClientId == kompass.Id)));
        Assert.False(stillOther.IsRegularClient);
    }

    [Fact]
    public async Task RegularClients_OnlyOwnClientsListed()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var ben = await AddCounsellorAsync("ben@test.lotse");
        var mond = await AddClientAsync("Mond");
        var kompass = await AddClientAsync("Kompass");
        await RelateAsync(anna, mond, regular: true);
        await RelateAsync(ben, kompass, regular: true);
        var http = await LoginAsync("anna@test.lotse");

        var html = await http.GetStringAsync("/stammklienten");

        Assert.Contains("Mond", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Kompass", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegularClients_WithoutAntiforgeryToken_Rejected()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var wolke = await AddClientAsync("Wolke7");
        await RelateAsync(anna, wolke, regular: false);
        var http = await LoginAsync("anna@test.lotse");

        var response = await http.PostAsync("/stammklienten?handler=Mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["clientId"] = wolke.Id.ToString() }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await WithDbAsync(db => Task.FromResult(db.CounsellingRelations.Single()))).IsRegularClient);
    }
}

public sealed class CounsellorSettingsTestsOnSqlite() : CounsellorSettingsTests(DatabaseKind.Sqlite);

public sealed class CounsellorSettingsTestsOnPostgres() : CounsellorSettingsTests(DatabaseKind.Postgres);
