using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Issue 8: the admin closes the agency for new requests and opens it again while a client watches a counsellor's
/// page, which changes live; the admin takes over next year's public holidays as closing days. Changes demo state, so
/// each test has its own app.
/// </summary>
public sealed class AgencySettingsTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Note = "Wir sind vom 23.12. bis 2.1. in Betriebsferien.";

    [Fact]
    public async Task Agency_AdminClosesThenReopens_ClientPageShowsTheNoteLiveThenOffersMailAgain()
    {
        var server = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client", Phone);
        await OpenCounsellorProfileAsync(client);
        await Expect(client.GetByTestId("write-mail")).ToBeVisibleAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Beratungsstelle", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Beratungsstelle", Level = 1 })).ToBeVisibleAsync();
        // The demo agency's own contact is in the footer of staff pages.
        await Expect(admin.GetByTestId("agency-contact")).ToContainTextAsync("030 555 12 34");
        await ScreenshotAsync(admin, "settings");

        // Without a note the form names the field and nothing closes.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Für neue Anfragen schließen" }).ClickAsync();
        await Expect(admin.GetByText("Bitte füllen Sie das Feld „Hinweis für Ratsuchende“ aus.")).ToBeVisibleAsync();
        await Expect(client.GetByTestId("write-mail")).ToBeVisibleAsync();

        await admin.GetByLabel("Hinweis für Ratsuchende").FillAsync(Note);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Für neue Anfragen schließen" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status).First).ToContainTextAsync("Die Beratungsstelle nimmt jetzt keine neuen Anfragen an.");
        await Expect(admin.GetByTestId("agency-state")).ToContainTextAsync("Geschlossen seit");
        await ScreenshotAsync(admin, "closed");

        // The client's page changes without a reload: the note instead of the buttons.
        await Expect(client.GetByTestId("agency-closed")).ToContainTextAsync(Note, new() { Timeout = LiveTimeout * 5 });
        await Expect(client.GetByTestId("write-mail")).ToHaveCountAsync(0);
        await ScreenshotAsync(client, "closed");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Wieder für neue Anfragen öffnen" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status).First).ToContainTextAsync("Die Beratungsstelle nimmt wieder neue Anfragen an.");
        await Expect(client.GetByTestId("agency-closed")).ToHaveCountAsync(0, new() { Timeout = LiveTimeout * 5 });
        await Expect(client.GetByTestId("write-mail")).ToBeVisibleAsync();
        Assert.False(await ScrollsHorizontallyAsync(client));
    }

    [Fact]
    public async Task ClosingDays_AdminTakesOverNextYearsHolidays_ListedAndOfferedAsTaken()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail);
        var nextYear = (TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Schließtage", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Feiertage in Berlin" })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = nextYear, Exact = true }).ClickAsync();
        await Expect(admin.GetByLabel(new System.Text.RegularExpressions.Regex("Neujahr"))).ToBeCheckedAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Angekreuzte Feiertage übernehmen" }).ClickAsync();

        await Expect(admin.GetByRole(AriaRole.Status).First).ToContainTextAsync("Feiertage sind jetzt Schließtage.");
        await Expect(admin.GetByTestId("closing-days")).ToContainTextAsync("Neujahr");
        await Expect(admin.GetByTestId("closing-days")).ToContainTextAsync("Internationaler Frauentag");
        await Expect(admin.GetByText("Alle Feiertage dieses Jahres sind schon Schließtage.")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "holidays");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
    }
}
