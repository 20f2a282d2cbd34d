using Lotse.Domain.Accounts;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Chat;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>
/// Chat messages that arrive at the same time are stored as one batch (<see cref="ChatMessageBatcher"/>, decision 19,
/// issue 5's speed target). A batch must give every message the answer it would have had alone: each new message names
/// the one stored before it in its conversation, a retry gets the stored message back, the same message twice is stored
/// once, and a closed conversation refuses only its own messages. Each test hands the batcher one batch, as its loop does.
/// </summary>
public abstract class ChatBatchTests(DatabaseKind kind) : ChatTestBase(kind)
{
    [Fact]
    public async Task StoreTogether_BothSidesOfOneConversation_EachNamesTheOneStoredBeforeIt()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        var first = await SendAsync(client, conversationId, "Schon gespeichert");
        var fromClient = await MemberAsync(conversationId, ChatSide.Client);
        var fromCounsellor = await MemberAsync(conversationId, ChatSide.Counsellor);

        var results = await StoreTogetherAsync(
            [Message(fromClient, "Eins"), Message(fromCounsellor, "Zwei"), Message(fromClient, "Drei"), Message(fromCounsellor, "Vier")]);

        var stored = results.Select(r => Assert.IsType<MessageStored>(r)).ToList();
        Assert.All(stored, s => Assert.True(s.IsNew));
        Assert.Equal(["Eins", "Zwei", "Drei", "Vier"], stored.Select(s => s.Message.Body));
        var chain = stored.Select(s => s.Message).OrderBy(m => m.Id).ToList();
        Assert.Equal(first.Id, chain[0].PreviousId);
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Id, chain[i].PreviousId);
        }

        Assert.Equal([first.Id, .. chain.Select(m => m.Id)], (await StoredMessagesAsync(conversationId)).Select(m => m.Id));
    }

    [Fact]
    public async Task StoreTogether_SameMessageTwiceAndARetry_EachStoredOnceOnlyTheFirstCopyIsNew()
    {
        var (_, client, conversationId, _) = await ChattingAsync();
        var retried = Guid.NewGuid();
        var before = await SendAsync(client, conversationId, "Schon gespeichert", retried);
        var member = await MemberAsync(conversationId, ChatSide.Client);
        var twice = Message(member, "Zweimal");

        var results = await StoreTogetherAsync([twice, twice, Message(member, "Schon gespeichert", retried)]);

        var first = Assert.IsType<MessageStored>(results[0]);
        var second = Assert.IsType<MessageStored>(results[1]);
        var retry = Assert.IsType<MessageStored>(results[2]);
        Assert.True(first.IsNew);
        Assert.False(second.IsNew);
        Assert.Equal(first.Message.Id, second.Message.Id);
        Assert.False(retry.IsNew);
        Assert.Equal(before.Id, retry.Message.Id);
        Assert.Equal(["Schon gespeichert", "Zweimal"], (await StoredMessagesAsync(conversationId)).Select(m => m.Body));
    }

    [Fact]
    public async Task StoreTogether_ClosedConversationBesideAnOpenOne_OnlyTheClosedOneRefusesButGivesARetryBack()
    {
        var (_, _, open, anna) = await ChattingAsync();
        await AddClientAsync(Wolke);
        var wolke = await ConnectAsync(Wolke);
        var closed = await wolke.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        var retried = Guid.NewGuid();
        var before = await SendAsync(wolke, closed, "Vor dem Ende", retried);
        var inOpen = await MemberAsync(open, ChatSide.Client);
        var inClosed = await MemberAsync(closed, ChatSide.Client);
        await WithDbAsync(db => db.Conversations.Where(c => c.Id == closed).ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedUtc, Now)));

        var results = await StoreTogetherAsync([Message(inClosed, "Nach dem Ende"), Message(inOpen, "Noch offen"), Message(inClosed, "Vor dem Ende", retried)]);

        Assert.Equal(ChatVerdict.Closed, Assert.IsType<SendRefused>(results[0]).Verdict);
        Assert.True(Assert.IsType<MessageStored>(results[1]).IsNew);
        Assert.Equal(before.Id, Assert.IsType<MessageStored>(results[2]).Message.Id);
        Assert.Equal(["Vor dem Ende"], (await StoredMessagesAsync(closed)).Select(m => m.Body));
        Assert.Equal(["Noch offen"], (await StoredMessagesAsync(open)).Select(m => m.Body));
    }

    [Fact]
    public async Task StoreTogether_CounsellorNotReachableSinceTheClientJoined_ClientRefusedWithTheReasonCounsellorStillAnswers()
    {
        var (_, _, conversationId, anna) = await ChattingAsync();
        var fromClient = await MemberAsync(conversationId, ChatSide.Client);
        var fromCounsellor = await MemberAsync(conversationId, ChatSide.Counsellor);
        // The switch happens while the client's message waits for its batch: the batch decides with the status as it is now.
        await WithDbAsync(db => db.Counsellors.Where(c => c.Id == anna.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ChatMode, ChatMode.NotReachable)));

        var results = await StoreTogetherAsync([Message(fromClient, "Sind Sie da?"), Message(fromCounsellor, "Ich melde mich morgen.")]);

        var refusal = Assert.IsType<SendRefused>(results[0]);
        Assert.Equal(ChatVerdict.NotReachable, refusal.Verdict);
        Assert.NotNull(refusal.Availability);
        Assert.False(refusal.Availability.Availability.CanChat);
        Assert.True(Assert.IsType<MessageStored>(results[1]).IsNew);
        Assert.Equal(["Ich melde mich morgen."], (await StoredMessagesAsync(conversationId)).Select(m => m.Body));
    }

    private static PendingChatMessage Message(ChatMember member, string body, Guid? clientMessageId = null) =>
        new(member, clientMessageId ?? Guid.NewGuid(), body);

    /// <summary>The member of <paramref name="conversationId"/> on <paramref name="side"/>, as the hub looks it up.</summary>
    private async Task<ChatMember> MemberAsync(Guid conversationId, ChatSide side)
    {
        var conversation = await WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversationId));
        var caller = new ChatCaller(side, side == ChatSide.Counsellor ? conversation.CounsellorId : conversation.ClientId);
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChatMembership>().FindAsync(conversationId, caller, CancellationToken.None)
            ?? throw new InvalidOperationException("Not a member.");
    }

    private async Task<SendResult[]> StoreTogetherAsync(IReadOnlyList<PendingChatMessage> messages)
    {
        var batch = messages.Select(m => new ChatMessageBatcher.Pending(m)).ToList();
        await App.Services.GetRequiredService<ChatMessageBatcher>().StoreTogetherAsync(batch);
        return await Task.WhenAll(batch.Select(p => p.Result.Task));
    }
}

public sealed class ChatBatchTestsOnSqlite() : ChatBatchTests(DatabaseKind.Sqlite);

public sealed class ChatBatchTestsOnPostgres() : ChatBatchTests(DatabaseKind.Postgres);
