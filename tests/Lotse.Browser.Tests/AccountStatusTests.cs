using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// The Accountstatus tile changes what advice seekers see on the counsellor's profile page, live, with no
/// reload on their side. Each test changes Anna's status, so each has an app of its own.
/// </summary>
public sealed class AccountStatusTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Saved = "Gespeichert. Die Änderung gilt ab sofort.";

    [Fact]
    public async Task AccountStatus_CounsellorFlipsToggle_ClientPageUpdatesLive()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await OpenCounsellorProfileAsync(client);
        await MarkAsNotReloadedAsync(client);

        var availability = client.GetByTestId("availability");
        await Expect(availability).ToHaveAttributeAsync("data-can-book", "true");
        await Expect(client.GetByTestId("channel-booking")).ToContainTextAsync("Termin buchen möglich");
        await Expect(client.GetByTestId("regular-only")).ToHaveCountAsync(0);

        var toggle = counsellor.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" });
        await toggle.CheckAsync();

        // The client page follows within about a second of the click (the first wait starts right after it);
        // the counsellor sees that the change is saved.
        await Expect(availability).ToHaveAttributeAsync("data-can-book", "false", new() { Timeout = LiveTimeout });
        await Expect(toggle).ToBeCheckedAsync();
        await ExpectSavedAsync(counsellor);
        await Expect(counsellor.GetByTestId("regular-only-hint")).ToContainTextAsync("An: Keine Terminbuchung möglich.");
        await Expect(client.GetByTestId("channel-booking")).ToContainTextAsync("Termin buchen derzeit nicht möglich", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("regular-only")).ToContainTextAsync(
            "Anna Berger nimmt derzeit nur Stammklient:innen an. Keine Terminbuchung möglich.", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("channel-chat")).ToContainTextAsync("Chat derzeit nicht möglich", new() { Timeout = LiveTimeout });
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "false", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("channel-mail")).ToContainTextAsync("Mailanfrage senden derzeit nicht möglich", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("presence")).ToHaveTextAsync("Offline", new() { Timeout = LiveTimeout });
        await ScreenshotAsync(client, "client-toggle-on");
        await ScreenshotAsync(counsellor, "counsellor-toggle-on");

        await toggle.UncheckAsync();

        await Expect(availability).ToHaveAttributeAsync("data-can-book", "true", new() { Timeout = LiveTimeout });
        await Expect(toggle).Not.ToBeCheckedAsync();
        await Expect(counsellor.GetByTestId("regular-only-hint")).ToContainTextAsync("Aus: Alle ratsuchenden Personen können Termine buchen");
        await Expect(client.GetByTestId("channel-booking")).ToContainTextAsync("Termin buchen möglich", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("regular-only")).ToHaveCountAsync(0, new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("channel-chat")).ToContainTextAsync("Chat möglich, antwortet jetzt", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("channel-mail")).ToContainTextAsync("Mailanfrage senden möglich", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("presence")).ToHaveTextAsync("Online", new() { Timeout = LiveTimeout });
        await ExpectSavedAsync(counsellor);

        await AssertNotReloadedAsync(client);
    }

    [Fact]
    public async Task AccountStatus_CounsellorChangesChatMode_ClientPresenceUpdatesLive()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await OpenCounsellorProfileAsync(client);
        await MarkAsNotReloadedAsync(client);

        var availability = client.GetByTestId("availability");
        var presence = client.GetByTestId("presence");
        var chatChannel = client.GetByTestId("channel-chat");
        await Expect(presence).ToHaveTextAsync("Online");
        await Expect(chatChannel).ToContainTextAsync("Chat möglich, antwortet jetzt");

        var chat = counsellor.GetByRole(AriaRole.Group, new() { Name = "Chat" });

        await chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Nicht anwählbar") }).CheckAsync();

        await Expect(presence).ToHaveTextAsync("Offline", new() { Timeout = LiveTimeout });
        await ExpectSavedAsync(counsellor);
        await Expect(availability).ToHaveAttributeAsync("data-shown-online", "false", new() { Timeout = LiveTimeout });
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "false", new() { Timeout = LiveTimeout });
        await Expect(chatChannel).ToContainTextAsync("Chat derzeit nicht möglich", new() { Timeout = LiveTimeout });
        // Chat mode touches neither booking nor mail.
        await Expect(client.GetByTestId("channel-booking")).ToContainTextAsync("Termin buchen möglich");
        await Expect(client.GetByTestId("channel-mail")).ToContainTextAsync("Mailanfrage senden möglich");
        await ScreenshotAsync(client, "client-not-reachable");

        await chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Nicht Online") }).CheckAsync();

        await Expect(chatChannel).ToContainTextAsync("Chat möglich, Antwort folgt später", new() { Timeout = LiveTimeout });
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "true", new() { Timeout = LiveTimeout });
        await Expect(presence).ToHaveTextAsync("Offline", new() { Timeout = LiveTimeout });

        await chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Online") }).CheckAsync();

        await Expect(presence).ToHaveTextAsync("Online", new() { Timeout = LiveTimeout });
        await Expect(availability).ToHaveAttributeAsync("data-shown-online", "true", new() { Timeout = LiveTimeout });
        await Expect(chatChannel).ToContainTextAsync("Chat möglich, antwortet jetzt", new() { Timeout = LiveTimeout });
        await AssertNotReloadedAsync(client);
    }

    [Fact]
    public async Task AccountStatus_ToggleOnForRegularClient_ChatAndMailPossibleBookingNot()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(server, DemoData.RegularClientNickname, "regular-client");
        await OpenCounsellorProfileAsync(client);
        await MarkAsNotReloadedAsync(client);
        var availability = client.GetByTestId("availability");
        await Expect(availability).ToHaveAttributeAsync("data-can-book", "true");

        await counsellor.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" }).CheckAsync();

        await ExpectSavedAsync(counsellor);
        await Expect(availability).ToHaveAttributeAsync("data-can-book", "false", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("channel-booking")).ToContainTextAsync("Termin buchen derzeit nicht möglich", new() { Timeout = LiveTimeout });
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "true");
        await Expect(availability).ToHaveAttributeAsync("data-can-mail", "true");
        await Expect(client.GetByTestId("channel-chat")).ToContainTextAsync("Chat möglich, antwortet jetzt");
        await Expect(client.GetByTestId("channel-mail")).ToContainTextAsync("Mailanfrage senden möglich");
        await Expect(client.GetByTestId("presence")).ToHaveTextAsync("Online");
        // The refusal note is for those who are refused; a regular client is not.
        await Expect(client.GetByTestId("regular-only")).ToHaveCountAsync(0);
        await AssertNotReloadedAsync(client);

        // The same after a fresh load: the page and the live refresh agree.
        await client.ReloadAsync();
        await Expect(availability).ToHaveAttributeAsync("data-can-book", "false");
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "true");
        await Expect(availability).ToHaveAttributeAsync("data-can-mail", "true");
    }

    [Fact]
    public async Task AccountStatus_ToggleOn_SurvivesDashboardReload()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        var toggle = counsellor.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" });

        await toggle.CheckAsync();
        await ExpectSavedAsync(counsellor);
        await counsellor.GetByRole(AriaRole.Group, new() { Name = "Mail" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^keine neuen Anfragen") }).CheckAsync();
        await ExpectSavedAsync(counsellor);
        await counsellor.ReloadAsync();

        await Expect(toggle).ToBeCheckedAsync();
        await Expect(counsellor.GetByRole(AriaRole.Group, new() { Name = "Mail" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^keine neuen Anfragen") })).ToBeCheckedAsync();
        await Expect(counsellor.GetByRole(AriaRole.Group, new() { Name = "Chat" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Online") })).ToBeCheckedAsync();
    }

    /// <summary>
    /// The tile says "Wird gespeichert …" the moment a control changes (synchronously, in the change event),
    /// so seeing the saved message after an action means that action's save has finished.
    /// </summary>
    private static async Task ExpectSavedAsync(IPage counsellor) =>
        await Expect(counsellor.GetByTestId("tile-status").GetByRole(AriaRole.Status)).ToHaveTextAsync(Saved);

    /// <summary>A mark on the window object: a reload would wipe it.</summary>
    private static async Task MarkAsNotReloadedAsync(IPage page) => await page.EvaluateAsync("() => { window.lotseNotReloaded = true; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.lotseNotReloaded === true"), "The client page was reloaded; it must update in place.");
}
