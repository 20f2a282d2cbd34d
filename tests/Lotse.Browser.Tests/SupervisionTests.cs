using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// The agency admin's supervision (issue 8): the live page changes while a client sends a request in another browser,
/// and the monthly statistics with its chart. A request changes demo state, so the test has its own app.
/// </summary>
public sealed class SupervisionTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task Supervision_OnPhone_NoHorizontalScrollAndNoSeriousAccessibilityProblems()
    {
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, viewport: Phone);
        await admin.GotoAsync("/verwaltung/aufsicht");
        await Expect(admin.GetByTestId("supervision-counsellor").First).ToBeVisibleAsync();
        await Expect(admin.Locator("#supervision-live")).ToHaveAttributeAsync("data-live", "true");
        Assert.False(await ScrollsHorizontallyAsync(admin));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
        await ScreenshotAsync(admin, "live");

        await admin.GotoAsync("/verwaltung/statistik");
        await Expect(admin.GetByTestId("statistics-chart")).ToBeVisibleAsync();
        Assert.False(await ScrollsHorizontallyAsync(admin));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
        await ScreenshotAsync(admin, "statistics");
    }

    [Fact]
    public async Task Supervision_ClientSendsRequest_AdminSeesOpenRequestsRiseLive()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Aufsicht", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Aufsicht", Level = 1 })).ToBeVisibleAsync();
        // Only once the page has joined its agency's live group can it hear about a change.
        await Expect(admin.Locator("#supervision-live")).ToHaveAttributeAsync("data-live", "true");
        var anna = admin.GetByTestId("supervision-counsellor").Filter(new() { HasText = AnnaName });
        var annaId = await anna.GetAttributeAsync("data-counsellor");
        var openBefore = int.Parse((await anna.GetAttributeAsync("data-open"))!, System.Globalization.CultureInfo.InvariantCulture);
        var forwardedBefore = await admin.GetByTestId("forwarded-today").TextContentAsync();
        await ScreenshotAsync(admin, "before");

        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await client.GotoAsync($"/anfragen/neu?berater={annaId}");
        await client.GetByLabel("Betreff", new() { Exact = true }).FillAsync("Prüfungsangst");
        await client.GetByLabel("Ihre Nachricht", new() { Exact = true }).FillAsync("Ich kann seit Tagen nicht schlafen.");
        await client.GetByRole(AriaRole.Button, new() { Name = "Anfrage senden" }).ClickAsync();
        await Expect(client.GetByTestId("mail-notice")).ToBeVisibleAsync();

        // No reload: the board swaps itself in when the hub says the agency changed.
        await Expect(anna).ToHaveAttributeAsync("data-open", (openBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = LiveTimeout });
        await Expect(admin.GetByTestId("forwarded-today")).ToHaveTextAsync(forwardedBefore!);
        // Counts only: the subject the client wrote does not appear.
        await Expect(admin.GetByText("Prüfungsangst")).ToHaveCountAsync(0);
        Assert.False(await ScrollsHorizontallyAsync(admin));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
        await ScreenshotAsync(admin, "after");
    }

    [Fact]
    public async Task Supervision_CounsellorSignsInAndChangesMailMode_AdminSeesPresenceAndStatusLive()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        await admin.GotoAsync("/verwaltung/aufsicht");
        await Expect(admin.Locator("#supervision-live")).ToHaveAttributeAsync("data-live", "true");
        var anna = admin.GetByTestId("supervision-counsellor").Filter(new() { HasText = AnnaName });
        // Anna's chat is set to "Online", but nobody sees her online while she has no page open.
        await Expect(anna).ToHaveAttributeAsync("data-online", "false");

        // Her dashboard opens a live connection (chat presence): the availability hub tells the admin's page.
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        await Expect(anna).ToHaveAttributeAsync("data-online", "true", new() { Timeout = LiveTimeout });

        await counsellor.GetByRole(AriaRole.Group, new() { Name = "Mail" }).GetByRole(AriaRole.Radio, new() { NameRegex = new System.Text.RegularExpressions.Regex("^keine neuen Anfragen") }).CheckAsync();
        await Expect(anna).ToContainTextAsync("keine neuen Anfragen", new() { Timeout = LiveTimeout });
        await ScreenshotAsync(admin, "after");
    }

    [Fact]
    public async Task Statistics_Admin_SeesMonthChartAndCsvLink()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail);
        await admin.GotoAsync("/verwaltung/aufsicht");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Statistik", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Statistik", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("statistics-chart")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("statistics-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"handler=Csv&monat=\d{4}-\d{2}$"));
        await ScreenshotAsync(admin, "month");

        await admin.GetByLabel("Monat", new() { Exact = true }).FillAsync("2026-01");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Anzeigen" }).ClickAsync();
        await Expect(admin.GetByTestId("statistics-month")).ToHaveTextAsync("Januar 2026");
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("monat=2026-01"));

        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByTestId("statistics-csv").ClickAsync());
        Assert.Equal("lotse-statistik-2026-01.csv", download.SuggestedFilename);
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
    }
}
