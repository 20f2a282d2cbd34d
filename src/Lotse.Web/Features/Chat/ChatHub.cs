using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Chat;

/// <summary>What a page needs after joining: its side, whether the chat is closed, both read markers, and the newest id.</summary>
public sealed record ChatJoined(Guid ConversationId, string Side, bool IsClosed, long MyReadUpTo, long OtherReadUpTo, long LastMessageId);

/// <summary>
/// Live chat between a client and a counsellor. Thin: every method finds the caller's side of the conversation in the
/// database (the conversation id proves nothing), calls a handler, and broadcasts what the handler returns. A message is
/// acknowledged (the return value of <see cref="Send"/>) only after it is stored.
/// </summary>
[Authorize]
public sealed class ChatHub(
    ChatMembership membership,
    ChatTexts texts,
    ChatBroadcast broadcast,
    IChatPresence presence,
    AvailabilityNotifier availabilityNotifier,
    TimeProvider clock,
    IOptions<ChatOptions> options,
    AuditLog audit) : Hub
{
    public const string Path = "/hubs/chat";

    private const string CallerKey = "chat.caller";
    private const string PresenceKey = "chat.presence";
    private const string SendLimitKey = "chat.sendLimit";
    private const string TypingLimitKey = "chat.typingLimit";
    private const string MembersKey = "chat.members";

    public override async Task OnConnectedAsync()
    {
        var caller = await membership.CallerAsync(Context.User!, Context.ConnectionAborted);
        if (caller is not null)
        {
            Context.Items[CallerKey] = caller;
            var inbox = caller.Side == ChatSide.Counsellor ? ChatBroadcast.CounsellorInbox(caller.Id) : ChatBroadcast.ClientInbox(caller.Id);
            await Groups.AddToGroupAsync(Context.ConnectionId, inbox, Context.ConnectionAborted);
            if (caller.Side == ChatSide.Counsellor)
            {
                var cameOnline = await presence.ConnectedAsync(caller.Id, Context.ConnectionAborted);
                // Only a connection that was counted may be counted off again when it closes.
                Context.Items[PresenceKey] = caller.Id;
                if (cameOnline)
                {
                    await availabilityNotifier.ChangedAsync(caller.Id, CancellationToken.None);
                }
            }
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(PresenceKey, out var value) && value is Guid counsellorId)
        {
            // Presence tells the client pages itself, after its grace time.
            await presence.DisconnectedAsync(counsellorId, CancellationToken.None);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>A client opens (or reopens) the chat with a counsellor; the answer is the conversation id.</summary>
    public async Task<Guid> StartConversation(Guid counsellorId, [FromServices] StartConversation start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var caller = Caller();
        if (caller.Side != ChatSide.Client)
        {
            throw new HubException(texts.OnlyClientsStart);
        }

        audit.UsePrincipal(Context.User!);
        switch (await start.StartAsync(caller.Id, counsellorId, Context.ConnectionAborted))
        {
            case ConversationStarted started:
                if (started.IsNew)
                {
                    await broadcast.StartedAsync(counsellorId, started.ConversationId);
                }

                return started.ConversationId;
            case StartRefused refused:
                throw new HubException(texts.ForClient(refused.Verdict, refused.Availability).ToString());
            default:
                throw new HubException(texts.CounsellorNotFound);
        }
    }

    /// <summary>Unread messages over all of the caller's conversations (the badge next to the chat link).</summary>
    public async Task<int> Unread([FromServices] LoadChatList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return await list.UnreadAsync(Caller(), Context.ConnectionAborted);
    }

    /// <summary>Joins the conversation's live group for the caller's side.</summary>
    public async Task<ChatJoined> Join(Guid conversationId, [FromServices] ReadChatMessages read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var member = await MemberAsync(conversationId);
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatBroadcast.SideGroup(conversationId, member.Side), Context.ConnectionAborted);
        var newest = await read.HistoryAsync(conversationId, beforeId: null, take: 1, Context.ConnectionAborted);
        return new ChatJoined(
            conversationId,
            ChatSides.Name(member.Side),
            member.IsClosed,
            member.MyReadUpTo,
            member.OtherReadUpTo,
            newest.Messages.Count > 0 ? newest.Messages[^1].Id : 0);
    }

    /// <summary>
    /// Stores the message, then broadcasts it, then returns it as the acknowledgement. A retry with the same
    /// <paramref name="clientMessageId"/> returns the stored message again and broadcasts nothing.
    /// </summary>
    public async Task<ChatMessageView> Send(Guid conversationId, Guid clientMessageId, string text, [FromServices] SendMessage send)
    {
        ArgumentNullException.ThrowIfNull(send);
        if (clientMessageId == Guid.Empty)
        {
            throw new HubException(texts.MissingMessageId);
        }

        if (!Limit(SendLimitKey, options.Value.MessagesPerWindow))
        {
            throw new HubException(texts.TooFast);
        }

        // Who belongs to a conversation never changes, and whether it is still open (or still there) is checked again
        // inside the lock that stores the message: so this connection looks its membership up once, not per message.
        // A refusal on that remembered membership is decided again on a fresh one (closed, or not yours any more).
        var remembered = RememberedMember(conversationId);
        var member = remembered ?? await MemberAsync(conversationId);
        var result = await send.SendAsync(member, clientMessageId, text, Context.ConnectionAborted);
        if (remembered is not null && result is SendRefused)
        {
            // Forgotten first: a conversation that is not this caller's any more (the look-up throws) is not remembered.
            Members().Remove(conversationId);
            member = await MemberAsync(conversationId);
            result = await send.SendAsync(member, clientMessageId, text, Context.ConnectionAborted);
        }

        Members()[conversationId] = member;
        switch (result)
        {
            case MessageStored { IsNew: true } stored:
                await broadcast.MessageAsync(member, stored.Message);
                return stored.Message;
            case MessageStored stored:
                return stored.Message;
            case SendInvalid invalid:
                throw new HubException(texts.Problem(invalid.Problem));
            case SendRefused refused:
                throw new HubException(texts.Refusal(refused.Verdict, refused.Availability));
            default:
                throw new InvalidOperationException("Unknown send result.");
        }
    }

    /// <summary>Older messages: the <paramref name="take"/> before <paramref name="beforeId"/> (or the newest), oldest first.</summary>
    public async Task<ChatMessagePage> History(Guid conversationId, long? beforeId, int take, [FromServices] ReadChatMessages read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var member = await MemberAsync(conversationId);
        var page = await read.HistoryAsync(conversationId, beforeId, take, Context.ConnectionAborted);
        await RecordReadAsync(member, page, "Ältere Nachrichten geladen");
        return page;
    }

    /// <summary>Everything after <paramref name="afterId"/>: what a page missed while it was not connected.</summary>
    public async Task<ChatMessagePage> Since(Guid conversationId, long afterId, [FromServices] ReadChatMessages read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var member = await MemberAsync(conversationId);
        var page = await read.SinceAsync(conversationId, afterId, Context.ConnectionAborted);
        await RecordReadAsync(member, page, "Verpasste Nachrichten nachgeladen");
        return page;
    }

    /// <summary>The caller has read up to <paramref name="upToId"/>; the other side gets a read receipt. Returns the caller's marker.</summary>
    public async Task<long> MarkRead(Guid conversationId, long upToId, [FromServices] MarkRead mark)
    {
        ArgumentNullException.ThrowIfNull(mark);
        var member = await MemberAsync(conversationId);
        var receipt = await mark.MarkAsync(member, upToId, Context.ConnectionAborted);
        if (receipt is null)
        {
            return member.MyReadUpTo;
        }

        await broadcast.ReadAsync(member, receipt);
        return receipt.UpToId;
    }

    /// <summary>"Is typing", relayed to the other side only; too frequent signals are dropped without an error.</summary>
    public async Task Typing(Guid conversationId)
    {
        var member = await MemberAsync(conversationId);
        if (!member.IsClosed && Limit(TypingLimitKey, options.Value.TypingSignalsPerWindow))
        {
            await broadcast.TypingAsync(member);
        }
    }

    /// <summary>The counsellor ends the chat.</summary>
    public async Task Close(Guid conversationId, [FromServices] CloseConversation close)
    {
        ArgumentNullException.ThrowIfNull(close);
        var member = await MemberAsync(conversationId);
        if (member.Side != ChatSide.Counsellor)
        {
            throw new HubException(texts.OnlyCounsellorCloses);
        }

        audit.UsePrincipal(Context.User!);
        if (await close.CloseAsync(member, Context.ConnectionAborted))
        {
            await broadcast.ClosedAsync(member);
        }
    }

    /// <summary>A counsellor's fetch that returned messages is a read of counselling content (a client reading their own is not logged).</summary>
    private async Task RecordReadAsync(ChatMember member, ChatMessagePage page, string details)
    {
        if (member.Side == ChatSide.Counsellor && page.Messages.Count > 0)
        {
            await audit.UsePrincipal(Context.User!).RecordReadAsync(
                AuditAction.ChatHistoryRead, AuditTarget.Of(AuditTargetType.Conversation, member.ConversationId), null,
                $"{details} ({page.Messages.Count})", Context.ConnectionAborted);
        }
    }

    private ChatCaller Caller() =>
        Context.Items.TryGetValue(CallerKey, out var value) && value is ChatCaller caller
            ? caller
            : throw new HubException(texts.NoChatAccount);

    /// <summary>The memberships this connection has sent in, by conversation (see <see cref="Send"/>).</summary>
    private Dictionary<Guid, ChatMember> Members()
    {
        if (!Context.Items.TryGetValue(MembersKey, out var value) || value is not Dictionary<Guid, ChatMember> members)
        {
            members = [];
            Context.Items[MembersKey] = members;
        }

        return members;
    }

    private ChatMember? RememberedMember(Guid conversationId) =>
        Members().TryGetValue(conversationId, out var member) ? member : null;

    private async Task<ChatMember> MemberAsync(Guid conversationId) =>
        await membership.FindAsync(conversationId, Caller(), Context.ConnectionAborted)
        ?? throw new HubException(texts.NotYours);

    /// <summary>Per connection and kind, on the app's clock: a sliding window of <see cref="ChatOptions.Window"/>.</summary>
    private bool Limit(string key, int perWindow)
    {
        if (!Context.Items.TryGetValue(key, out var value) || value is not ChatRateLimit limit)
        {
            limit = new ChatRateLimit(perWindow, options.Value.Window);
            Context.Items[key] = limit;
        }

        return limit.TryTake(clock.GetUtcNow().UtcDateTime);
    }
}
