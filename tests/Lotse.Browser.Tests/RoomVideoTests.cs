using System.Text.Json;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// The appointment room end to end in two browser contexts (Anna, the counsellor, and Mond, her client) with Chromium's
/// fake camera and microphone: waiting room, admission, a real peer-to-peer WebRTC call on loopback, and the chat.
/// In the browser test collection, so that it never shares the two cores with another browser test.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class RoomVideoTests(MediaBrowserFixture media) : IClassFixture<MediaBrowserFixture>, IAsyncLifetime
{
    /// <summary>Connecting, negotiating and decoding the first frames on a busy two-core machine; usually about a second.</summary>
    private const float CallTimeout = 30_000;

    /// <summary>
    /// Test-only instrumentation, injected before the page's own scripts: remembers every RTCPeerConnection the page
    /// makes, so that the test can read its getStats() (room.js keeps its connection private).
    /// </summary>
    private const string RecordPeers = """
        (() => {
            const Original = window.RTCPeerConnection;
            if (!Original) { return; }
            window.__lotsePeers = [];
            window.RTCPeerConnection = class extends Original {
                constructor(...args) { super(...args); window.__lotsePeers.push(this); }
            };
        })();
        """;

    /// <summary>Makes getUserMedia fail as when the person says no (or has no camera and microphone).</summary>
    private const string DenyMedia = """
        (() => {
            if (navigator.mediaDevices) {
                navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
            }
        })();
        """;

    /// <summary>
    /// True once the remote video has a live track, plays a picture, and the newest open connection has decoded video
    /// frames. Synchronous, as waitForFunction counts a returned promise as true: each poll starts getStats() and the
    /// next poll reads what it found.
    /// </summary>
    private const string ReceivesLiveVideo = """
        () => {
            const video = document.querySelector("[data-remote-video]");
            const stream = video && video.srcObject;
            const live = !!stream && stream.getVideoTracks().some(t => t.readyState === "live");
            const peer = (window.__lotsePeers || []).filter(p => p.connectionState !== "closed").at(-1);
            if (!live || !peer) { return false; }
            if (!peer.__statsPending) {
                peer.__statsPending = true;
                peer.getStats()
                    .then(stats => stats.forEach(r => { if (r.type === "inbound-rtp" && r.kind === "video") { peer.__framesDecoded = Math.max(peer.__framesDecoded || 0, r.framesDecoded || 0); } }))
                    .finally(() => { peer.__statsPending = false; });
            }
            return (peer.__framesDecoded || 0) > 0 && video.videoWidth > 0;
        }
        """;

    private readonly List<(IBrowserContext Context, IPage Page, string Label)> _pages = [];
    private readonly CspViolations _csp = new();
    private string _testName = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (context, page, label) in _pages)
        {
            try
            {
                if (!page.IsClosed)
                {
                    await ScreenshotAsync(page, label);
                }
            }
            catch (PlaywrightException)
            {
                // A page that cannot be photographed any more must not hide the test's own result.
            }

            await context.CloseAsync();
        }

        // The room (camera, microphone, WebRTC, hub) must work under the CSP the users get.
        _csp.AssertNone(_testName);
    }

    [Fact]
    public async Task RoomVideo_CounsellorAdmitsClient_EachSideReceivesLiveVideoAndChatFlowsBothWays()
    {
        _testName = nameof(RoomVideo_CounsellorAdmitsClient_EachSideReceivesLiveVideoAndChatFlowsBothWays);
        var room = await AddRunningAppointmentAsync(TimeSpan.Zero);
        var counsellor = await OpenSignedInAsync(DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(DemoData.RegularClientNickname, "client");

        await counsellor.GotoAsync(room);
        await Expect(Call(counsellor)).ToHaveAttributeAsync("data-self", "inRoom");
        await Expect(counsellor.GetByText("Mond ist noch nicht da.")).ToBeVisibleAsync();
        await client.GotoAsync(room);

        await Expect(client.GetByText("Bitte warten Sie, Ihre Berater:in lässt Sie gleich herein.")).ToBeVisibleAsync();
        await Expect(client.GetByText("Anna Berger ist im Raum.")).ToBeVisibleAsync();
        await Expect(client.GetByTestId("remote-video")).ToBeHiddenAsync();
        await Expect(client.GetByLabel("Nachricht", new() { Exact = true })).ToBeDisabledAsync();
        await Expect(client.GetByText("Sie können schreiben, sobald Sie beide im Raum sind.")).ToBeVisibleAsync();
        await Expect(counsellor.GetByText("Mond wartet.")).ToBeVisibleAsync();
        await ScreenshotAsync(client, "client-waiting");
        await ScreenshotAsync(counsellor, "counsellor-sees-waiting");

        await counsellor.GetByRole(AriaRole.Button, new() { Name = "Hereinlassen" }).ClickAsync();

        await Expect(Call(client)).ToHaveAttributeAsync("data-self", "inRoom");
        await Expect(Call(counsellor)).ToHaveAttributeAsync("data-other", "inRoom");
        await Expect(client.GetByText("Bitte warten Sie, Ihre Berater:in lässt Sie gleich herein.")).ToBeHiddenAsync();
        await Expect(counsellor.GetByRole(AriaRole.Button, new() { Name = "Hereinlassen" })).ToBeHiddenAsync();
        await AssertReceivesLiveVideoAsync(counsellor);
        await AssertReceivesLiveVideoAsync(client);
        await Expect(client.GetByText("Sie können schreiben, sobald Sie beide im Raum sind.")).ToBeHiddenAsync();
        Assert.Empty(await SeriousAccessibilityViolationsAsync(counsellor));
        Assert.Empty(await SeriousAccessibilityViolationsAsync(client));

        await SendChatAsync(counsellor, "Guten Tag, können Sie mich sehen und hören?");
        await SendChatAsync(client, "Ja, ich sehe Sie gut.");

        await ExpectChatAsync(client, "Guten Tag, können Sie mich sehen und hören?", mine: false);
        await ExpectChatAsync(counsellor, "Ja, ich sehe Sie gut.", mine: false);
        await ExpectChatAsync(counsellor, "Guten Tag, können Sie mich sehen und hören?", mine: true);
        await ExpectChatAsync(client, "Ja, ich sehe Sie gut.", mine: true);

        // Camera off on one side shows as "Kamera ist aus" on the other.
        await client.GetByRole(AriaRole.Button, new() { Name = "Kamera ausschalten" }).ClickAsync();
        await Expect(client.GetByRole(AriaRole.Button, new() { Name = "Kamera einschalten" })).ToBeVisibleAsync();
        await Expect(counsellor.Locator("[data-remote-camera-off]")).ToBeVisibleAsync();
        await client.GetByRole(AriaRole.Button, new() { Name = "Kamera einschalten" }).ClickAsync();
        await Expect(counsellor.Locator("[data-remote-camera-off]")).ToBeHiddenAsync();
        await ScreenshotAsync(counsellor, "counsellor-in-call");
        await ScreenshotAsync(client, "client-in-call");

        await client.GetByRole(AriaRole.Button, new() { Name = "Raum verlassen" }).ClickAsync();

        await Expect(client.GetByText("Sie haben den Raum verlassen.")).ToBeVisibleAsync();
        await Expect(counsellor.GetByText("Mond hat den Raum verlassen.")).ToBeVisibleAsync();
        await Expect(counsellor.GetByText("Noch kein Bild")).ToBeVisibleAsync();
        Assert.True(await counsellor.EvaluateAsync<bool>("() => document.querySelector('[data-remote-video]').srcObject === null"));
    }

    [Fact]
    public async Task RoomVideo_ClientWithoutCameraOrMicrophone_ChatOnlyAndStillSeesCounsellor()
    {
        _testName = nameof(RoomVideo_ClientWithoutCameraOrMicrophone_ChatOnlyAndStillSeesCounsellor);
        var room = await AddRunningAppointmentAsync(TimeSpan.FromMinutes(-1));
        var counsellor = await OpenSignedInAsync(DemoData.AnnaEmail, "counsellor");
        // On a phone, too: the room must fit without sideways scrolling.
        var client = await OpenSignedInAsync(DemoData.RegularClientNickname, "client", DenyMedia, new() { Width = 390, Height = 844 });

        await client.GotoAsync(room);
        await Expect(client.GetByText("Kamera und Mikrofon sind nicht verfügbar oder nicht freigegeben. Sie können den Chat trotzdem nutzen.")).ToBeVisibleAsync();
        await Expect(client.GetByRole(AriaRole.Button, new() { Name = "Kamera einschalten" })).ToBeDisabledAsync();
        await Expect(client.GetByRole(AriaRole.Button, new() { Name = "Mikrofon einschalten" })).ToBeDisabledAsync();
        await counsellor.GotoAsync(room);
        await counsellor.GetByRole(AriaRole.Button, new() { Name = "Hereinlassen" }).ClickAsync();

        await Expect(Call(client)).ToHaveAttributeAsync("data-self", "inRoom");
        await AssertReceivesLiveVideoAsync(client);
        await Expect(counsellor.Locator("[data-remote-camera-off]")).ToBeVisibleAsync();
        await SendChatAsync(client, "Ich habe keine Kamera, schreibe lieber.");
        await ExpectChatAsync(counsellor, "Ich habe keine Kamera, schreibe lieber.", mine: false);
        await SendChatAsync(counsellor, "Das ist in Ordnung.");
        await ExpectChatAsync(client, "Das ist in Ordnung.", mine: false);
        Assert.False(await client.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"), "The room scrolls sideways on a phone.");
        await ScreenshotAsync(client, "client-phone-in-call");
    }

    private static ILocator Call(IPage page) => page.GetByTestId("call");

    private static async Task AssertReceivesLiveVideoAsync(IPage page)
    {
        // Polled in the page until true or the timeout, which fails the test with Playwright's timeout error.
        var result = await page.WaitForFunctionAsync(ReceivesLiveVideo, null, new() { Timeout = CallTimeout, PollingInterval = 200 });
        Assert.True(await result.JsonValueAsync<bool>());
    }

    private static async Task SendChatAsync(IPage page, string text)
    {
        await page.GetByLabel("Nachricht", new() { Exact = true }).FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Senden" }).ClickAsync();
        await Expect(page.GetByLabel("Nachricht", new() { Exact = true })).ToHaveValueAsync("");
    }

    private static Task ExpectChatAsync(IPage page, string text, bool mine) =>
        Expect(page.GetByTestId("chat-log").Locator(mine ? "li.chat__message--mine" : "li:not(.chat__message--mine)").Filter(new() { HasText = text }))
            .ToBeVisibleAsync();

    /// <summary>A confirmed video appointment of Anna and Mond starting now (plus <paramref name="shift"/>); returns its room's path.</summary>
    private async Task<string> AddRunningAppointmentAsync(TimeSpan shift)
    {
        await using var scope = media.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var anna = await db.Counsellors.SingleAsync(c => c.DisplayName == "Anna Berger");
        var mond = await db.Clients.SingleAsync(c => c.Nickname == DemoData.RegularClientNickname);
        // Whole seconds: the demo data's own appointment of the two started ten minutes ago, so the times never clash.
        var start = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc) + shift;
        var appointment = new Appointment(Guid.NewGuid(), anna.Id, mond.Id, AppointmentChannel.Video, start, start.AddMinutes(50), null);
        appointment.Confirm();
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return $"/termine/{appointment.Id}/raum";
    }

    /// <summary>axe-core's serious and critical findings in the page, one readable line each (as BrowserTest does it).</summary>
    private static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        await Axe.InjectAsync(page);
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ["violations"] });
                return {
                    checkedRules: result.passes.length + result.violations.length,
                    serious: result.violations
                        .filter(v => v.impact === "serious" || v.impact === "critical")
                        .map(v => `${v.impact} ${v.id}: ${v.help} -> ${v.nodes.map(n => n.target.join(" ")).join("; ")}`),
                };
            }
            """);
        Assert.True(result.GetProperty("checkedRules").GetInt32() > 0, "axe-core checked no rule on " + page.Url);
        return result.GetProperty("serious").EnumerateArray().Select(v => v.GetString() ?? "").ToList();
    }

    private async Task<IPage> OpenSignedInAsync(string login, string label, string? initScript = null, ViewportSize? viewport = null)
    {
        var context = await media.Browser.NewContextAsync(new()
        {
            BaseURL = media.BaseUrl.ToString().TrimEnd('/'),
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
            ViewportSize = viewport ?? new() { Width = 1280, Height = 900 },
            Permissions = ["camera", "microphone"],
        });
        await _csp.WatchAsync(context);
        await context.AddInitScriptAsync(RecordPeers);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = await context.NewPageAsync();
        _pages.Add((context, page, label));
        await BrowserTest.SignInThroughFormAsync(page, login);
        return page;
    }

    private async Task ScreenshotAsync(IPage page, string step)
    {
        Directory.CreateDirectory(BrowserTest.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserTest.ScreenshotFolder, $"{_testName}-{step}.png"), FullPage = true });
    }
}
