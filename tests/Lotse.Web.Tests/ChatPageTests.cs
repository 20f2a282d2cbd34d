using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>
/// The chat pages over HTTP (who sees what, "Chat starten", the lists, output encoding) and presence: a counsellor in
/// "Online" is shown online only while a chat connection of theirs is open, and client pages hear when that flips.
/// </summary>
public abstract partial class ChatPageTests(DatabaseKind kind) : ChatTestBase(kind)
{
    // ---- Presence ----

    [Fact]
    public async Task Presence_OnlineCounsellorConnects_ProfileShowsOnlineAndOfflineAfterDisconnect()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Wolke);
        var client = await LoginAsync(Wolke);
        var (watcher, changed) = await WatchAsync(anna.Id);
        await using var _ = watcher;

        Assert.Equal("false", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}")));

        var counsellor = await ConnectAsync(Anna);
        Assert.True(await changed.WaitAsync(Patience), "The client page was not told that Anna came online.");
        var online = await client.GetStringAsync($"/berater/{anna.Id}?handler=Availability");
        Assert.Equal("true", ShownOnline(online));
        Assert.Contains("möglich, antwortet jetzt", online, StringComparison.Ordinal);

        await counsellor.Hub.StopAsync();
        await AdvanceUntilToldAsync(changed);
        Assert.Equal("false", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}?handler=Availability")));
    }

    [Fact]
    public async Task Presence_NextPageConnectsWithinGrace_NoOfflineBlinkAndOfflineAfterTheLast()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var http = Browser();
        var first = await ConnectAsync(Anna);
        var (watcher, changed) = await WatchAsync(anna.Id);
        await using var _ = watcher;

        // The counsellor moves to the next page: one connection closes, the next one opens.
        await first.Hub.StopAsync();
        var second = await ConnectAsync(Anna);
        App.Clock.Advance(ChatPresence.Grace * 2);
        Assert.Equal("true", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));

        await second.Hub.StopAsync();
        await AdvanceUntilToldAsync(changed);
        Assert.Equal("false", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));
        // Exactly one change was told: going offline at the end, never in between.
        Assert.Equal(0, changed.CurrentCount);
    }

    [Fact]
    public async Task Presence_NotOnlineModeWithConnection_StillShownOfflineButChatPossible()
    {
        var anna = await AddCounsellorAsync(Anna, OpenNotOnline);
        await ConnectAsync(Anna);

        var html = await Browser().GetStringAsync($"/berater/{anna.Id}");

        Assert.Equal("false", ShownOnline(html));
        Assert.Contains("data-can-chat=\"true\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientChatPage_CounsellorConnectedOrNot_ShowsOnlineOrWaitingNote()
    {
        var (counsellor, _, conversationId, anna) = await ChattingAsync(OpenOnline);
        var http = await LoginAsync(Mond);
        var (watcher, changed) = await WatchAsync(anna.Id);
        await using var _ = watcher;

        var online = await http.GetStringAsync($"/chat/{conversationId}?handler=Status");
        Assert.Contains("data-shown-online=\"true\"", online, StringComparison.Ordinal);

        await counsellor.Hub.StopAsync();
        await AdvanceUntilToldAsync(changed);
        var offline = await http.GetStringAsync($"/chat/{conversationId}?handler=Status");
        Assert.Contains("data-shown-online=\"false\"", offline, StringComparison.Ordinal);
        Assert.Contains("anna ist gerade nicht online. Ihre Nachrichten warten, bis anna antwortet.", offline, StringComparison.Ordinal);
        Assert.Contains("data-can-write=\"true\"", offline, StringComparison.Ordinal);
    }

    // ---- Starting from the profile page ----

    [Fact]
    public async Task Profile_ClientMayChat_ChatStartenOpensTheSameConversationEachTime()
    {
        var anna = await AddCounsellorAsync(Anna, OpenNotOnline);
        await AddClientAsync(Wolke);
        var http = await LoginAsync(Wolke);
        var profile = $"/berater/{anna.Id}";
        Assert.Contains("data-testid=\"start-chat\"", await http.GetStringAsync(profile), StringComparison.Ordinal);

        var first = await PostFormAsync(http, $"/chat/neu/{anna.Id}", new Dictionary<string, string>(), formPage: profile);
        var second = await PostFormAsync(http, $"/chat/neu/{anna.Id}", new Dictionary<string, string>(), formPage: profile);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Matches(ChatUrl(), first.Headers.Location!.OriginalString);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var page = await http.GetStringAsync(first.Headers.Location);
        Assert.Contains("Chat mit anna", page, StringComparison.Ordinal);
        Assert.Contains("data-can-write=\"true\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_NotReachableOrAnonymous_NoChatStartenForm()
    {
        var clara = await AddCounsellorAsync("clara@test.lotse", new AccountStatus(false, ChatMode.NotReachable, MailMode.Unlimited, 10));
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Wolke);
        var http = await LoginAsync(Wolke);

        Assert.DoesNotContain("start-chat", await http.GetStringAsync($"/berater/{clara.Id}"), StringComparison.Ordinal);
        var anonymous = await Browser().GetStringAsync($"/berater/{anna.Id}");
        Assert.DoesNotContain("data-testid=\"start-chat\"", anonymous, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"start-chat-login\"", anonymous, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartPage_ToggleOnAndNotRegular_ExplainsWhyAndWhatElse()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        await AddClientAsync(Wolke);
        var http = await LoginAsync(Wolke);

        var response = await PostFormAsync(http, $"/chat/neu/{anna.Id}", new Dictionary<string, string>(), formPage: $"/berater/{anna.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("anna nimmt derzeit nur Stammklient:innen an. Ein Chat ist deshalb nicht möglich.", html, StringComparison.Ordinal);
        Assert.Contains("Bitte wenden Sie sich an eine andere Berater:in.", html, StringComparison.Ordinal);
    }

    // ---- Who sees which page ----

    [Fact]
    public async Task ChatPages_NotYourConversation_404AndWrongRole403()
    {
        var (_, _, conversationId, _) = await ChattingAsync();
        await AddClientAsync(Wolke);
        await AddCounsellorAsync(Ben, OpenOnline);
        var wolke = await LoginAsync(Wolke);
        var ben = await LoginAsync(Ben);
        var anna = await LoginAsync(Anna);

        Assert.Equal(HttpStatusCode.NotFound, (await wolke.GetAsync($"/chat/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wolke.GetAsync($"/chat/{conversationId}?handler=Status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync($"/chats/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync($"/chat/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wolke.GetAsync("/chats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"/chats/{conversationId}")).StatusCode);
        var close = await PostFormAsync(ben, $"/chats/{conversationId}?handler=Close", new Dictionary<string, string>(), formPage: "/chats");
        Assert.Equal(HttpStatusCode.NotFound, close.StatusCode);
    }

    [Fact]
    public async Task ChatPage_MessageWithMarkupAndLink_ShownAsTextNeverAsHtml()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "<script>alert('x')</script> <a href=\"https://böse.example\">hier</a>");
        var http = await LoginAsync(Anna);

        var html = await http.GetStringAsync($"/chats/{conversationId}");

        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;a href=&quot;https://böse.example&quot;&gt;hier&lt;/a&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://böse.example\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CounsellorClosesFromPage_ClientHearsAndPageShowsClosed()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        var anna = await LoginAsync(Anna);
        Assert.Contains("Chat beenden", await anna.GetStringAsync($"/chats/{conversationId}"), StringComparison.Ordinal);

        var response = await PostFormAsync(anna, $"/chats/{conversationId}?handler=Close", new Dictionary<string, string>(), formPage: $"/chats/{conversationId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await client.WaitForAsync(ChatBroadcast.ClosedEvent);
        var page = await anna.GetStringAsync($"/chats/{conversationId}");
        Assert.Contains("Sie haben diesen Chat beendet.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Chat beenden</button>", page, StringComparison.Ordinal);
    }

    // ---- The counsellor's list ----

    [Fact]
    public async Task Inbox_UnreadFirstThenNewest_ClosedMarked()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var ids = new Dictionary<string, Guid>();
        foreach (var nickname in new[] { "Alt", "Ungelesen", "Neu", "Beendet" })
        {
            await AddClientAsync(nickname);
            var peer = await ConnectAsync(nickname);
            ids[nickname] = await peer.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
            await SendAsync(peer, ids[nickname], $"Hallo von {nickname}");
            App.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var counsellor = await ConnectAsync(Anna);
        foreach (var read in new[] { "Alt", "Neu", "Beendet" })
        {
            var history = await counsellor.Hub.InvokeAsync<ChatMessagePage>("History", ids[read], null, 10);
            await counsellor.Hub.InvokeAsync<long>("MarkRead", ids[read], history.Messages[^1].Id);
        }

        await counsellor.Hub.InvokeAsync("Close", ids["Beendet"]);
        var http = await LoginAsync(Anna);

        var html = await http.GetStringAsync("/chats");

        var order = ListOrder().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal([ids["Ungelesen"], ids["Beendet"], ids["Neu"], ids["Alt"]], order);
        Assert.Single(Regex.Matches(html, "data-testid=\"chat-list-unread\""));
        Assert.Single(Regex.Matches(html, "data-testid=\"chat-list-closed\""));
        Assert.Contains("Hallo von Ungelesen", html, StringComparison.Ordinal);
    }

    /// <summary>A client page's live channel for one counsellor; the semaphore is released once per change told.</summary>
    private async Task<(HubConnection Watcher, SemaphoreSlim Changed)> WatchAsync(Guid counsellorId)
    {
        var watcher = HubConnection(App, AvailabilityHub.Path, cookies: null);
        var changed = new SemaphoreSlim(0);
        watcher.On<Guid>(AvailabilityHub.ChangedEvent, _ => changed.Release());
        await watcher.StartAsync();
        await watcher.InvokeAsync("Watch", counsellorId);
        return (watcher, changed);
    }

    /// <summary>
    /// The server notices a closed connection a moment after the client stopped it, and only then starts the grace time
    /// on the app's clock; so the clock moves on by the grace time until the watching page hears the change.
    /// </summary>
    private async Task AdvanceUntilToldAsync(SemaphoreSlim changed)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            App.Clock.Advance(ChatPresence.Grace);
            if (await changed.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                return;
            }
        }

        Assert.Fail("The client page was not told that the counsellor went offline.");
    }

    private static string ShownOnline(string html)
    {
        var match = Regex.Match(html, "data-shown-online=\"(true|false)\"");
        Assert.True(match.Success, "No data-shown-online in the page.");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("^/chat/[0-9a-f-]{36}$")]
    private static partial Regex ChatUrl();

    [GeneratedRegex("data-testid=\"chat-list-item\" data-conversation=\"([0-9a-f-]{36})\"")]
    private static partial Regex ListOrder();
}

public sealed class ChatPageTestsOnSqlite() : ChatPageTests(DatabaseKind.Sqlite);

public sealed class ChatPageTestsOnPostgres() : ChatPageTests(DatabaseKind.Postgres);
