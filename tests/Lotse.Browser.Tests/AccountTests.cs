using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>Anonymous registration and sign-in errors. New accounts get unique nicknames, so the app is shared.</summary>
public sealed class AccountTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task Registration_NicknameAndLongPasswordWithoutEmail_LandsOnCounsellorList()
    {
        var page = await OpenAsync(server);
        var nickname = "Leuchtturm_" + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Anonym registrieren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anonym registrieren", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("Nickname").FillAsync(nickname);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync("ein langer Satz zum Merken");
        await page.GetByLabel("Passwort wiederholen").FillAsync("ein langer Satz zum Merken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrieren" }).ClickAsync();
        // Without an e-mail address the one-time recovery code comes first (issue 7).
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Wiederherstellungscode", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ich habe den Code notiert – weiter" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/berater$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Berater:innen", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = AnnaName })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync(nickname);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Registration_ShortPassword_ShowsGermanErrorNamingField()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/registrieren");

        await page.GetByLabel("Nickname").FillAsync("Kurzpasswort_" + Guid.NewGuid().ToString("N")[..6]);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync("zu kurz");
        await page.GetByLabel("Passwort wiederholen").FillAsync("zu kurz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrieren" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/registrieren$"));
        await Expect(page.GetByText("Das „Passwort“ muss 12 bis 128 Zeichen lang sein.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsGermanError()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");

        await page.GetByLabel("E-Mail-Adresse oder Nickname").FillAsync("Lina_23");
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync("das ist falsch");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("E-Mail-Adresse/Nickname oder Passwort stimmen nicht.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmelden", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Login_EmptyFields_ShowsGermanErrorsNamingFields()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");

        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();

        await Expect(page.GetByText("Bitte füllen Sie das Feld „E-Mail-Adresse oder Nickname“ aus.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Bitte füllen Sie das Feld „Passwort“ aus.")).ToBeVisibleAsync();
    }
}
