using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Lotse.Domain.Accounts;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Chat;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Base of the chat tests: people (a counsellor, clients) signed in through the real login form, and their chat hub
/// connections as browsers make them (auth cookie, long polling through the test server).
/// </summary>
public abstract class ChatTestBase(DatabaseKind kind) : WebTest(kind)
{
    protected const string Anna = "anna@test.lotse";
    protected const string Ben = "ben@test.lotse";
    protected const string Mond = "Mond";
    protected const string Wolke = "Wolke7";

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected static readonly AccountStatus OpenOnline = new(false, ChatMode.Online, MailMode.Unlimited, 10);
    protected static readonly AccountStatus OpenNotOnline = new(false, ChatMode.NotOnline, MailMode.Unlimited, 10);

    private readonly List<ChatPeer> _peers = [];
    private readonly Dictionary<string, CookieContainer> _cookies = [];

    internal static TimeSpan PatienceLeft(Stopwatch clock) => Patience - clock.Elapsed;

    public override async Task DisposeAsync()
    {
        // Connections first: an open long poll would hold the server's shutdown.
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A started chat connection of <paramref name="userName"/> (signed in once per test, cookie kept).</summary>
    protected async Task<ChatPeer> ConnectAsync(string userName, WebApplicationFactory<Program>? app = null)
    {
        app ??= App;
        if (!_cookies.TryGetValue(userName, out var cookies))
        {
            cookies = await SignInAsync(app, userName);
            _cookies[userName] = cookies;
        }

        return await StartAsync(new ChatPeer(userName, HubConnection(app, ChatHub.Path, cookies)));
    }

    /// <summary>A client and a counsellor with one open conversation, both connected and joined.</summary>
    protected async Task<(ChatPeer Counsellor, ChatPeer Client, Guid ConversationId, Counsellor Anna)> ChattingAsync(AccountStatus? status = null)
    {
        var anna = await AddCounsellorAsync(Anna, status ?? OpenOnline);
        await AddClientAsync(Mond);
        var mond = await ConnectAsync(Mond);
        var conversationId = await mond.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await mond.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var counsellor = await ConnectAsync(Anna);
        await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        return (counsellor, mond, conversationId, anna);
    }

    protected static Task<ChatMessageView> SendAsync(ChatPeer peer, Guid conversationId, string text, Guid? clientMessageId = null) =>
        peer.Hub.InvokeAsync<ChatMessageView>("Send", conversationId, clientMessageId ?? Guid.NewGuid(), text);

    protected Task<List<ChatMessage>> StoredMessagesAsync(Guid conversationId) =>
        WithDbAsync(db => db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).ToListAsync());

    protected Task<int> AllStoredMessagesAsync() => WithDbAsync(db => db.ChatMessages.CountAsync());

    /// <summary>Signs in through the real login form and returns the cookie jar that now holds the auth cookie.</summary>
    protected static async Task<CookieContainer> SignInAsync(WebApplicationFactory<Program> app, string userName)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cookies = new CookieContainer();
        using var http = app.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        var response = await SignInThroughFormAsync(app, http, userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return cookies;
    }

    protected CookieContainer CookiesOf(string userName) => _cookies[userName];

    /// <summary>The same signed-in person on another (e.g. restarted) app: same cookie, new connection.</summary>
    protected async Task<ChatPeer> ReconnectAsync(string userName, WebApplicationFactory<Program> app)
    {
        return await StartAsync(new ChatPeer(userName, HubConnection(app, ChatHub.Path, _cookies[userName])));
    }

    /// <summary>
    /// Starts the connection and makes one call: the server runs OnConnectedAsync (presence, inbox group) before it
    /// answers any call, so after this the connection is fully registered.
    /// </summary>
    private async Task<ChatPeer> StartAsync(ChatPeer peer)
    {
        _peers.Add(peer);
        await peer.Hub.StartAsync();
        await peer.Hub.InvokeAsync<int>("Unread");
        return peer;
    }

    protected static HubConnection HubConnection(WebApplicationFactory<Program> app, string path, CookieContainer? cookies)
    {
        ArgumentNullException.ThrowIfNull(app);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => cookies is null
                    ? app.Server.CreateHandler()
                    : new CookieContainerHandler(cookies) { InnerHandler = app.Server.CreateHandler() };
            })
            .Build();
        // A freshly started app (the restart tests) answers its first handshake slowly on a busy 2-core machine; the
        // client's default of 15 s then cancelled a start that was only late.
        connection.HandshakeTimeout = TimeSpan.FromSeconds(60);
        return connection;
    }
}

/// <summary>One chat connection that records every event it hears, so a test can wait for one or check that none came.</summary>
public sealed class ChatPeer : IAsyncDisposable
{
    private static readonly string[] Events =
        [ChatBroadcast.MessageEvent, ChatBroadcast.TypingEvent, ChatBroadcast.ReadEvent, ChatBroadcast.ClosedEvent, ChatBroadcast.InboxEvent];

    private readonly Lock _lock = new();
    private readonly List<(string Name, JsonElement Payload)> _heard = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChatPeer(string userName, HubConnection hub)
    {
        UserName = userName;
        Hub = hub;
        foreach (var name in Events)
        {
            hub.On<JsonElement>(name, payload => Add(name, payload.Clone()));
        }
    }

    public string UserName { get; }

    public HubConnection Hub { get; }

    public List<(string Name, JsonElement Payload)> All()
    {
        lock (_lock)
        {
            return _heard.ToList();
        }
    }

    public List<JsonElement> Heard(string name) => All().Where(h => h.Name == name).Select(h => h.Payload).ToList();

    /// <summary>The bodies of the "message" events heard, in order.</summary>
    public List<string> HeardBodies() => Heard(ChatBroadcast.MessageEvent).Select(m => m.GetProperty("body").GetString() ?? "").ToList();

    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null)
    {
        var clock = Stopwatch.StartNew();
        match ??= _ => true;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var (heardName, payload) in _heard)
                {
                    if (heardName == name && match(payload))
                    {
                        return payload;
                    }
                }

                changed = _changed.Task;
            }

            var left = ChatTestBase.PatienceLeft(clock);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{UserName} heard no matching '{name}'. Heard: {string.Join(", ", All().Select(h => h.Name + " " + h.Payload))}");
            }

            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Checked once more above, then reported with what was heard.
            }
        }
    }

    public Task<JsonElement> WaitForMessageAsync(string body) =>
        WaitForAsync(ChatBroadcast.MessageEvent, m => m.GetProperty("body").GetString() == body);

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();

    private void Add(string name, JsonElement payload)
    {
        lock (_lock)
        {
            _heard.Add((name, payload));
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }
}
