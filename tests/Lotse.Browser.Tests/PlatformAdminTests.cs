using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Issue 8, "a platform admin sees all": the demo platform admin lands on the list of every agency, creates a new one
/// (a wrong entry first), administers it, and switches back to the demo centre. Creates an agency, so it has its own app.
/// </summary>
public sealed class PlatformAdminTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task PlatformAdmin_CreatesAnAgencyAndSwitchesBetweenAgencies()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.PlatformAdminEmail);

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alle Beratungsstellen", Level = 1 })).ToBeVisibleAsync();
        var demo = page.GetByTestId("platform-agency").Filter(new() { HasText = "Beratungsstelle Lotsenhaus" });
        await Expect(demo).ToContainTextAsync("Berlin");
        await Expect(demo).ToHaveAttributeAsync("data-counsellors", "4");

        // Without a state the form names the field and nothing is created.
        await page.GetByLabel("Name der Beratungsstelle").FillAsync("Familienberatung Nordstern");
        await page.GetByRole(AriaRole.Button, new() { Name = "Beratungsstelle anlegen" }).ClickAsync();
        await Expect(page.GetByText("Bitte wählen Sie im Feld „Bundesland“ ein Bundesland.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("platform-agency")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "overview");

        await page.GetByLabel("Bundesland").SelectOptionAsync(new SelectOptionValue { Label = "Hamburg" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Beratungsstelle anlegen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Beratungsstelle", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Die Beratungsstelle „Familienberatung Nordstern“ ist angelegt.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("administered-agency")).ToContainTextAsync("Sie verwalten als Plattform-Verwaltung: Familienberatung Nordstern");
        await ScreenshotAsync(page, "created");

        // Back to the list, and on to the demo centre's supervision.
        await page.GetByRole(AriaRole.Link, new() { Name = "Andere Beratungsstelle wählen" }).ClickAsync();
        await Expect(page.GetByTestId("platform-agency")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Beratungsstelle Lotsenhaus verwalten" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Aufsicht", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("administered-agency")).ToContainTextAsync("Beratungsstelle Lotsenhaus");
        await Expect(page.GetByTestId("supervision-counsellor")).ToHaveCountAsync(4);
        await page.GetByRole(AriaRole.Link, new() { Name = "Berater:innen verwalten" }).ClickAsync();
        await Expect(page.GetByTestId("counsellor-row").Filter(new() { HasText = "Anna Berger" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "administering-demo");
    }
}
