using System.Text.Json;
using Lotse.Domain.Accounts;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Chat;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lotse.Web.Tests;

/// <summary>
/// The chat hub as the pages use it: who may start and write (per account status), storing before acknowledging,
/// idempotent retries, membership on every call, limits, catching up after a reconnect and a restart, read receipts,
/// typing and closing.
/// </summary>
public abstract class ChatTests(DatabaseKind kind) : ChatTestBase(kind)
{
    private const string NotYours = "Diesen Chat gibt es nicht, oder er ist nicht Ihrer.";

    // ---- Starting, per account status ----

    [Fact]
    public async Task Start_ToggleOnAndNotRegular_RefusedWithGermanReasonAndNothingCreated()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        await AddClientAsync(Wolke);
        var wolke = await ConnectAsync(Wolke);

        var error = await Assert.ThrowsAsync<HubException>(() => wolke.Hub.InvokeAsync<Guid>("StartConversation", anna.Id));

        Assert.Contains("anna nimmt derzeit nur Stammklient:innen an. Ein Chat ist deshalb nicht möglich.", error.Message, StringComparison.Ordinal);
        // The toggle also stops booking and mail, so the only way left is another counsellor.
        Assert.Contains("Bitte wenden Sie sich an eine andere Berater:in.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Start_ToggleOnAndRegularClient_Allowed()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        var mond = await AddClientAsync(Mond);
        await RelateAsync(anna, mond, regular: true);
        var peer = await ConnectAsync(Mond);

        var conversationId = await peer.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);

        Assert.True(await WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == conversationId && c.ClientId == mond.Id && c.CounsellorId == anna.Id)));
    }

    [Fact]
    public async Task Start_NotReachable_RefusedWithMailAndBookingAsAlternatives()
    {
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(false, ChatMode.NotReachable, MailMode.Unlimited, 10));
        await AddClientAsync(Wolke);
        var wolke = await ConnectAsync(Wolke);

        var error = await Assert.ThrowsAsync<HubException>(() => wolke.Hub.InvokeAsync<Guid>("StartConversation", anna.Id));

        Assert.Contains("anna ist für den Chat derzeit nicht erreichbar.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sie können anna eine Mailanfrage senden.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sie können einen Termin bei anna buchen.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Start_DuringAbsence_RefusedWithAbsenceNote()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddAbsenceAsync(anna, Now, Now.AddHours(3), "Bin auf Fortbildung");
        await AddClientAsync(Wolke);
        var wolke = await ConnectAsync(Wolke);

        var error = await Assert.ThrowsAsync<HubException>(() => wolke.Hub.InvokeAsync<Guid>("StartConversation", anna.Id));

        Assert.Contains("anna ist bis", error.Message, StringComparison.Ordinal);
        Assert.Contains("abwesend. Ein Chat ist bis dahin nicht möglich.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hinweis von anna: Bin auf Fortbildung", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NotOnline_AllowedAndCounsellorReadsTheMessageLaterInHistory()
    {
        var anna = await AddCounsellorAsync(Anna, OpenNotOnline);
        await AddClientAsync(Wolke);
        var wolke = await ConnectAsync(Wolke);
        var conversationId = await wolke.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await SendAsync(wolke, conversationId, "Hallo, ist jemand da?");

        // Later: the counsellor opens the chat and finds the message waiting.
        var counsellor = await ConnectAsync(Anna);
        var joined = await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var history = await counsellor.Hub.InvokeAsync<ChatMessagePage>("History", conversationId, null, 50);

        Assert.Equal(ChatSides.Counsellor, joined.Side);
        Assert.Equal(["Hallo, ist jemand da?"], history.Messages.Select(m => m.Body));
        Assert.Equal(ChatSides.Client, history.Messages[0].Sender);
        Assert.False(history.HasMore);
    }

    [Fact]
    public async Task Start_Twice_SameOpenConversationAndAfterCloseANewOne()
    {
        var (counsellor, client, conversationId, anna) = await ChattingAsync();

        Assert.Equal(conversationId, await client.Hub.InvokeAsync<Guid>("StartConversation", anna.Id));

        await counsellor.Hub.InvokeAsync("Close", conversationId);
        var next = await client.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);

        Assert.NotEqual(conversationId, next);
    }

    [Fact]
    public async Task Start_FirstContact_CounsellorMayThenMarkTheClientAsRegular()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var wolke = await AddClientAsync(Wolke);
        var peer = await ConnectAsync(Wolke);

        await peer.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);

        var relation = await WithDbAsync(db => db.CounsellingRelations.AsNoTracking().SingleAsync(r => r.CounsellorId == anna.Id && r.ClientId == wolke.Id));
        Assert.False(relation.IsRegularClient);
        Assert.Equal(Now, relation.SinceUtc);
    }

    [Fact]
    public async Task Start_ByCounsellor_RefusedInGerman()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        var ben = await AddCounsellorAsync(Ben, OpenOnline);
        var peer = await ConnectAsync(Anna);

        var error = await Assert.ThrowsAsync<HubException>(() => peer.Hub.InvokeAsync<Guid>("StartConversation", ben.Id));

        Assert.Contains("Nur ratsuchende Personen können einen Chat beginnen.", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(anna.Id, ben.Id);
    }

    // ---- Sending ----

    [Fact]
    public async Task Send_Message_StoredBeforeAcknowledgedThenHeardByBothSides()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();

        var ack = await SendAsync(client, conversationId, "Guten Tag");

        // The acknowledgement names a row that is already in the database.
        var stored = await StoredMessagesAsync(conversationId);
        var row = Assert.Single(stored);
        Assert.Equal(ack.Id, row.Id);
        Assert.Equal("Guten Tag", row.Body);
        Assert.Equal(ChatSide.Client, row.Sender);
        Assert.Equal(Now, ack.SentUtc);
        Assert.Equal(0, ack.PreviousId);
        var heard = await counsellor.WaitForMessageAsync("Guten Tag");
        Assert.Equal(ack.Id, heard.GetProperty("id").GetInt64());
        await client.WaitForMessageAsync("Guten Tag");

        var answer = await SendAsync(counsellor, conversationId, "Hallo, wie kann ich helfen?");
        Assert.Equal(ack.Id, answer.PreviousId);
        Assert.True(answer.Id > ack.Id);
        await client.WaitForMessageAsync("Hallo, wie kann ich helfen?");
    }

    [Fact]
    public async Task Send_RetryWithSameClientMessageId_OneRowSameAcknowledgementNothingBroadcastAgain()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        var clientMessageId = Guid.NewGuid();
        var first = await SendAsync(client, conversationId, "Nur einmal bitte", clientMessageId);
        await counsellor.WaitForMessageAsync("Nur einmal bitte");

        // The retry a page makes after a lost acknowledgement: a new connection, the same message id.
        var again = await ConnectAsync(Mond);
        var retry = await SendAsync(again, conversationId, "Nur einmal bitte", clientMessageId);
        var retryOnSameConnection = await SendAsync(client, conversationId, "Nur einmal bitte", clientMessageId);

        Assert.Equal(first, retry with { PreviousId = first.PreviousId });
        Assert.Equal(first.Id, retryOnSameConnection.Id);
        Assert.Single(await StoredMessagesAsync(conversationId));
        // A later message is a fence: everything sent before it has arrived, and the retry was not among it.
        await SendAsync(client, conversationId, "Zaun");
        await counsellor.WaitForMessageAsync("Zaun");
        Assert.Equal(["Nur einmal bitte", "Zaun"], counsellor.HeardBodies());
    }

    [Fact]
    public async Task Send_SameClientMessageIdFromTwoConnectionsAtOnce_StoredOnceBothGetTheSameAcknowledgement()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        var second = await ConnectAsync(Mond);
        var clientMessageId = Guid.NewGuid();

        var acks = await Task.WhenAll(
            SendAsync(client, conversationId, "Doppelt abgeschickt", clientMessageId),
            SendAsync(second, conversationId, "Doppelt abgeschickt", clientMessageId));

        Assert.Equal(acks[0].Id, acks[1].Id);
        Assert.Single(await StoredMessagesAsync(conversationId));
    }

    [Fact]
    public async Task Send_ManyAtOnceFromBothSides_EachMessageNamesTheOneStoredBeforeIt()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        var peers = new[] { counsellor, client, await ConnectAsync(Anna), await ConnectAsync(Mond) };

        var acks = await Task.WhenAll(peers.SelectMany((peer, p) =>
            Enumerable.Range(1, 5).Select(i => SendAsync(peer, conversationId, $"Verbindung {p}, Nachricht {i}"))));

        // One unbroken chain: a page that holds message N and hears N+1 knows it has missed nothing.
        var chain = acks.OrderBy(a => a.Id).ToList();
        Assert.Equal(20, chain.Select(a => a.Id).Distinct().Count());
        Assert.Equal(0, chain[0].PreviousId);
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Id, chain[i].PreviousId);
        }

        Assert.Equal(chain.Select(a => a.Id), (await StoredMessagesAsync(conversationId)).Select(m => m.Id));
    }

    [Fact]
    public async Task Send_SameClientMessageIdFromTheOtherSide_IsAnotherMessage()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        var clientMessageId = Guid.NewGuid();

        await SendAsync(client, conversationId, "Von der Klientin", clientMessageId);
        await SendAsync(counsellor, conversationId, "Von der Beraterin", clientMessageId);

        Assert.Equal(2, (await StoredMessagesAsync(conversationId)).Count);
    }

    [Fact]
    public async Task Send_4001Characters_RefusedAnd4000Accepted()
    {
        var (_, client, conversationId, _) = await ChattingAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, new string('x', ChatMessage.MaxLength + 1)));
        Assert.Contains("Eine Nachricht darf höchstens 4000 Zeichen lang sein.", error.Message, StringComparison.Ordinal);
        Assert.Empty(await StoredMessagesAsync(conversationId));

        var ack = await SendAsync(client, conversationId, new string('x', ChatMessage.MaxLength));
        Assert.Equal(ChatMessage.MaxLength, ack.Body.Length);
        // The connection survived the refusal (the hub's size limit is above the longest valid text).
        Assert.Equal(HubConnectionState.Connected, client.Hub.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n ")]
    public async Task Send_NothingToSay_RefusedInGerman(string text)
    {
        var (_, client, conversationId, _) = await ChattingAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, text));

        Assert.Contains("Bitte schreiben Sie eine Nachricht.", error.Message, StringComparison.Ordinal);
        Assert.Empty(await StoredMessagesAsync(conversationId));
    }

    [Fact]
    public async Task Send_EleventhWithinTenSeconds_RefusedUntilTheWindowHasPassed()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        for (var i = 1; i <= 10; i++)
        {
            await SendAsync(client, conversationId, $"Nachricht {i}");
            App.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, "Nachricht 11"));

        Assert.Contains("Sie schreiben sehr schnell.", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, (await StoredMessagesAsync(conversationId)).Count);

        // The first message leaves the ten-second window: one more may go.
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        await SendAsync(client, conversationId, "Nachricht 11");
        Assert.Equal(11, (await StoredMessagesAsync(conversationId)).Count);
    }

    [Fact]
    public async Task Send_ClientWhileCounsellorBecameNotReachable_RefusedButCounsellorMayStillAnswer()
    {
        var (counsellor, client, conversationId, anna) = await ChattingAsync();
        await WithDbAsync(async db =>
        {
            var row = await db.Counsellors.SingleAsync(c => c.Id == anna.Id);
            row.ChangeStatus(row.Status with { Chat = ChatMode.NotReachable });
            await db.SaveChangesAsync();
        });

        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, "Noch da?"));
        var answer = await SendAsync(counsellor, conversationId, "Ich melde mich morgen.");

        Assert.Contains("anna ist für den Chat derzeit nicht erreichbar.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["Ich melde mich morgen."], (await StoredMessagesAsync(conversationId)).Select(m => m.Body));
        Assert.Equal(ChatSides.Counsellor, answer.Sender);
    }

    [Fact]
    public async Task Send_AfterClosedAndNotReachableOnAConversationThisConnectionWroteIn_ToldClosedNotUnreachable()
    {
        var (counsellor, client, conversationId, anna) = await ChattingAsync();
        // The connection has written here before, so it remembers its membership (ChatHub.Send) with the chat still open.
        await SendAsync(client, conversationId, "Hallo");
        await counsellor.Hub.InvokeAsync("Close", conversationId);
        await WithDbAsync(async db =>
        {
            var row = await db.Counsellors.SingleAsync(c => c.Id == anna.Id);
            row.ChangeStatus(row.Status with { Chat = ChatMode.NotReachable });
            await db.SaveChangesAsync();
        });

        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, "Noch da?"));

        Assert.Contains("Dieser Chat ist beendet.", error.Message, StringComparison.Ordinal);
        // What else the client can do: start a new chat on the counsellor's page.
        Assert.Contains("können Sie einen neuen Chat beginnen", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nicht erreichbar", error.Message, StringComparison.Ordinal);
        Assert.Equal(["Hallo"], (await StoredMessagesAsync(conversationId)).Select(m => m.Body));
    }

    [Fact]
    public async Task Send_ConversationDeletedAfterThisConnectionWroteInIt_NotYoursAndNothingStored()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "Hallo");
        await counsellor.WaitForMessageAsync("Hallo");
        await WithDbAsync(db => db.Conversations.Where(c => c.Id == conversationId).ExecuteDeleteAsync());

        await AssertNotYoursAsync(() => SendAsync(client, conversationId, "Noch da?"));
        await AssertNotYoursAsync(() => SendAsync(counsellor, conversationId, "Ich bin hier."));

        Assert.Equal(0, await AllStoredMessagesAsync());
        Assert.Equal(["Hallo"], client.HeardBodies());
    }

    // ---- Membership on every call ----

    [Fact]
    public async Task ForgedConversationId_EveryMethod_HubExceptionAndNothingStoredOrRelayed()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await AddClientAsync(Wolke);
        var intruder = await ConnectAsync(Wolke);

        foreach (var id in new[] { conversationId, Guid.NewGuid() })
        {
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync<ChatJoined>("Join", id));
            await AssertNotYoursAsync(() => SendAsync(intruder, id, "Eingeschmuggelt"));
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync<ChatMessagePage>("History", id, null, 50));
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync<ChatMessagePage>("Since", id, 0L));
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync<long>("MarkRead", id, 1000L));
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync("Typing", id));
            await AssertNotYoursAsync(() => intruder.Hub.InvokeAsync("Close", id));
        }

        await SendAsync(client, conversationId, "Zaun");
        await counsellor.WaitForMessageAsync("Zaun");
        Assert.Equal(["Zaun"], (await StoredMessagesAsync(conversationId)).Select(m => m.Body));
        Assert.Equal(1, await AllStoredMessagesAsync());
        Assert.Equal(["Zaun"], counsellor.HeardBodies());
        Assert.Empty(counsellor.Heard(ChatBroadcast.TypingEvent));
        Assert.Empty(counsellor.Heard(ChatBroadcast.ReadEvent));
        Assert.Empty(intruder.All());
        var conversation = await WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversationId));
        Assert.False(conversation.IsClosed);
        Assert.Equal(0, conversation.ClientReadUpTo);
    }

    [Fact]
    public async Task OtherCounsellor_AnnasConversation_CannotJoinReadWriteOrClose()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "Vertraulich");
        await AddCounsellorAsync(Ben, OpenOnline);
        var ben = await ConnectAsync(Ben);

        await AssertNotYoursAsync(() => ben.Hub.InvokeAsync<ChatJoined>("Join", conversationId));
        await AssertNotYoursAsync(() => ben.Hub.InvokeAsync<ChatMessagePage>("History", conversationId, null, 50));
        await AssertNotYoursAsync(() => ben.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, 0L));
        await AssertNotYoursAsync(() => SendAsync(ben, conversationId, "Hallo von Ben"));
        await AssertNotYoursAsync(() => ben.Hub.InvokeAsync("Close", conversationId));

        await counsellor.WaitForMessageAsync("Vertraulich");
        Assert.DoesNotContain(ben.All(), h => h.Name == ChatBroadcast.MessageEvent);
        Assert.Single(await StoredMessagesAsync(conversationId));
    }

    // ---- Reconnect and restart ----

    [Fact]
    public async Task Reconnect_OtherSideSendsWhileDisconnected_SinceReturnsExactlyTheMissedMessages()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(counsellor, conversationId, "Vor der Unterbrechung");
        var lastSeen = (await client.WaitForMessageAsync("Vor der Unterbrechung")).GetProperty("id").GetInt64();

        await client.Hub.StopAsync();
        await SendAsync(counsellor, conversationId, "Verpasst 1");
        await SendAsync(counsellor, conversationId, "Verpasst 2");
        var back = await ConnectAsync(Mond);
        await back.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var missed = await back.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, lastSeen);

        Assert.Equal(["Verpasst 1", "Verpasst 2"], missed.Messages.Select(m => m.Body));
        Assert.False(missed.HasMore);
        Assert.DoesNotContain("Verpasst 1", client.HeardBodies());

        // Joined again, the client hears new messages live.
        await SendAsync(counsellor, conversationId, "Wieder da?");
        await back.WaitForMessageAsync("Wieder da?");
    }

    [Fact]
    public async Task Restart_NewAppOnSameDatabase_BothSidesReconnectAndEveryAcknowledgedMessageIsThere()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        var acknowledged = new List<ChatMessageView>
        {
            await SendAsync(client, conversationId, "Erste Frage"),
            await SendAsync(counsellor, conversationId, "Erste Antwort"),
            await SendAsync(client, conversationId, "Zweite Frage"),
        };

        // The server goes down (its host stops; the factory, and with it the SQLite file, stays until the test ends) …
        await App.Services.GetRequiredService<IHost>().StopAsync();
        // … and a new app instance starts on the same database.
        await using var restarted = new LotseAppFactory(App.Kind, databaseName: DatabaseNameOf(App));
        restarted.Clock.SetUtcNow(App.Clock.GetUtcNow());
        var counsellorBack = await ReconnectAsync(Anna, restarted);
        var clientBack = await ReconnectAsync(Mond, restarted);
        await counsellorBack.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        await clientBack.Hub.InvokeAsync<ChatJoined>("Join", conversationId);

        var all = await clientBack.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, 0L);
        Assert.Equal(acknowledged.Select(m => (m.Id, m.Body, m.Sender)), all.Messages.Select(m => (m.Id, m.Body, m.Sender)));

        // The conversation goes on, both ways.
        var more = await SendAsync(counsellorBack, conversationId, "Nach dem Neustart");
        await clientBack.WaitForMessageAsync("Nach dem Neustart");
        Assert.Equal(acknowledged[^1].Id, more.PreviousId);
        await SendAsync(clientBack, conversationId, "Angekommen");
        await counsellorBack.WaitForMessageAsync("Angekommen");
    }

    // ---- Read receipts, unread counts, typing ----

    [Fact]
    public async Task MarkRead_Counsellor_ClientGetsReceiptAndUnreadCountDrops()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "Eins");
        await SendAsync(client, conversationId, "Zwei");
        var last = await SendAsync(client, conversationId, "Drei");
        var list = WebListItem(await ListAsync(Anna, "/chats"), conversationId);
        Assert.Contains("data-unread=\"3\"", list, StringComparison.Ordinal);
        Assert.Contains("3 ungelesen", list, StringComparison.Ordinal);

        var marker = await counsellor.Hub.InvokeAsync<long>("MarkRead", conversationId, last.Id);

        Assert.Equal(last.Id, marker);
        var receipt = await client.WaitForAsync(ChatBroadcast.ReadEvent);
        Assert.Equal(ChatSides.Counsellor, receipt.GetProperty("reader").GetString());
        Assert.Equal(last.Id, receipt.GetProperty("upToId").GetInt64());
        Assert.Contains("data-unread=\"0\"", WebListItem(await ListAsync(Anna, "/chats"), conversationId), StringComparison.Ordinal);

        // Markers never move back and never beyond the newest message; an unchanged marker sends no second receipt.
        Assert.Equal(last.Id, await counsellor.Hub.InvokeAsync<long>("MarkRead", conversationId, 1L));
        Assert.Equal(last.Id, await counsellor.Hub.InvokeAsync<long>("MarkRead", conversationId, last.Id + 1000));
        await SendAsync(client, conversationId, "Zaun");
        await counsellor.WaitForMessageAsync("Zaun");
        Assert.Single(client.Heard(ChatBroadcast.ReadEvent), r => r.GetProperty("reader").GetString() == ChatSides.Counsellor);
    }

    [Fact]
    public async Task UnreadCount_ClientSide_CountsOnlyTheCounsellorsMessages()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "Meine eigene");
        await SendAsync(counsellor, conversationId, "Antwort 1");
        await SendAsync(counsellor, conversationId, "Antwort 2");

        var item = WebListItem(await ListAsync(Mond, "/chat"), conversationId);

        Assert.Contains("data-unread=\"2\"", item, StringComparison.Ordinal);
        Assert.Equal(0, (await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId)).MyReadUpTo);
    }

    [Fact]
    public async Task Typing_Client_RelayedToCounsellorOnly()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();

        await client.Hub.InvokeAsync("Typing", conversationId);

        var typing = await counsellor.WaitForAsync(ChatBroadcast.TypingEvent);
        Assert.Equal(ChatSides.Client, typing.GetProperty("side").GetString());
        // The other way round as a fence: the client hears the counsellor typing, and never its own signal.
        await counsellor.Hub.InvokeAsync("Typing", conversationId);
        var back = await client.WaitForAsync(ChatBroadcast.TypingEvent);
        Assert.Equal(ChatSides.Counsellor, back.GetProperty("side").GetString());
        Assert.Single(client.Heard(ChatBroadcast.TypingEvent));
        Assert.Single(counsellor.Heard(ChatBroadcast.TypingEvent));
    }

    // ---- Closing ----

    [Fact]
    public async Task Close_Counsellor_ClientHearsItCannotSendAndSeesItClosed()
    {
        var (counsellor, client, conversationId, _) = await ChattingAsync();
        await SendAsync(client, conversationId, "Danke!");

        var refused = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeAsync("Close", conversationId));
        Assert.Contains("Nur die Berater:in kann den Chat beenden.", refused.Message, StringComparison.Ordinal);

        await counsellor.Hub.InvokeAsync("Close", conversationId);

        await client.WaitForAsync(ChatBroadcast.ClosedEvent);
        var error = await Assert.ThrowsAsync<HubException>(() => SendAsync(client, conversationId, "Noch eine Frage"));
        Assert.Contains("Dieser Chat ist beendet.", error.Message, StringComparison.Ordinal);
        var counsellorError = await Assert.ThrowsAsync<HubException>(() => SendAsync(counsellor, conversationId, "Nachtrag"));
        Assert.Contains("Dieser Chat ist beendet.", counsellorError.Message, StringComparison.Ordinal);
        Assert.True((await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId)).IsClosed);
        Assert.Single(await StoredMessagesAsync(conversationId));

        var http = await LoginAsync(Mond);
        var page = await http.GetStringAsync($"/chat/{conversationId}");
        Assert.Contains("anna hat diesen Chat beendet.", page, StringComparison.Ordinal);
        Assert.Contains("data-can-write=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("Danke!", page, StringComparison.Ordinal);
    }

    private async Task<string> ListAsync(string userName, string path)
    {
        var http = await LoginAsync(userName);
        return await http.GetStringAsync(path);
    }

    /// <summary>The list item of one conversation in a chat list page.</summary>
    private static string WebListItem(string html, Guid conversationId)
    {
        var start = html.IndexOf($"data-conversation=\"{conversationId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Conversation {conversationId} is not in the list.");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static async Task AssertNotYoursAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.Contains(NotYours, error.Message, StringComparison.Ordinal);
    }

    private static string DatabaseNameOf(LotseAppFactory app) =>
        app.Kind == DatabaseKind.Sqlite
            ? Path.GetFileNameWithoutExtension(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource)
            : new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
}

public sealed class ChatTestsOnSqlite() : ChatTests(DatabaseKind.Sqlite);

public sealed class ChatTestsOnPostgres() : ChatTests(DatabaseKind.Postgres);
