using System.Net;
using System.Text.Json;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 9, "Several instances": two app processes on one PostgreSQL database and one Redis, Debian's nginx in front with
/// the configuration Lotse ships (deploy/nginx/lotse.conf). Everyone talks to nginx only. Pages are served in turn by
/// both instances (no sticky sessions); a chat goes on when the instance that holds the client's connection is killed.
/// The instances log JSON lines (Logging:Console:FormatterName=json) and believe X-Forwarded-* from nginx only.
/// The in-memory app of the base class is not behind nginx: it migrates the database and sets up people, as an
/// administrator would before the instances start.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class NginxTwoInstancesTests(RedisServer redis) : ChatTestBase(DatabaseKind.Postgres)
{
    /// <summary>How long a client may need to notice the lost connection and reconnect to the other instance.</summary>
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(30);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lotse-two-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<HubConnection> _hubs = [];
    private readonly List<AppProcess> _instances = [];
    private NginxServer? _nginx;

    private NginxServer Nginx => _nginx ?? throw new InvalidOperationException("nginx has not started.");

    /// <summary>On the real clock: the instances check authenticator codes against it.</summary>
    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => new(databaseKind, start: TimeProvider.System.GetUtcNow());

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        try
        {
            Directory.CreateDirectory(_folder);
            var settings = new Dictionary<string, string>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Lotse"] = App.ConnectionString,
                ["Redis:Configuration"] = redis.Configuration,
                ["Redis:ChannelPrefix"] = "lotse-" + Guid.NewGuid().ToString("N")[..12],
                ["Demo:Seed"] = "false",
                ["Mail:BackgroundServices"] = "false",
                ["Retention:BackgroundService"] = "false",
                ["Mail:PickupDirectory"] = Path.Combine(_folder, "mail"),
                ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
                ["Logging:Console:FormatterName"] = "json",
            };
            _instances.Add(await AppProcess.StartAsync(_folder, settings));
            _instances.Add(await AppProcess.StartAsync(_folder, settings));
            _nginx = await NginxServer.StartAsync(_instances.Select(i => i.Port).ToList());
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        foreach (var hub in _hubs)
        {
            await hub.DisposeAsync();
        }

        _hubs.Clear();
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
            _nginx = null;
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        _instances.Clear();
        await base.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Pages_ServedInTurnByBothInstances_SignedInUserStaysSignedInAndPostsAFormOfTheOtherInstance()
    {
        await AddClientAsync(Mond);
        using var http = ThroughNginx(new CookieContainer());
        // The sign-in form comes from one instance and is posted to the other.
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, Mond)).StatusCode);

        var servedBy = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var page = await http.GetAsync(new Uri("/chat", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            servedBy.Add(ServedBy(page));
        }

        Assert.Equal(_instances.Select(i => i.Port).Order(), servedBy.Distinct().Order());

        using var form = await http.GetAsync(new Uri("/abmelden", UriKind.Relative));
        var token = AntiforgeryTokenIn(await form.Content.ReadAsStringAsync(), "/abmelden");
        using var fields = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        using var signedOut = await http.PostAsync(new Uri("/abmelden", UriKind.Relative), fields);

        Assert.NotEqual(ServedBy(form), ServedBy(signedOut));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        // The session ended on both instances: the same cookie is sent to the sign-in by either.
        var afterwards = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            using var page = await http.GetAsync(new Uri("/chat", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            // The app builds the address from the Host and X-Forwarded-Proto nginx passes on: nginx's own, over https.
            var signIn = new Uri(Nginx.Url, page.Headers.Location!);
            Assert.Equal(Nginx.Url.GetLeftPart(UriPartial.Authority), signIn.GetLeftPart(UriPartial.Authority));
            Assert.Equal("/anmelden", signIn.AbsolutePath);
            afterwards.Add(ServedBy(page));
        }

        Assert.Equal(2, afterwards.Distinct().Count());
        // Metrics are for scrapers on the instances' own addresses, not for the public one.
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task Chat_InstanceOfTheClientsConnectionKilled_ClientReconnectsThroughNginxAndNothingAcknowledgedIsLost()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Mond);
        var clientCookies = await SignInThroughNginxAsync(Mond);
        var counsellorCookies = await SignInThroughNginxAsync(Anna);

        var (client, clientUpstreams) = await ConnectAsync(Mond, clientCookies);
        var conversationId = await client.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        var (counsellor, counsellorUpstreams) = await ConnectAsync(Anna, counsellorCookies);
        await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);

        var acknowledged = new List<ChatMessageView>
        {
            await SendAsync(client, conversationId, "Vor dem Ausfall, von der Klientin"),
        };
        await counsellor.WaitForMessageAsync("Vor dem Ausfall, von der Klientin");
        acknowledged.Add(await SendAsync(counsellor, conversationId, "Vor dem Ausfall, von der Beraterin"));
        await client.WaitForMessageAsync("Vor dem Ausfall, von der Beraterin");

        // The instance that holds the client's connection dies without a goodbye.
        var victim = _instances.Single(i => i.Port == clientUpstreams.Last);
        var survivor = _instances.Single(i => i != victim);
        var counsellorWasThere = counsellorUpstreams.Last == victim.Port;
        var clientBack = Reconnected(client.Hub);
        var counsellorBack = counsellorWasThere ? Reconnected(counsellor.Hub) : Task.CompletedTask;
        victim.Kill();

        await BackAsync(client, clientBack);
        await BackAsync(counsellor, counsellorBack);
        Assert.Equal(survivor.Port, clientUpstreams.Last);
        Assert.Equal(survivor.Port, counsellorUpstreams.Last);

        // Back on the surviving instance: both join again and go on.
        await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        if (counsellorWasThere)
        {
            await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId);
        }

        acknowledged.Add(await SendAsync(client, conversationId, "Nach dem Ausfall, von der Klientin"));
        await counsellor.WaitForMessageAsync("Nach dem Ausfall, von der Klientin");
        acknowledged.Add(await SendAsync(counsellor, conversationId, "Nach dem Ausfall, von der Beraterin"));
        await client.WaitForMessageAsync("Nach dem Ausfall, von der Beraterin");

        var history = await client.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, 0L);
        Assert.Equal(acknowledged.Select(m => (m.Id, m.Body)), history.Messages.Select(m => (m.Id, m.Body)));
        var seenByCounsellor = await counsellor.Hub.InvokeAsync<ChatMessagePage>("Since", conversationId, 0L);
        Assert.Equal(acknowledged.Select(m => m.Id), seenByCounsellor.Messages.Select(m => m.Id));

        AssertJsonLogsWithoutContent(survivor, acknowledged.Select(m => m.Body));
        await AssertMetricsAsync(survivor);
    }

    /// <summary>Scraped directly on loopback (allowed by default): the instance's hubs, Kestrel and Lotse's own counters.</summary>
    private static async Task AssertMetricsAsync(AppProcess instance)
    {
        using var scraper = new HttpClient();
        var text = await scraper.GetStringAsync(new Uri(instance.Url, "/metrics"));
        foreach (var series in new[] { "http_server_request_duration_seconds", "kestrel_active_connections", "signalr_server_active_connections", "lotse_chat_messages_sent_total" })
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Production logs: one JSON object per line, masked by SafeLogging as ever (no chat text, no full address).</summary>
    private static void AssertJsonLogsWithoutContent(AppProcess instance, IEnumerable<string> bodies)
    {
        var lines = instance.Output.Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), $"Not a log entry: {line}");
        }

        foreach (var body in bodies)
        {
            Assert.DoesNotContain(lines, l => l.Contains(body, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => l.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    private HttpClient ThroughNginx(CookieContainer cookies) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => Nginx.IsOurs(certificate),
        })
        {
            BaseAddress = Nginx.Url,
        };

    private async Task<CookieContainer> SignInThroughNginxAsync(string userName)
    {
        // Authenticator codes are computed on the setup app's clock, for the earliest step its window accepts; the
        // instances check against the real clock, which may pass a 30-second step boundary before the code arrives. So
        // the setup clock runs one step ahead of real time: the code is the real current step's, accepted by the
        // instances from one step before it to one step after.
        App.Clock.SetUtcNow(TimeProvider.System.GetUtcNow().AddSeconds(Totp.StepSeconds));
        var cookies = new CookieContainer();
        using var http = ThroughNginx(cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, userName)).StatusCode);
        return cookies;
    }

    /// <summary>A chat connection through nginx over WebSockets, reconnecting by itself, as the browser's chat.js.</summary>
    private async Task<(ChatPeer Peer, UpstreamRecorder Upstreams)> ConnectAsync(string userName, CookieContainer cookies)
    {
        var upstreams = new UpstreamRecorder();
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Nginx.Url, ChatHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.Cookies = cookies;
                o.HttpMessageHandlerFactory = inner =>
                {
                    if (inner is HttpClientHandler handler)
                    {
                        handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => Nginx.IsOurs(certificate);
                    }

                    // Called again for every reconnection: a handler of its own each time, one record for the connection.
                    return new RecordingHandler(upstreams) { InnerHandler = inner };
                };
                o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = (_, certificate, _, _) => Nginx.IsOurs(certificate);
            })
            .WithAutomaticReconnect(new RetryQuickly())
            .Build();
        _hubs.Add(hub);
        var peer = new ChatPeer(userName, hub);
        await hub.StartAsync();
        await hub.InvokeAsync<int>("Unread");
        return (peer, upstreams);
    }

    /// <summary>Done when the connection is back; failed when it gave up.</summary>
    private static Task Reconnected(HubConnection hub)
    {
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Reconnected += _ =>
        {
            back.TrySetResult();
            return Task.CompletedTask;
        };
        hub.Closed += error =>
        {
            back.TrySetException(new InvalidOperationException("The connection gave up reconnecting.", error));
            return Task.CompletedTask;
        };
        return back.Task;
    }

    private async Task BackAsync(ChatPeer peer, Task back)
    {
        try
        {
            await back.WaitAsync(Failover);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{peer.UserName} was not reconnected through nginx within {Failover} (state {peer.Hub.State}): {e}{Environment.NewLine}nginx: {Nginx.ErrorLog()}");
        }
    }

    private static int ServedBy(HttpResponseMessage response) => UpstreamRecorder.PortOf(response) ??
        throw new InvalidOperationException($"No {NginxServer.UpstreamHeader} on the answer to {response.RequestMessage?.RequestUri}.");

    /// <summary>Which instance answered the negotiate requests of one hub connection (nginx says so in a header).</summary>
    private sealed class UpstreamRecorder
    {
        private readonly Lock _lock = new();
        private int _last;

        /// <summary>The port of the instance that answered the latest negotiate request.</summary>
        public int Last
        {
            get
            {
                lock (_lock)
                {
                    return _last;
                }
            }
        }

        /// <summary>The instance that finally answered ($upstream_addr lists every one tried, the last answered).</summary>
        public static int? PortOf(HttpResponseMessage response) =>
            response.Headers.TryGetValues(NginxServer.UpstreamHeader, out var values)
            && values.LastOrDefault()?.Split(',').Last().Trim() is { } address
            && IPEndPoint.TryParse(address, out var endpoint)
                ? endpoint.Port
                : null;

        public void Negotiated(int port)
        {
            lock (_lock)
            {
                _last = port;
            }
        }
    }

    private sealed class RecordingHandler(UpstreamRecorder upstreams) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri?.AbsolutePath.EndsWith("/negotiate", StringComparison.Ordinal) == true && UpstreamRecorder.PortOf(response) is { } port)
            {
                upstreams.Negotiated(port);
            }

            return response;
        }
    }

    /// <summary>Every quarter second for a minute: the other instance is there at once, only the dead one must be noticed.</summary>
    private sealed class RetryQuickly : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.ElapsedTime < TimeSpan.FromMinutes(1) ? TimeSpan.FromMilliseconds(250) : null;
    }
}
