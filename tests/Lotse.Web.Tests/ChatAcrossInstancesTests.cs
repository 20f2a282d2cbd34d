using System.Diagnostics;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Infrastructure;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Lotse.Web.Tests;

/// <summary>
/// Several app instances (issue 5, "Scale"): instance A (<see cref="WebTest.App"/>) and instance B on the same database
/// and the same Redis. Clients are on A, the counsellor on B; messages, typing, read receipts and presence cross over
/// through the Redis backplane and the shared presence. Each test has channels and keys of its own in the shared server.
/// </summary>
public abstract partial class ChatAcrossInstancesTests(DatabaseKind kind, RedisServer redis) : ChatTestBase(kind)
{
    private readonly RedisInstances _instances = new(redis);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _instances.StopAllAsync();
    }

    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => _instances.First(databaseKind);

    // ---- Messages, typing, read receipts ----

    [Fact]
    public async Task Messages_ClientOnAAndCounsellorOnB_EachHearsTheOtherLiveThroughItsOwnInstance()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Mond);
        var b = StartInstanceB();
        var counsellor = await ConnectAsync(Anna, b);
        var client = await ConnectAsync(Mond);

        var conversationId = await client.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        // The counsellor's list on B hears of the new conversation that was opened on A.
        var started = await counsellor.WaitForAsync(ChatBroadcast.InboxEvent);
        Assert.Equal(conversationId, started.GetGuid());
        await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);

        var question = await SendAsync(client, conversationId, "Guten Tag, ich schreibe über A.");
        var heardOnB = await counsellor.WaitForMessageAsync("Guten Tag, ich schreibe über A.");
        var answer = await SendAsync(counsellor, conversationId, "Hallo, ich antworte über B.");
        var heardOnA = await client.WaitForMessageAsync("Hallo, ich antworte über B.");

        Assert.Equal(question.Id, heardOnB.GetProperty("id").GetInt64());
        Assert.Equal(ChatSides.Client, heardOnB.GetProperty("sender").GetString());
        Assert.Equal(answer.Id, heardOnA.GetProperty("id").GetInt64());
        Assert.Equal(ChatSides.Counsellor, heardOnA.GetProperty("sender").GetString());
        Assert.Equal(question.Id, answer.PreviousId);
        // Both sides hear the same conversation in the same order, each through its own instance.
        await client.WaitForMessageAsync("Guten Tag, ich schreibe über A.");
        await counsellor.WaitForMessageAsync("Hallo, ich antworte über B.");
        Assert.Equal(["Guten Tag, ich schreibe über A.", "Hallo, ich antworte über B."], client.HeardBodies());
        Assert.Equal(["Guten Tag, ich schreibe über A.", "Hallo, ich antworte über B."], counsellor.HeardBodies());
    }

    [Fact]
    public async Task TypingAndReadReceipts_ClientOnAAndCounsellorOnB_ReachTheOtherSide()
    {
        var (counsellor, client, conversationId, _) = await ChattingAcrossAsync();

        await client.Hub.InvokeAsync("Typing", conversationId);
        var typingOnB = await counsellor.WaitForAsync(ChatBroadcast.TypingEvent);
        await counsellor.Hub.InvokeAsync("Typing", conversationId);
        var typingOnA = await client.WaitForAsync(ChatBroadcast.TypingEvent);

        Assert.Equal(ChatSides.Client, typingOnB.GetProperty("side").GetString());
        Assert.Equal(ChatSides.Counsellor, typingOnA.GetProperty("side").GetString());

        var question = await SendAsync(client, conversationId, "Lesen Sie mit?");
        await counsellor.WaitForMessageAsync("Lesen Sie mit?");
        await counsellor.Hub.InvokeAsync<long>("MarkRead", conversationId, question.Id);
        var receiptOnA = await client.WaitForAsync(ChatBroadcast.ReadEvent, r => r.GetProperty("reader").GetString() == ChatSides.Counsellor);
        Assert.Equal(question.Id, receiptOnA.GetProperty("upToId").GetInt64());

        var answer = await SendAsync(counsellor, conversationId, "Ja, ich lese mit.");
        await client.WaitForMessageAsync("Ja, ich lese mit.");
        await client.Hub.InvokeAsync<long>("MarkRead", conversationId, answer.Id);
        var receiptOnB = await counsellor.WaitForAsync(ChatBroadcast.ReadEvent, r => r.GetProperty("reader").GetString() == ChatSides.Client);
        Assert.Equal(answer.Id, receiptOnB.GetProperty("upToId").GetInt64());

        // Typing goes to the other side only, across instances too.
        Assert.Single(client.Heard(ChatBroadcast.TypingEvent));
        Assert.Single(counsellor.Heard(ChatBroadcast.TypingEvent));
    }

    // ---- Presence ----

    [Fact]
    public async Task Presence_CounsellorConnectedOnlyToB_ClientOnASeesOnlineAndOfflineAfterTheGraceTimeOnB()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Wolke);
        var client = await LoginAsync(Wolke);
        var (watcher, changed) = await WatchOnAAsync(anna.Id);
        await using var _ = watcher;
        var b = StartInstanceB();
        Assert.IsType<RedisChatPresence>(App.Services.GetRequiredService<IChatPresence>());
        Assert.Equal("false", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}")));

        var counsellor = await ConnectAsync(Anna, b);

        Assert.True(await changed.WaitAsync(Patience), "The client page on A was not told that Anna came online on B.");
        Assert.Equal("true", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}?handler=Availability")));

        await counsellor.Hub.StopAsync();
        // The grace time runs on B, where the connection was: A's clock moving on changes nothing.
        App.Clock.Advance(ChatPresence.Grace * 2);
        Assert.Equal("true", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}?handler=Availability")));

        await AdvanceUntilToldAsync(b.Clock, changed);
        Assert.Equal("false", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}?handler=Availability")));
        Assert.Equal("false", ShownOnline(await client.GetStringAsync($"/berater/{anna.Id}")));
    }

    [Fact]
    public async Task Presence_CounsellorsNextPageConnectsToAWithinGrace_NoOfflineBlinkAndOfflineAfterTheLast()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var b = StartInstanceB();
        var onB = await ConnectAsync(Anna, b);
        var (watcher, changed) = await WatchOnAAsync(anna.Id);
        await using var _ = watcher;
        var http = Browser();

        // The counsellor's next page lands on the other instance: B's connection closes, one on A opens.
        await onB.Hub.StopAsync();
        var onA = await ConnectAsync(Anna);
        var bInstance = b.Services.GetRequiredService<RedisChatPresence>().InstanceId;
        await AdvanceUntilAsync(b.Clock, async () => !(await PresenceFieldsAsync(anna.Id)).Contains(bInstance));
        Assert.Equal("true", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));

        await onA.Hub.StopAsync();
        await AdvanceUntilToldAsync(App.Clock, changed);
        Assert.Equal("false", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));
        // Exactly one change was told: going offline at the end, never when B's grace time ran out.
        Assert.Equal(0, changed.CurrentCount);
    }

    [Fact]
    public async Task Presence_InstanceDiesWithoutGoodbye_ClientToldOfflineOnceItsLeaseRunsOut()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var http = Browser();
        var (watcher, changed) = await WatchOnAAsync(anna.Id);
        await using var _ = watcher;
        // The presence of an instance that will die (its heartbeat stops; no goodbye), and of a live one whose
        // heartbeat sweeps up after it; both short-lived, on A's Redis connection and hub, with short leases.
        var dying = ShortLease(TimeSpan.FromSeconds(1));
        var sweeper = ShortLease(TimeSpan.FromSeconds(2));
        try
        {
            await dying.StartAsync(CancellationToken.None);
            Assert.True(await dying.ConnectedAsync(anna.Id, CancellationToken.None));
            Assert.Equal("true", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));

            await dying.DisposeAsync();
            await sweeper.StartAsync(CancellationToken.None);

            // The sweep runs on the sweeper's real-time heartbeat (every 0.67 s), usually within two seconds; under the
            // whole suite's load its timer and Redis round trips can lag far behind, so this wait allows more than the
            // usual patience, and a failure shows what Redis held then.
            Assert.True(await changed.WaitAsync(Patience * 3), $"The client page was not told that Anna's instance died. Redis: {await PresenceStateAsync(anna.Id)}");
            Assert.Equal("false", ShownOnline(await http.GetStringAsync($"/berater/{anna.Id}")));
            Assert.DoesNotContain(dying.InstanceId, await PresenceFieldsAsync(anna.Id));
        }
        finally
        {
            await sweeper.StopAsync(CancellationToken.None);
            await sweeper.DisposeAsync();
            await dying.DisposeAsync();
        }
    }

    // ---- Restart ----

    [Fact]
    public async Task Restart_ClientWritesWhileBRestarts_CounsellorFetchesItFromNewBAndTheChatGoesOnLive()
    {
        var (counsellor, client, conversationId, _) = await ChattingAcrossAsync();
        await SendAsync(client, conversationId, "Vor dem Neustart");
        var lastSeen = (await counsellor.WaitForMessageAsync("Vor dem Neustart")).GetProperty("id").GetInt64();

        // B goes down with the counsellor's connection; the client on A writes meanwhile.
        await _instances.StopAsync(_instances.Started[0]);
        var whileDown = await SendAsync(client, conversationId, "Während B neu startet");

        var newB = StartInstanceB();
        var counsellorBack = await ReconnectAsync(Anna, newB);
        var joined = await counsellorBack.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var missed = await counsellorBack.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, lastSeen);

        Assert.Equal(whileDown.Id, joined.LastMessageId);
        Assert.Equal(["Während B neu startet"], missed.Messages.Select(m => m.Body));
        Assert.Equal(whileDown.Id, missed.Messages[0].Id);
        Assert.DoesNotContain("Während B neu startet", counsellor.HeardBodies());

        await SendAsync(counsellorBack, conversationId, "Wieder da, über das neue B.");
        await client.WaitForMessageAsync("Wieder da, über das neue B.");
        await SendAsync(client, conversationId, "Schön, angekommen.");
        await counsellorBack.WaitForMessageAsync("Schön, angekommen.");
    }

    /// <summary>The counsellor on B, the client on A, one open conversation both have joined.</summary>
    private async Task<(ChatPeer Counsellor, ChatPeer Client, Guid ConversationId, Counsellor Anna)> ChattingAcrossAsync()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Mond);
        var b = StartInstanceB();
        var client = await ConnectAsync(Mond);
        var conversationId = await client.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var counsellor = await ConnectAsync(Anna, b);
        await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        return (counsellor, client, conversationId, anna);
    }

    /// <summary>Instance B: on A's database and Redis, started now.</summary>
    private LotseAppFactory StartInstanceB() => _instances.StartAnother(App);

    private RedisChatPresence ShortLease(TimeSpan lifetime) =>
        ActivatorUtilities.CreateInstance<RedisChatPresence>(
            App.Services,
            Options.Create(new RedisSettings { Configuration = redis.Configuration, ChannelPrefix = _instances.Prefix, PresenceLifetime = lifetime }));

    /// <summary>The instances that hold a presence field for the counsellor in Redis.</summary>
    private async Task<string[]> PresenceFieldsAsync(Guid counsellorId)
    {
        var connection = App.Services.GetRequiredService<RedisConnection>();
        var db = await connection.DatabaseAsync();
        return (await db.HashKeysAsync($"{connection.KeyPrefix}:presence:counsellor:{counsellorId:N}")).Select(f => f.ToString()).ToArray();
    }

    /// <summary>The counsellor's presence fields and every instance's lease against the Redis server's clock, for a failure message.</summary>
    private async Task<string> PresenceStateAsync(Guid counsellorId)
    {
        var connection = App.Services.GetRequiredService<RedisConnection>();
        var db = await connection.DatabaseAsync();
        var time = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
        var now = (long)time[0] * 1000 + (long)time[1] / 1000;
        var leases = await db.SortedSetRangeByScoreWithScoresAsync($"{connection.KeyPrefix}:presence:instances");
        return $"fields [{string.Join(", ", await PresenceFieldsAsync(counsellorId))}], leases [{string.Join(", ", leases.Select(l => $"{l.Element} ends in {l.Score - now:0} ms"))}]";
    }

    /// <summary>A client page on instance A watching one counsellor; the semaphore is released once per change told.</summary>
    private async Task<(HubConnection Watcher, SemaphoreSlim Changed)> WatchOnAAsync(Guid counsellorId)
    {
        var watcher = HubConnection(App, AvailabilityHub.Path, cookies: null);
        var changed = new SemaphoreSlim(0);
        watcher.On<Guid>(AvailabilityHub.ChangedEvent, _ => changed.Release());
        await watcher.StartAsync();
        await watcher.InvokeAsync("Watch", counsellorId);
        return (watcher, changed);
    }

    /// <summary>
    /// The instance notices a closed connection a moment after the client stopped it, and only then starts the grace time
    /// on its own clock; so that clock moves on by the grace time until the watching page hears the change.
    /// </summary>
    private static async Task AdvanceUntilToldAsync(FakeTimeProvider clock, SemaphoreSlim changed)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            clock.Advance(ChatPresence.Grace);
            if (await changed.WaitAsync(TimeSpan.FromMilliseconds(200)))
            {
                return;
            }
        }

        Assert.Fail("The client page was not told that the counsellor went offline.");
    }

    /// <summary>Moves the clock on by the grace time, again and again, until the condition holds.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            clock.Advance(ChatPresence.Grace);
            if (await condition())
            {
                return;
            }

            // Nothing to wait on but Redis itself: look again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Fail("The condition did not come true in time.");
    }

    private static string ShownOnline(string html)
    {
        var match = ShownOnlinePattern().Match(html);
        Assert.True(match.Success, "No data-shown-online in the page.");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("data-shown-online=\"(true|false)\"")]
    private static partial Regex ShownOnlinePattern();
}

[Collection(SharedRedis.Name)]
public sealed class ChatAcrossInstancesTestsOnSqlite(RedisServer redis) : ChatAcrossInstancesTests(DatabaseKind.Sqlite, redis);

[Collection(SharedRedis.Name)]
public sealed class ChatAcrossInstancesTestsOnPostgres(RedisServer redis) : ChatAcrossInstancesTests(DatabaseKind.Postgres, redis);
