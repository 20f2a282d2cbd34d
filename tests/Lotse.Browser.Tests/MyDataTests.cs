using System.Text.Json;
using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// "Meine Daten" in the browser: a newly registered client writes a request, downloads their data as a JSON file and
/// then deletes their account with their password. Deletes an account, so the test has an app of its own.
/// </summary>
public sealed class MyDataTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task MyData_ClientDownloadsExportThenDeletesAccount_FileHasTheirRequestAndSignInFailsAfterwards()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenAsync(server);
        var nickname = "Nebelhorn_" + Guid.NewGuid().ToString("N")[..6];
        const string password = "ein langer Satz zum Merken";
        await page.GotoAsync("/registrieren");
        await page.GetByLabel("Nickname").FillAsync(nickname);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Passwort wiederholen").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrieren" }).ClickAsync();
        // Without an e-mail address the answer is the one-time recovery code; then on to the counsellors.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ich habe den Code notiert – weiter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/berater$"));

        const string subject = "Ärger in der Ausbildung";
        const string body = "Mein Ausbilder schreit mich jeden Tag an. Was kann ich tun?";
        await OpenCounsellorProfileAsync(page);
        await page.GetByTestId("write-mail").ClickAsync();
        await page.GetByLabel("Betreff", new() { Exact = true }).FillAsync(subject);
        await page.GetByLabel("Ihre Nachricht", new() { Exact = true }).FillAsync(body);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anfrage senden" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = subject, Level = 1 })).ToBeVisibleAsync();

        // Through the navigation to "Meine Daten".
        await page.GetByRole(AriaRole.Link, new() { Name = "Meine Daten", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/konto/daten$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Meine Daten", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Das Löschen kann nicht rückgängig gemacht werden.")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "page");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export").ClickAsync());
        Assert.Matches(@"^lotse-meine-daten-\d{4}-\d{2}-\d{2}\.json$", download.SuggestedFilename);
        var file = await download.PathAsync();
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            Assert.Equal(nickname, json.RootElement.GetProperty("account").GetProperty("nickname").GetString());
            var thread = Assert.Single(json.RootElement.GetProperty("mailThreads").EnumerateArray().ToList());
            Assert.Equal(subject, thread.GetProperty("subject").GetString());
            Assert.Equal(AnnaName, thread.GetProperty("counsellor").GetString());
            Assert.Equal(body, Assert.Single(thread.GetProperty("messages").EnumerateArray().ToList()).GetProperty("text").GetString());
        }

        await download.DeleteAsync();

        // A wrong password deletes nothing and says so, at the field.
        await page.GetByLabel("Ihr Passwort").FillAsync("nicht mein Passwort");
        await page.GetByRole(AriaRole.Button, new() { Name = "Konto und alle Daten endgültig löschen" }).ClickAsync();
        await Expect(page.GetByText("Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Ihr Passwort")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(page, "wrong-password");

        await page.GetByLabel("Ihr Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Konto und alle Daten endgültig löschen" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/konto/geloescht$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Konto ist gelöscht", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "deleted");

        await page.GotoAsync("/anmelden");
        await page.GetByLabel("E-Mail-Adresse oder Nickname").FillAsync(nickname);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("E-Mail-Adresse/Nickname oder Passwort stimmen nicht.");
    }

    [Fact]
    public async Task RetentionSettings_AdminEntersTooFewDaysThenValid_ErrorNamesFieldThenSaved()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AdminEmail);
        await page.GetByRole(AriaRole.Link, new() { Name = "Datenschutz", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/verwaltung/datenschutz$"));
        var accounts = page.GetByLabel("Unbenutzte anonyme Konten löschen nach (Tagen)");
        var conversations = page.GetByLabel("Abgeschlossene Gespräche löschen nach (Tagen)");
        await Expect(accounts).ToHaveValueAsync("180");
        await Expect(conversations).ToHaveValueAsync("90");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));

        await accounts.FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByText("Das Feld „Unbenutzte anonyme Konten löschen nach (Tagen)“ muss eine ganze Zahl von 30 bis 3650 sein.")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "error");

        await accounts.FillAsync("365");
        await conversations.FillAsync("60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Die Löschfristen sind gespeichert.");
        await Expect(accounts).ToHaveValueAsync("365");
        await Expect(conversations).ToHaveValueAsync("60");
    }
}
