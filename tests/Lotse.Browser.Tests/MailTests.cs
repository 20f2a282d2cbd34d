using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Mail counselling (issue 6) in the browser: a client's request and the conversation that follows, the forward to the
/// agency's fallback counsellor when Anna is full, the slot that frees when she closes a request, and the agency's
/// unassigned queue. Every test writes requests, so each has an app of its own.
/// </summary>
public sealed partial class MailTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string DoraName = "Dora Vogt";
    private const string BenName = "Ben Schulz";
    private const string Arrived = "Ihre Anfrage ist angekommen.";
    private const string Sent = "Ihre Nachricht ist gesendet.";

    [Fact]
    public async Task Mail_ClientRequestsAnnaAnswersClientFollowsUp_BothSeeTheWholeConversation()
    {
        var server = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await OpenRequestFormAsync(client, AnnaName);
        await ScreenshotAsync(client, "client-request-form");

        // An empty form names both missing fields, in German, and sends nothing.
        await client.GetByRole(AriaRole.Button, new() { Name = "Anfrage senden" }).ClickAsync();
        await Expect(client.GetByText("Bitte geben Sie einen Betreff ein.")).ToBeVisibleAsync();
        await Expect(client.GetByText("Bitte schreiben Sie eine Nachricht.")).ToBeVisibleAsync();
        await Expect(client.GetByLabel("Betreff", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(client.GetByLabel("Ihre Nachricht", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(client, "client-request-errors");

        const string subject = "Streit mit meiner Mitbewohnerin";
        const string request = "Hallo, seit Wochen streiten wir über jede Kleinigkeit.\nIch weiß nicht mehr, wie ich das ansprechen soll.";
        await SendRequestAsync(client, subject, request);
        await Expect(client.GetByTestId("mail-who-answers")).ToHaveTextAsync($"Es antwortet Ihnen {AnnaName}.");
        await Expect(client.GetByTestId("mail-state")).ToHaveTextAsync("offen");
        await Expect(client.GetByTestId("mail-message")).ToHaveCountAsync(1);
        await Expect(AuthorOf(client, "seit Wochen streiten wir")).ToHaveTextAsync("Sie");
        await ScreenshotAsync(client, "client-thread-sent");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(client));

        // Anna finds it, unread, in her inbox through the navigation.
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        await counsellor.GetByRole(AriaRole.Link, new() { Name = "Mailberatung", Exact = true }).ClickAsync();
        await Expect(counsellor).ToHaveURLAsync(new Regex("/posteingang$"));
        var item = ListItem(counsellor, subject);
        await Expect(item).ToContainTextAsync(DemoData.ClientNickname);
        await Expect(item.GetByTestId("mail-unread")).ToHaveTextAsync("neu");
        await Expect(item.GetByTestId("mail-state")).ToHaveTextAsync("offen");
        await Expect(item.GetByTestId("mail-forwarded")).ToHaveCountAsync(0);
        await ScreenshotAsync(counsellor, "counsellor-inbox");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(counsellor));

        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(counsellor).ToHaveURLAsync(CounsellorThreadUrl());
        await Expect(counsellor.GetByRole(AriaRole.Heading, new() { Name = subject, Level = 1 })).ToBeVisibleAsync();
        await Expect(AuthorOf(counsellor, "Ich weiß nicht mehr, wie ich das ansprechen soll.")).ToHaveTextAsync(DemoData.ClientNickname);
        // Written to her directly: nothing to explain.
        await Expect(counsellor.GetByTestId("mail-why")).ToHaveCountAsync(0);

        const string answer = "Hallo Wolke7, danke für Ihre Nachricht. Was wäre Ihnen in dem Gespräch am wichtigsten?";
        await ReplyAsync(counsellor, answer);
        await Expect(counsellor.GetByTestId("mail-message")).ToHaveCountAsync(2);
        await Expect(counsellor.GetByTestId("mail-state")).ToHaveTextAsync("in Bearbeitung");
        await ScreenshotAsync(counsellor, "counsellor-thread");

        // The client sees the answer, from Anna, when the page is loaded again.
        await client.ReloadAsync();
        await Expect(AuthorOf(client, "Was wäre Ihnen in dem Gespräch am wichtigsten?")).ToHaveTextAsync(AnnaName);
        await Expect(client.GetByTestId("mail-message")).ToHaveCountAsync(2);
        await Expect(client.GetByTestId("mail-state")).ToHaveTextAsync("in Bearbeitung");

        const string followUp = "Am wichtigsten wäre mir, dass wir ruhig bleiben.";
        await ReplyAsync(client, followUp);
        await Expect(client.GetByTestId("mail-message")).ToHaveCountAsync(3);
        await ScreenshotAsync(client, "client-thread");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(client));

        // "Meine Anfragen" lists it once: the empty form sent nothing.
        await client.GetByRole(AriaRole.Link, new() { Name = "Meine Anfragen", Exact = true }).ClickAsync();
        await Expect(ListItem(client, subject)).ToHaveCountAsync(1);
        await Expect(ListItem(client, subject)).ToContainTextAsync(AnnaName);
        await ScreenshotAsync(client, "client-list");

        // Anna's inbox shows the follow-up as new again; the thread holds all three messages in order.
        await counsellor.GotoAsync("/posteingang");
        await Expect(ListItem(counsellor, subject).GetByTestId("mail-unread")).ToHaveTextAsync("neu");
        await ListItem(counsellor, subject).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(counsellor.GetByTestId("mail-message").Locator(".mail-message__body")).ToHaveTextAsync([request, answer, followUp]);
        await counsellor.GotoAsync("/posteingang");
        await Expect(ListItem(counsellor, subject).GetByTestId("mail-unread")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Mail_AnnaFullByCapacity_NewRequestGoesToDoraAndAfterCloseStaysWithAnna()
    {
        var server = await StartOwnServerAsync();
        var anna = await OpenSignedInAsync(server, DemoData.AnnaEmail, "anna");

        // The demo gives Anna two open requests (Wolke7's and Mond's). "nach Ressourcen" with N = 2: she is full.
        await anna.GotoAsync("/posteingang");
        await Expect(anna.GetByTestId("mail-list-item")).ToHaveCountAsync(2);
        await anna.GotoAsync("/");
        await anna.GetByRole(AriaRole.Group, new() { Name = "Mail" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^nach Ressourcen") }).CheckAsync();
        await Expect(anna.GetByTestId("tile-status").GetByRole(AriaRole.Status)).ToHaveTextAsync("Gespeichert. Die Änderung gilt ab sofort.");
        await anna.GetByRole(AriaRole.Link, new() { Name = "Einstellungen der Mailberatung" }).ClickAsync();
        await anna.GetByLabel("Höchstzahl offener Mailanfragen").FillAsync("2");
        await anna.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(anna.GetByRole(AriaRole.Status)).ToHaveTextAsync("Gespeichert: höchstens 2 offene Anfragen.");
        await anna.GotoAsync("/");
        await Expect(anna.GetByRole(AriaRole.Group, new() { Name = "Mail" }).GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^nach Ressourcen") })).ToBeCheckedAsync();
        await Expect(anna.GetByTestId("capacity")).ToContainTextAsync("höchstens 2 offene Anfragen");

        // Kompass writes to Anna: the request goes to Dora, the agency's fallback, and Kompass is told so.
        var kompass = await OpenSignedInAsync(server, "Kompass", "kompass");
        await OpenRequestFormAsync(kompass, AnnaName);
        const string forwarded = "Schulden und keine Übersicht";
        await SendRequestAsync(kompass, forwarded, "Ich habe mehrere Mahnungen bekommen und weiß nicht, wo ich anfangen soll.");
        await Expect(kompass.GetByTestId("mail-who-answers")).ToContainTextAsync($"{AnnaName} nimmt gerade keine neuen Anfragen an");
        await Expect(kompass.GetByTestId("mail-who-answers")).ToContainTextAsync($"antwortet Ihnen {DoraName}.");
        await ScreenshotAsync(kompass, "client-forwarded");

        // Not in Anna's inbox; in Dora's, marked as forwarded, with the reason.
        await anna.GotoAsync("/posteingang");
        await Expect(anna.GetByTestId("mail-list-item")).ToHaveCountAsync(2);
        await Expect(ListItem(anna, forwarded)).ToHaveCountAsync(0);

        var dora = await OpenSignedInAsync(server, DemoData.DoraEmail, "dora");
        await dora.GotoAsync("/posteingang");
        var item = ListItem(dora, forwarded);
        await Expect(item.GetByTestId("mail-forwarded")).ToHaveTextAsync("weitergeleitet");
        await Expect(item.GetByTestId("mail-unread")).ToBeVisibleAsync();
        await ScreenshotAsync(dora, "counsellor-inbox-forwarded");
        await item.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(dora).ToHaveURLAsync(CounsellorThreadUrl());
        var why = dora.GetByTestId("mail-why");
        await Expect(why).ToContainTextAsync($"Weitergeleitet von {AnnaName}, weil");
        await Expect(why).ToContainTextAsync("Höchstzahl offener Anfragen");
        await ScreenshotAsync(dora, "counsellor-thread-forwarded");

        // Dora can answer it like her own.
        await ReplyAsync(dora, "Guten Tag, ich bin Dora Vogt und antworte Ihnen gern. Welche Mahnung ist die älteste?");
        await kompass.ReloadAsync();
        await Expect(AuthorOf(kompass, "Welche Mahnung ist die älteste?")).ToHaveTextAsync(DoraName);

        // Anna closes Wolke7's request: a slot is free.
        await ListItem(anna, "Prüfungsangst").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(anna).ToHaveURLAsync(CounsellorThreadUrl());
        await anna.GetByText("Anfrage abschließen …").ClickAsync();
        await ScreenshotAsync(anna, "counsellor-close-confirm");
        await anna.GetByRole(AriaRole.Button, new() { Name = "Ja, abschließen" }).ClickAsync();
        await Expect(anna.GetByTestId("mail-notice")).ToHaveTextAsync("Die Anfrage ist abgeschlossen. Ein Platz für eine neue Anfrage ist frei.");
        await Expect(anna.GetByTestId("mail-state")).ToHaveTextAsync("abgeschlossen");
        await Expect(anna.GetByRole(AriaRole.Button, new() { Name = "Archivieren" })).ToBeVisibleAsync();
        await Expect(anna.GetByLabel("Ihre Antwort")).ToHaveCountAsync(0);

        // Wolke7 sees it closed and can no longer add to it.
        var wolke = await OpenSignedInAsync(server, DemoData.ClientNickname, "wolke7");
        await wolke.GotoAsync("/anfragen");
        await ListItem(wolke, "Prüfungsangst").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(wolke.GetByTestId("mail-closed")).ToContainTextAsync("Diese Anfrage ist abgeschlossen.");
        await Expect(wolke.GetByLabel("Ihre Antwort")).ToHaveCountAsync(0);

        // The next new request stays with Anna.
        await OpenRequestFormAsync(kompass, AnnaName);
        const string kept = "Noch eine Frage zu den Mahnungen";
        await SendRequestAsync(kompass, kept, "Darf ich Ihnen auch direkt schreiben?");
        await Expect(kompass.GetByTestId("mail-who-answers")).ToHaveTextAsync($"Es antwortet Ihnen {AnnaName}.");
        await anna.GotoAsync("/posteingang");
        await Expect(ListItem(anna, kept).GetByTestId("mail-unread")).ToBeVisibleAsync();
        await Expect(ListItem(anna, kept).GetByTestId("mail-forwarded")).ToHaveCountAsync(0);
        await Expect(anna.GetByTestId("mail-list-item")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Mail_NoAgencyFallbackAndBenAbsent_RequestWaitsInQueueUntilAnnaTakesIt()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Mailberatung", Exact = true }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/verwaltung/mailberatung$"));
        var fallback = admin.GetByLabel("Fallback-Berater:in der Beratungsstelle");
        await Expect(fallback.Locator("option:checked")).ToHaveTextAsync(DoraName);
        await fallback.SelectOptionAsync(new SelectOptionValue { Value = "" });
        await Expect(fallback.Locator("option:checked")).ToHaveTextAsync(new Regex("^Keine – "));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("Die Einstellungen der Mailberatung sind gespeichert.");
        await admin.ReloadAsync();
        await Expect(admin.GetByLabel("Fallback-Berater:in der Beratungsstelle").Locator("option:checked")).ToHaveTextAsync(new Regex("^Keine – "));

        // Ben is away and names no personal fallback: with no agency fallback, the request waits in the queue.
        var kompass = await OpenSignedInAsync(server, "Kompass", "client");
        await OpenRequestFormAsync(kompass, BenName);
        await Expect(kompass.GetByTestId("absence-note")).ToContainTextAsync($"{BenName} ist abwesend");
        await ScreenshotAsync(kompass, "client-request-form-absent");
        const string subject = "Wie geht es nach der Trennung weiter?";
        await SendRequestAsync(kompass, subject, "Guten Tag, ich brauche Hilfe bei der Frage, wo die Kinder wohnen sollen.");
        await Expect(kompass.GetByTestId("mail-who-answers")).ToContainTextAsync("Ihre Anfrage ist bei „Beratungsstelle Lotsenhaus“ angekommen.");
        await Expect(kompass.GetByTestId("mail-who-answers")).ToContainTextAsync("Die nächste freie Berater:in übernimmt sie und antwortet Ihnen hier.");
        await ScreenshotAsync(kompass, "client-waiting");

        // Anna sees the queue's length in her inbox, and the request in the queue.
        var anna = await OpenSignedInAsync(server, DemoData.AnnaEmail, "anna");
        await anna.GotoAsync("/posteingang");
        await Expect(anna.GetByTestId("queue-length")).ToHaveTextAsync("1");
        await Expect(ListItem(anna, subject)).ToHaveCountAsync(0);
        await anna.GetByTestId("queue-link").ClickAsync();
        await Expect(anna).ToHaveURLAsync(new Regex("/posteingang/warteschlange$"));
        await Expect(anna.GetByRole(AriaRole.Heading, new() { Name = "Warteschlange der Beratungsstelle", Level = 1 })).ToBeVisibleAsync();
        var queued = ListItem(anna, subject);
        await Expect(queued).ToContainTextAsync("Kompass");
        await ScreenshotAsync(anna, "queue");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(anna));

        // Before taking it she may read it and sees why it waits; she cannot answer yet.
        await queued.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(anna).ToHaveURLAsync(CounsellorThreadUrl());
        await Expect(anna.GetByTestId("mail-why")).ToContainTextAsync("Wartet in der Warteschlange");
        await Expect(anna.GetByTestId("mail-why")).ToContainTextAsync(BenName);
        await Expect(anna.GetByLabel("Ihre Antwort")).ToHaveCountAsync(0);
        await Expect(anna.GetByRole(AriaRole.Button, new() { Name = "Anfrage übernehmen" })).ToBeVisibleAsync();
        await ScreenshotAsync(anna, "queued-thread");

        await anna.GetByRole(AriaRole.Link, new() { Name = "← Warteschlange" }).ClickAsync();
        await ListItem(anna, subject).GetByRole(AriaRole.Button, new() { Name = "Übernehmen" }).ClickAsync();
        await Expect(anna).ToHaveURLAsync(CounsellorThreadUrl());
        await Expect(anna.GetByTestId("mail-notice")).ToHaveTextAsync("Sie haben die Anfrage übernommen. Sie können jetzt antworten.");
        await Expect(anna.GetByTestId("mail-why")).ToContainTextAsync("Aus der Warteschlange");
        await ReplyAsync(anna, "Guten Tag, ich habe Ihre Anfrage übernommen, weil Herr Schulz gerade nicht da ist.");
        await ScreenshotAsync(anna, "taken-thread");

        // Now it is in Anna's inbox and the queue is empty.
        await anna.GotoAsync("/posteingang");
        await Expect(ListItem(anna, subject)).ToBeVisibleAsync();
        await Expect(anna.GetByTestId("queue-length")).ToHaveTextAsync("0");
        await anna.GotoAsync("/posteingang/warteschlange");
        await Expect(anna.GetByTestId("mail-list-item")).ToHaveCountAsync(0);
        await Expect(anna.GetByText("Die Warteschlange ist leer.")).ToBeVisibleAsync();

        // The client is told who answers now, and reads the answer.
        await kompass.ReloadAsync();
        await Expect(kompass.GetByTestId("mail-who-answers")).ToHaveTextAsync($"Es antwortet Ihnen {AnnaName}.");
        await Expect(AuthorOf(kompass, "ich habe Ihre Anfrage übernommen")).ToHaveTextAsync(AnnaName);
    }

    [Fact]
    public async Task Mail_OnPhone_RequestFormAndThreadFitTheScreenAndSend()
    {
        var server = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client", Phone);
        await OpenRequestFormAsync(client, AnnaName);
        Assert.False(await ScrollsHorizontallyAsync(client), "The request form scrolls sideways on a phone.");
        var send = client.GetByRole(AriaRole.Button, new() { Name = "Anfrage senden" });
        await send.ScrollIntoViewIfNeededAsync();
        await Expect(send).ToBeInViewportAsync();
        await ExpectWithinWidthAsync(client, send);
        await ScreenshotAsync(client, "request-form");

        const string longLine = "Ich schreibe vom Handy, der Link zu meinem Problem: https://example.org/ein/sehr/langer/pfad/der/nicht/ueber/den/rand/gehen/darf?und=noch&mehr=parameter";
        await SendRequestAsync(client, "Ein sehr langer Betreff, der auf einem Telefon sicher umbrechen muss, ohne dass man seitlich scrollt", longLine);
        await Expect(client.GetByTestId("mail-who-answers")).ToHaveTextAsync($"Es antwortet Ihnen {AnnaName}.");
        Assert.False(await ScrollsHorizontallyAsync(client), "The mail thread scrolls sideways on a phone.");
        var reply = client.GetByRole(AriaRole.Button, new() { Name = "Senden", Exact = true });
        await reply.ScrollIntoViewIfNeededAsync();
        await Expect(reply).ToBeInViewportAsync();
        await ExpectWithinWidthAsync(client, reply);
        await ExpectWithinWidthAsync(client, client.GetByLabel("Ihre Antwort"));

        await ReplyAsync(client, "Und noch ein Nachtrag vom Telefon.");
        await Expect(client.GetByTestId("mail-message")).ToHaveCountAsync(2);
        Assert.False(await ScrollsHorizontallyAsync(client), "The mail thread scrolls sideways on a phone after a follow-up.");
        await ScreenshotAsync(client, "thread");

        await client.GotoAsync("/anfragen");
        await Expect(client.GetByTestId("mail-list-item")).ToHaveCountAsync(2);
        Assert.False(await ScrollsHorizontallyAsync(client), "The list of requests scrolls sideways on a phone.");
    }

    /// <summary>From the counsellor list to the profile, then "Anfrage schreiben", as a client goes there.</summary>
    private static async Task OpenRequestFormAsync(IPage client, string counsellorName)
    {
        await OpenCounsellorProfileAsync(client, counsellorName);
        await client.GetByTestId("write-mail").ClickAsync();
        await Expect(client).ToHaveURLAsync(new Regex(@"/anfragen/neu\?berater=[0-9a-f-]{36}$"));
        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = $"Anfrage an {counsellorName}", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task SendRequestAsync(IPage client, string subject, string body)
    {
        await client.GetByLabel("Betreff", new() { Exact = true }).FillAsync(subject);
        await client.GetByLabel("Ihre Nachricht", new() { Exact = true }).FillAsync(body);
        await client.GetByRole(AriaRole.Button, new() { Name = "Anfrage senden" }).ClickAsync();
        await Expect(client).ToHaveURLAsync(ClientThreadUrl());
        await Expect(client.GetByTestId("mail-notice")).ToContainTextAsync(Arrived);
        // The client learns when to expect an answer: the agency's response target (48 h in the demo).
        await Expect(client.GetByTestId("mail-expect")).ToContainTextAsync("innerhalb von 48 Stunden");
        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = subject, Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task ReplyAsync(IPage page, string text)
    {
        await page.GetByLabel("Ihre Antwort", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Senden", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("mail-notice")).ToHaveTextAsync(Sent);
        await Expect(MessageIn(page, text)).ToBeVisibleAsync();
    }

    /// <summary>The element is not cut off at either side of the screen.</summary>
    private static async Task ExpectWithinWidthAsync(IPage page, ILocator element, [CallerArgumentExpression(nameof(element))] string what = "")
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException(what + " has no box.");
        var width = page.ViewportSize!.Width;
        Assert.True(box.X >= 0 && box.X + box.Width <= width, $"{what} reaches from {box.X} to {box.X + box.Width}, outside the screen's {width} px.");
    }

    private static ILocator ListItem(IPage page, string subject) =>
        page.GetByTestId("mail-list-item").Filter(new() { Has = page.Locator(".mail-list__subject", new() { HasTextString = subject }) });

    private static ILocator MessageIn(IPage page, string text) =>
        page.GetByTestId("mail-message").Filter(new() { HasTextString = text });

    /// <summary>Who wrote the message holding <paramref name="text"/>, as the page names them ("Sie" for oneself).</summary>
    private static ILocator AuthorOf(IPage page, string text) => MessageIn(page, text).Locator(".mail-message__meta strong");

    [GeneratedRegex("/anfragen/[0-9a-f-]{36}$")]
    private static partial Regex ClientThreadUrl();

    [GeneratedRegex("/posteingang/[0-9a-f-]{36}$")]
    private static partial Regex CounsellorThreadUrl();
}
