using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>axe-core finds no serious or critical accessibility violation on the main pages (read only).</summary>
public sealed class AccessibilityTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task Accessibility_Dashboard_HasNoSeriousViolations()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Accountstatus" })).ToBeVisibleAsync();

        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Accessibility_ClientProfilePage_HasNoSeriousViolations()
    {
        var page = await OpenSignedInAsync(server, DemoData.ClientNickname);
        await OpenCounsellorProfileAsync(page);

        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Accessibility_LoginPage_HasNoSeriousViolations()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmelden", Level = 1 })).ToBeVisibleAsync();

        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Accessibility_LoginPageWithError_HasNoSeriousViolations()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Bitte füllen Sie das Feld „Passwort“ aus.")).ToBeVisibleAsync();

        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Accessibility_RegistrationPage_HasNoSeriousViolations()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/registrieren");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anonym registrieren", Level = 1 })).ToBeVisibleAsync();

        Assert.Empty(await SeriousAccessibilityViolationsAsync(page));
    }
}
