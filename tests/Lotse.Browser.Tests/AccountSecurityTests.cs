using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>Issue 7 in the browser: enrolment at the first sign-in, the second step, the client's recovery code and reset.</summary>
public sealed class AccountSecurityTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task Enrolment_NewCounsellorAtFirstSignIn_QrCodeThenRecoveryCodesThenDashboard()
    {
        var own = await StartOwnServerAsync();
        await AddCounsellorWithoutSecondFactorAsync(own.Services, "neu@lotse.demo", "Nora Neu");
        var page = await OpenAsync(own, viewport: Phone);
        await page.GotoAsync("/anmelden");
        await page.GetByLabel("E-Mail-Adresse oder Nickname").FillAsync("neu@lotse.demo");
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zwei-Faktor-Anmeldung einrichten", Level = 1 })).ToBeVisibleAsync();
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR-Code für Ihre Authenticator-App" });
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"), "The QR code did not load.");
        Assert.False(await ScrollsHorizontallyAsync(page));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
        await ScreenshotAsync(page, "enrolment");
        // Nothing else is reachable before it is done.
        await page.GotoAsync("/posteingang");
        await Expect(page).ToHaveURLAsync(new Regex("/konto/zwei-faktor/einrichten$"));

        var key = await page.GetByTestId("authenticator-key").InnerTextAsync();
        var step = Totp.StepAt(own.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        await page.GetByLabel("Code aus der App").FillAsync(TotpCodes.CodeAt(key, step));
        await page.GetByRole(AriaRole.Button, new() { Name = "Einrichten" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zwei-Faktor-Anmeldung ist eingerichtet", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await ScreenshotAsync(page, "recovery-codes");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ich habe die Codes notiert – weiter" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_DemoCounsellor_AsksForTheCodeThenShowsTheDashboard()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");
        await page.GetByLabel("E-Mail-Adresse oder Nickname").FillAsync(DemoData.DoraEmail);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmelden: zweiter Schritt", Level = 1 })).ToBeVisibleAsync();
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
        await ScreenshotAsync(page, "code");
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync("123456" == await TotpCodes.NextAsync(server.Services, DemoData.DoraEmail) ? "654321" : "123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Der Code stimmt nicht oder wurde schon benutzt.");

        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(await TotpCodes.NextAsync(server.Services, DemoData.DoraEmail));
        await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ClientReset_WithRecoveryCodeFromRegistration_NewPasswordAndNewCode()
    {
        var page = await OpenAsync(server, viewport: Phone);
        var nickname = "Anker_" + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/registrieren");
        await page.GetByLabel("Nickname").FillAsync(nickname);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync("ein langer Satz zum Merken");
        await page.GetByLabel("Passwort wiederholen").FillAsync("ein langer Satz zum Merken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrieren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Wiederherstellungscode", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Bitte schreiben Sie diesen Code jetzt auf")).ToBeVisibleAsync();
        var code = await page.GetByTestId("recovery-code").InnerTextAsync();
        Assert.Matches("^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$", code);
        Assert.False(await ScrollsHorizontallyAsync(page));
        await ScreenshotAsync(page, "registered");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ich habe den Code notiert – weiter" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();

        await page.GotoAsync("/anmelden");
        await page.GetByRole(AriaRole.Link, new() { Name = "Passwort vergessen?" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mit Wiederherstellungscode zurücksetzen" }).ClickAsync();
        await page.GetByLabel("Nickname").FillAsync(nickname);
        await page.GetByLabel("Wiederherstellungscode").FillAsync(code);
        await page.GetByLabel("Neues Passwort", new() { Exact = true }).FillAsync("ein anderer langer Satz");
        await page.GetByLabel("Neues Passwort wiederholen").FillAsync("ein anderer langer Satz");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Neues Passwort festlegen" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ihr Passwort ist geändert", Level = 1 })).ToBeVisibleAsync();
        var newCode = await page.GetByTestId("recovery-code").InnerTextAsync();
        Assert.NotEqual(code, newCode);
        await ScreenshotAsync(page, "reset");
        await LoginAsync(page, nickname, "ein anderer langer Satz");
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync(nickname);
    }

    private static async Task AddCounsellorWithoutSecondFactorAsync(IServiceProvider services, string email, string name)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(email) { Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Counsellor)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        db.Counsellors.Add(new Counsellor(Guid.NewGuid(), user.Id, name));
        await db.SaveChangesAsync();
    }
}
