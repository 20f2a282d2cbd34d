using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>"Meine Stammklient:innen": mark and unmark. Changes Anna's relations, so it has its own app.</summary>
public sealed class RegularClientsTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task RegularClients_MarkAndUnmarkWolke7_ListUpdates()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptnavigation" }).GetByRole(AriaRole.Link, new() { Name = "Stammklient:innen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Meine Stammklient:innen", Level = 1 })).ToBeVisibleAsync();

        var regular = page.GetByTestId("regular-clients");
        var others = page.GetByTestId("other-clients");
        await Expect(regular.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Stammklient:innen (1)");
        await Expect(regular.Locator(".client-name")).ToHaveTextAsync(["Mond"]);
        await Expect(regular.GetByRole(AriaRole.Button, new() { Name = "Mond nicht mehr als Stammklient:in führen" })).ToBeVisibleAsync();
        await Expect(others.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Weitere Klient:innen (2)");
        await Expect(others.Locator(".client-name")).ToHaveTextAsync(["Kompass", "Wolke7"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Wolke7 als Stammklient:in markieren" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Wolke7 ist jetzt als Stammklient:in markiert.");
        await Expect(regular.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Stammklient:innen (2)");
        await Expect(regular.Locator(".client-name")).ToHaveTextAsync(["Mond", "Wolke7"]);
        await Expect(others.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Weitere Klient:innen (1)");
        await Expect(others.Locator(".client-name")).ToHaveTextAsync(["Kompass"]);
        await ScreenshotAsync(page, "marked");

        await page.GetByRole(AriaRole.Button, new() { Name = "Wolke7 nicht mehr als Stammklient:in führen" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Wolke7 ist nicht mehr als Stammklient:in markiert.");
        await Expect(regular.Locator(".client-name")).ToHaveTextAsync(["Mond"]);
        await Expect(others.Locator(".client-name")).ToHaveTextAsync(["Kompass", "Wolke7"]);
    }
}
