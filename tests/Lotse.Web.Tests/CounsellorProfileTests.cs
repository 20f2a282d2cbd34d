using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>What advice seekers see of a counsellor, through HTTP and the live hub.</summary>
public abstract class CounsellorProfileTests(DatabaseKind kind) : ChatTestBase(kind)
{
    [Fact]
    public async Task Profile_ToggleOff_AnyClientCanBookChatAndMail()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        await AddClientAsync("Wolke7");
        var http = await LoginAsync("Wolke7");

        // "Online" is shown only while the counsellor has Lotse open (a chat connection), not from the setting alone.
        AssertFlags(await http.GetStringAsync($"/berater/{anna.Id}"), canBook: true, canChat: true, shownOnline: false, canMail: true);
        await ConnectAsync("anna@test.lotse");

        var html = await http.GetStringAsync($"/berater/{anna.Id}");

        AssertFlags(html, canBook: true, canChat: true, shownOnline: true, canMail: true);
        Assert.Contains("Online", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ToggleOnForOtherClient_NothingButTheNote()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        await AddClientAsync("Wolke7");
        var http = await LoginAsync("Wolke7");

        var html = await http.GetStringAsync($"/berater/{anna.Id}");

        AssertFlags(html, canBook: false, canChat: false, shownOnline: false, canMail: false);
        Assert.Contains("nimmt derzeit nur Stammklient:innen an", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ToggleOnForRegularClient_ChatAndMailButNoBooking()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(true, ChatMode.NotOnline, MailMode.NoNewRequests, 10));
        var mond = await AddClientAsync("Mond");
        await RelateAsync(anna, mond, regular: true);
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/berater/{anna.Id}");

        AssertFlags(html, canBook: false, canChat: true, shownOnline: false, canMail: true);
        Assert.DoesNotContain("nimmt derzeit nur Stammklient:innen an", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_NotReachable_ChatNotOfferedButMailAndBooking()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(false, ChatMode.NotReachable, MailMode.ByCapacity, 3));

        var html = await Browser().GetStringAsync($"/berater/{anna.Id}");

        AssertFlags(html, canBook: true, canChat: false, shownOnline: false, canMail: true);
    }

    [Fact]
    public async Task Profile_DuringAbsence_NotReachableWithNoteAndReachableAfterwards()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        await AddAbsenceAsync(anna, Now.AddHours(1), Now.AddHours(3), "Bin auf Fortbildung");
        await ConnectAsync("anna@test.lotse");
        var http = Browser();

        AssertFlags(await http.GetStringAsync($"/berater/{anna.Id}"), canBook: true, canChat: true, shownOnline: true, canMail: true);

        App.Clock.Advance(TimeSpan.FromHours(1));
        var during = await http.GetStringAsync($"/berater/{anna.Id}?handler=Availability");
        AssertFlags(during, canBook: true, canChat: false, shownOnline: false, canMail: true);
        Assert.Contains("Bin auf Fortbildung", during, StringComparison.Ordinal);

        App.Clock.Advance(TimeSpan.FromHours(2));
        var after = await http.GetStringAsync($"/berater/{anna.Id}?handler=Availability");
        AssertFlags(after, canBook: true, canChat: true, shownOnline: true, canMail: true);
        Assert.DoesNotContain("Bin auf Fortbildung", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_UnknownCounsellor_Returns404GermanPage()
    {
        var response = await Browser().GetAsync($"/berater/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Seite nicht gefunden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_CounsellorFlipsToggle_WatchingClientIsToldAtOnce()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        await using var watcher = await ConnectWatcherAsync();
        var changed = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On<Guid>("availabilityChanged", id => changed.TrySetResult(id));
        await watcher.InvokeAsync("Watch", anna.Id);
        var counsellor = await LoginAsync("anna@test.lotse");

        await PostFormAsync(counsellor, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/", headers: new Dictionary<string, string> { ["X-Requested-With"] = "fetch" });

        Assert.Equal(anna.Id, await changed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Hub_OtherCounsellorChanges_WatcherOfAnnaHearsNothing()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var benCounsellor = await AddCounsellorAsync("ben@test.lotse");
        await using var watcher = await ConnectWatcherAsync();
        var heard = new List<Guid>();
        watcher.On<Guid>("availabilityChanged", id => { lock (heard) { heard.Add(id); } });
        await watcher.InvokeAsync("Watch", anna.Id);
        // A second watcher of Ben proves that Ben's change was sent before we check Anna's watcher.
        var bensChange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var benWatcher = await ConnectWatcherAsync();
        benWatcher.On<Guid>("availabilityChanged", _ => bensChange.TrySetResult());
        await benWatcher.InvokeAsync("Watch", benCounsellor.Id);

        var ben = await LoginAsync("ben@test.lotse");
        await PostFormAsync(ben, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "true",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/", headers: new Dictionary<string, string> { ["X-Requested-With"] = "fetch" });
        await bensChange.Task.WaitAsync(TimeSpan.FromSeconds(5));

        lock (heard)
        {
            Assert.Empty(heard);
        }
    }

    [Fact]
    public async Task Hub_WatchUnknownCounsellor_FailsWithGermanMessage()
    {
        await using var watcher = await ConnectWatcherAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => watcher.InvokeAsync("Watch", Guid.NewGuid()));

        Assert.Contains("Diese Berater:in gibt es nicht.", error.Message, StringComparison.Ordinal);
    }

    private async Task<HubConnection> ConnectWatcherAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(App.Server.BaseAddress, "/hubs/verfuegbarkeit"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => App.Server.CreateHandler();
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static void AssertFlags(string html, bool canBook, bool canChat, bool shownOnline, bool canMail)
    {
        Assert.Contains($"data-can-book=\"{Lower(canBook)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-can-chat=\"{Lower(canChat)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-shown-online=\"{Lower(shownOnline)}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-can-mail=\"{Lower(canMail)}\"", html, StringComparison.Ordinal);
    }

    private static string Lower(bool value) => value ? "true" : "false";
}

public sealed class CounsellorProfileTestsOnSqlite() : CounsellorProfileTests(DatabaseKind.Sqlite);

public sealed class CounsellorProfileTestsOnPostgres() : CounsellorProfileTests(DatabaseKind.Postgres);
