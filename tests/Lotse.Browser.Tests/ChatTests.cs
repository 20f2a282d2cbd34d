using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Live chat in two browsers: a client (Wolke7) and Anna Berger write both ways, see each other typing and reading,
/// and keep the conversation through a dropped connection without losing or doubling a message.
/// Each test starts a chat, so each has an app of its own.
/// </summary>
public sealed partial class ChatTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>
    /// Lets a test cut the page's live connections as a network failure would: every WebSocket the page opens is
    /// remembered, and window.lotseDropSockets() closes them all.
    /// </summary>
    private const string SocketTracker = """
        (() => {
            const Native = window.WebSocket;
            const open = [];
            class Tracked extends Native {
                constructor(...args) {
                    super(...args);
                    open.push(this);
                }
            }
            window.WebSocket = Tracked;
            window.lotseDropSockets = () => open.splice(0).forEach((s) => { try { s.close(); } catch { } });
        })();
        """;

    /// <summary>Reconnecting waits up to 5 s between attempts; a whole reconnect with catching up gets three times that.</summary>
    private const float ReconnectTimeout = 15_000;

    [Fact]
    public async Task Chat_ClientAndCounsellor_LiveBothWaysWithTypingAndReadReceipts()
    {
        var server = await StartOwnServerAsync();
        var (counsellor, client) = await StartChatAsync(server);

        // The client writes first; the counsellor's list shows the conversation with one unread message, live.
        await WriteAsync(client, "Hallo, ich hätte eine Frage.");
        await Expect(MessageIn(client, "Hallo, ich hätte eine Frage.").GetByText("gesendet", new() { Exact = true })).ToBeVisibleAsync();
        var item = counsellor.GetByTestId("chat-list-item").Filter(new() { HasText = "Wolke7" });
        await Expect(item.GetByTestId("chat-list-unread")).ToHaveTextAsync("1 ungelesen", new() { Timeout = LiveTimeout });
        await ScreenshotAsync(counsellor, "counsellor-list");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(counsellor));

        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(counsellor).ToHaveURLAsync(CounsellorChatUrl());
        await WaitUntilLiveAsync(counsellor);
        await Expect(MessageIn(counsellor, "Hallo, ich hätte eine Frage.")).ToBeVisibleAsync();
        // The counsellor's page has read it: the client's message now says so.
        await Expect(MessageIn(client, "Hallo, ich hätte eine Frage.").GetByText("gelesen", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = LiveTimeout });

        // Typing shows on the other side only, and goes away with the message.
        await counsellor.GetByLabel("Nachricht", new() { Exact = true }).PressSequentiallyAsync("Gern, worum geht es");
        await Expect(client.GetByTestId("chat-typing")).ToHaveTextAsync("Anna Berger schreibt …", new() { Timeout = LiveTimeout });
        await Expect(counsellor.GetByTestId("chat-typing")).ToHaveTextAsync("");
        await ScreenshotAsync(client, "client-typing");
        await counsellor.GetByLabel("Nachricht", new() { Exact = true }).PressSequentiallyAsync("?");
        await counsellor.GetByRole(AriaRole.Button, new() { Name = "Senden" }).ClickAsync();
        await Expect(MessageIn(client, "Gern, worum geht es?")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("chat-typing")).ToHaveTextAsync("");

        // Markup and links stay text on the other side.
        const string tricky = "<b>fett?</b> Siehe https://example.org/hilfe?a=1&b=2";
        await WriteAsync(client, tricky);
        var shown = MessageIn(counsellor, tricky);
        await Expect(shown).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(shown.Locator("b")).ToHaveCountAsync(0);
        await Expect(shown.Locator("a")).ToHaveCountAsync(0);

        await Expect(counsellor.GetByTestId("chat-message")).ToHaveCountAsync(3);
        await Expect(client.GetByTestId("chat-message")).ToHaveCountAsync(3);
        await ScreenshotAsync(client, "client");
        await ScreenshotAsync(counsellor, "counsellor");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(client));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(counsellor));
    }

    [Fact]
    public async Task Chat_ConnectionDrops_ReconnectsWithoutLosingOrDoublingMessages()
    {
        var server = await StartOwnServerAsync();
        var (counsellor, client) = await StartChatAsync(server);
        await WriteAsync(client, "Vor der Störung");
        var item = counsellor.GetByTestId("chat-list-item").Filter(new() { HasText = "Wolke7" });
        await item.GetByRole(AriaRole.Link).ClickAsync();
        await WaitUntilLiveAsync(counsellor);
        await Expect(MessageIn(counsellor, "Vor der Störung")).ToBeVisibleAsync();

        // The client's network goes away: its live connection breaks and new ones fail for now.
        await client.Context.SetOfflineAsync(true);
        await client.EvaluateAsync("() => window.lotseDropSockets()");
        await Expect(client.GetByTestId("chat-connection")).ToContainTextAsync("Verbindung unterbrochen", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "false");

        // Meanwhile the counsellor writes twice, and the client writes once (it waits in the page, unacknowledged).
        await WriteAsync(counsellor, "Verpasst eins");
        await WriteAsync(counsellor, "Verpasst zwei");
        await WriteAsync(client, "Geschrieben ohne Netz");
        await Expect(MessageIn(client, "Geschrieben ohne Netz").GetByText("wird gesendet …")).ToBeVisibleAsync();
        await ScreenshotAsync(client, "client-offline");

        // The network comes back: the page reconnects by itself, fetches what it missed and sends what waited.
        await client.Context.SetOfflineAsync(false);
        await Expect(client.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "true", new() { Timeout = ReconnectTimeout });
        await Expect(MessageIn(client, "Verpasst eins")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(MessageIn(client, "Verpasst zwei")).ToBeVisibleAsync();
        await Expect(MessageIn(counsellor, "Geschrieben ohne Netz")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(MessageIn(client, "Geschrieben ohne Netz").GetByText("wird gesendet …")).ToHaveCountAsync(0);
        await Expect(client.GetByTestId("chat-connection")).ToHaveTextAsync("");

        // Every message exactly once on both pages, in the order they were stored.
        string[] expected = ["Vor der Störung", "Verpasst eins", "Verpasst zwei", "Geschrieben ohne Netz"];
        await Expect(client.GetByTestId("chat-message").Locator("[data-body]")).ToHaveTextAsync(expected);
        await Expect(counsellor.GetByTestId("chat-message").Locator("[data-body]")).ToHaveTextAsync(expected);

        // And the conversation goes on live.
        await WriteAsync(counsellor, "Wieder verbunden?");
        await Expect(MessageIn(client, "Wieder verbunden?")).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("chat-message")).ToHaveCountAsync(5);
        await ScreenshotAsync(client, "client-after-reconnect");
    }

    [Fact]
    public async Task Chat_CounsellorEndsChat_ClientSeesItClosedAndCannotWrite()
    {
        var server = await StartOwnServerAsync();
        var (counsellor, client) = await StartChatAsync(server);
        await WriteAsync(client, "Danke für das Gespräch.");
        await counsellor.GetByTestId("chat-list-item").Filter(new() { HasText = "Wolke7" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitUntilLiveAsync(counsellor);

        await counsellor.GetByRole(AriaRole.Button, new() { Name = "Chat beenden" }).ClickAsync();

        await Expect(counsellor.GetByTestId("chat-closed")).ToContainTextAsync("Sie haben diesen Chat beendet.");
        await Expect(client.GetByTestId("chat-closed")).ToContainTextAsync("Anna Berger hat diesen Chat beendet.", new() { Timeout = LiveTimeout });
        await Expect(client.GetByTestId("chat-form")).ToBeHiddenAsync();
        await Expect(MessageIn(client, "Danke für das Gespräch.")).ToBeVisibleAsync();
        await ScreenshotAsync(client, "client-closed");
    }

    [Fact]
    public async Task Chat_OnPhone_FitsTheScreenAndSends()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        await counsellor.GotoAsync("/chats");
        await Expect(counsellor.Locator("[data-chat-inbox]")).ToHaveAttributeAsync("data-live", "true");
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client", Phone);
        await client.AddInitScriptAsync(SocketTracker);
        await OpenCounsellorProfileAsync(client);
        await client.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await WaitUntilLiveAsync(client);
        await Expect(client.GetByTestId("chat-presence")).ToHaveTextAsync("Online");

        await WriteAsync(client, "Eine längere Nachricht vom Telefon, damit man sieht, wie der Text umbricht: https://example.org/ein/sehr/langer/pfad/der/nicht/über/den/rand/gehen/darf");

        await Expect(MessageIn(client, "Eine längere Nachricht vom Telefon").GetByText("gesendet", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        Assert.False(await ScrollsHorizontallyAsync(client), "The chat page scrolls sideways on a phone.");
        await Expect(client.GetByRole(AriaRole.Button, new() { Name = "Senden" })).ToBeInViewportAsync();
    }

    [Fact]
    public async Task ChatNav_CounsellorOnDashboard_ShownOnlineAndUnreadBadgeCountsLive()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        await Expect(counsellor.Locator("[data-chat-nav]")).ToHaveAttributeAsync("data-live", "true");
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await OpenCounsellorProfileAsync(client);

        // Anna has only her dashboard open: the chat link's connection is enough to be shown online.
        await Expect(client.GetByTestId("presence")).ToHaveTextAsync("Online");
        await client.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await WaitUntilLiveAsync(client);
        await WriteAsync(client, "Hallo, sind Sie da?");
        await WriteAsync(client, "Ich warte.");

        var badge = counsellor.Locator("[data-chat-nav-unread]");
        await Expect(badge).ToHaveTextAsync("2 ungelesen", new() { Timeout = LiveTimeout });
        await ScreenshotAsync(counsellor, "counsellor-badge");

        // Reading the chat clears the badge.
        await counsellor.Locator("[data-chat-nav]").ClickAsync();
        await counsellor.GetByTestId("chat-list-item").Filter(new() { HasText = "Wolke7" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitUntilLiveAsync(counsellor);
        await Expect(counsellor.Locator("[data-chat-nav-unread]")).ToBeHiddenAsync(new() { Timeout = LiveTimeout });
    }

    /// <summary>Anna watches her chat list; Wolke7 starts a chat from Anna's profile. Both pages are live.</summary>
    private async Task<(IPage Counsellor, IPage Client)> StartChatAsync(LotseServer server, [CallerMemberName] string test = "")
    {
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor", test: test);
        await counsellor.AddInitScriptAsync(SocketTracker);
        await counsellor.GotoAsync("/chats");
        await Expect(counsellor.Locator("[data-chat-inbox]")).ToHaveAttributeAsync("data-live", "true");

        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client", test: test);
        await client.AddInitScriptAsync(SocketTracker);
        await OpenCounsellorProfileAsync(client);
        // Anna is in chat mode "Online" and has a chat page open: shown online.
        await Expect(client.GetByTestId("presence")).ToHaveTextAsync("Online");
        await client.GetByRole(AriaRole.Button, new() { Name = "Chat starten" }).ClickAsync();
        await Expect(client).ToHaveURLAsync(ClientChatUrl());
        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = "Chat mit Anna Berger", Level = 1 })).ToBeVisibleAsync();
        await WaitUntilLiveAsync(client);
        await Expect(client.GetByTestId("chat-presence")).ToHaveTextAsync("Online");

        // The new conversation shows in Anna's list at once, before any message.
        await Expect(counsellor.GetByTestId("chat-list-item").Filter(new() { HasText = "Wolke7" })).ToBeVisibleAsync(new() { Timeout = LiveTimeout });
        return (counsellor, client);
    }

    private static async Task WaitUntilLiveAsync(IPage page) =>
        await Expect(page.GetByTestId("chat")).ToHaveAttributeAsync("data-live", "true");

    private static async Task WriteAsync(IPage page, string text)
    {
        await page.GetByLabel("Nachricht", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Senden" }).ClickAsync();
    }

    private static ILocator MessageIn(IPage page, string text) =>
        page.GetByTestId("chat-message").Filter(new() { Has = page.Locator("[data-body]", new() { HasTextString = text }) });

    [GeneratedRegex("/chat/[0-9a-f-]{36}$")]
    private static partial Regex ClientChatUrl();

    [GeneratedRegex("/chats/[0-9a-f-]{36}$")]
    private static partial Regex CounsellorChatUrl();
}
