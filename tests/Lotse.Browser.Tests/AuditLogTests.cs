using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>The agency admin's audit log: reached from the navigation, filtered by person and kind, readable on a phone.</summary>
public sealed class AuditLogTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task AuditLog_AdminFiltersByPersonAndKind_SeesOnlyThoseEntries()
    {
        var server = await StartOwnServerAsync();
        // Something to find: Anna signs in and opens her mail inbox's first thread.
        var anna = await OpenSignedInAsync(server, DemoData.AnnaEmail, "anna");
        await anna.GotoAsync("/posteingang");
        await anna.Locator("[data-thread] a").First.ClickAsync();
        await Expect(anna.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Protokoll" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Protokoll", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "all");

        await admin.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = AnnaName });
        await admin.GetByLabel("Art").SelectOptionAsync(new SelectOptionValue { Label = "Mailverlauf gelesen" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filtern" }).ClickAsync();

        var rows = admin.GetByTestId("audit-row");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(admin.GetByTestId("audit-count")).ToHaveTextAsync("1 Eintrag");
        await Expect(rows.First).ToContainTextAsync(AnnaName);
        await Expect(rows.First).ToContainTextAsync("Mailverlauf gelesen");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
        await ScreenshotAsync(admin, "filtered");

        // The same view on a phone: cards instead of a table, nothing wider than the screen.
        var phone = await OpenSignedInAsync(server, DemoData.AdminEmail, "phone", Phone);
        await phone.GotoAsync(admin.Url);
        await Expect(phone.GetByTestId("audit-row")).ToHaveCountAsync(1);
        Assert.False(await ScrollsHorizontallyAsync(phone));
    }
}
