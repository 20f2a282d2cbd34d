using System.Diagnostics;
using System.Net;
using Lotse.Web.Features.Operations;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 9, operations: the probes a load balancer asks (<c>/health/live</c>, <c>/health/ready</c>), the Prometheus
/// endpoint and who may read it, and forwarded headers believed only from a configured proxy.
/// </summary>
public abstract class HealthAndMetricsTests(DatabaseKind kind) : WebTest(kind)
{
    private static readonly IPAddress Outside = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task Live_Anonymous_HealthyAndNotCached()
    {
        using var response = await Browser().GetAsync(Health.LivePath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoStore, "The probe's answer must not be cached.");
    }

    [Fact]
    public async Task Ready_DatabaseReachable_Healthy()
    {
        using var response = await Browser().GetAsync(Health.ReadyPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_RequestFromOutside_Refused()
    {
        var (status, body) = await ScrapeAsync(App, Outside);

        Assert.Equal(StatusCodes.Status403Forbidden, status);
        Assert.DoesNotContain("http_server_request_duration", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_RequestFromLoopback_PrometheusTextWithRequestDurations()
    {
        using var page = await Browser().GetAsync("/anmelden");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        var body = await ScrapeUntilAsync(App, IPAddress.Loopback, "http_server_request_duration");

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NetworkConfigured_ThatNetworkAnsweredAndLoopbackNoLonger()
    {
        await using var app = new LotseAppFactory(App.Kind, settings: new Dictionary<string, string> { ["Metrics:AllowedNetworks:0"] = "203.0.113.0/24" });

        Assert.Equal(StatusCodes.Status200OK, (await ScrapeAsync(app, Outside)).Status);
        Assert.Equal(StatusCodes.Status403Forbidden, (await ScrapeAsync(app, IPAddress.Loopback)).Status);
    }

    [Fact]
    public async Task ForwardedFor_FromConfiguredProxy_TheClientBehindItCountsAndIsRefused()
    {
        await using var app = new LotseAppFactory(App.Kind, settings: new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        // nginx on loopback passes on a request of an outside client: the metrics see the client, not the proxy.
        var (status, _) = await ScrapeAsync(app, IPAddress.Loopback, forwardedFor: Outside);

        Assert.Equal(StatusCodes.Status403Forbidden, status);
    }

    [Fact]
    public async Task ForwardedFor_NoProxyConfigured_HeaderIgnored()
    {
        // Anyone may write X-Forwarded-For; without a configured proxy it changes nothing.
        var (status, body) = await ScrapeAsync(App, IPAddress.Loopback, forwardedFor: Outside);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Contains("# TYPE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnknownProxy_HeaderIgnored()
    {
        await using var app = new LotseAppFactory(App.Kind, settings: new Dictionary<string, string> { ["ForwardedHeaders:KnownProxies:0"] = "192.0.2.1" });

        var (status, _) = await ScrapeAsync(app, IPAddress.Loopback, forwardedFor: Outside);

        Assert.Equal(StatusCodes.Status200OK, status);
    }

    /// <summary>GET /metrics as if it came over a connection from <paramref name="from"/> (the in-memory server has none).</summary>
    internal static async Task<(int Status, string Body)> ScrapeAsync(LotseAppFactory app, IPAddress from, IPAddress? forwardedFor = null)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = Metrics.Path;
            c.Connection.RemoteIpAddress = from;
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor.ToString();
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    /// <summary>
    /// The request's duration is recorded as the request ends, a moment after the client has its answer, and the exporter
    /// answers from a short cache: scrape until the series is there.
    /// </summary>
    private static async Task<string> ScrapeUntilAsync(LotseAppFactory app, IPAddress from, string expected)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await ScrapeAsync(app, from);
            Assert.Equal(StatusCodes.Status200OK, status);
            if (body.Contains(expected, StringComparison.Ordinal))
            {
                return body;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"No {expected} in the scrape: {body}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}

public sealed class HealthAndMetricsTestsOnSqlite() : HealthAndMetricsTests(DatabaseKind.Sqlite);

public sealed class HealthAndMetricsTestsOnPostgres() : HealthAndMetricsTests(DatabaseKind.Postgres)
{
    [Fact]
    public async Task Ready_DatabaseRefusesConnections_503WithoutDetails()
    {
        var http = Browser();
        await SetAllowConnectionsAsync(false);
        try
        {
            using var response = await http.GetAsync(Health.ReadyPath);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
            // Liveness asks no dependency: the instance is not restarted for a database outage.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Health.LivePath)).StatusCode);
        }
        finally
        {
            await SetAllowConnectionsAsync(true);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Health.ReadyPath)).StatusCode);
    }

    /// <summary>Closes the app's database to new connections and ends the open ones (a database that went away), or opens it again.</summary>
    private async Task SetAllowConnectionsAsync(bool allow)
    {
        await using var admin = new NpgsqlConnection(PostgresCluster.Instance.ConnectionString("postgres"));
        await admin.OpenAsync();
        var name = App.DatabaseName;
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allow)
        {
            await using var end = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name", admin);
            end.Parameters.AddWithValue("name", name);
            await end.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Readiness with Redis configured: healthy while redis-server answers, 503 once it is gone.</summary>
[Collection(SharedRedis.Name)]
public sealed class HealthWithRedisTests(RedisServer redis) : WebTest(DatabaseKind.Sqlite)
{
    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) =>
        new(databaseKind, redisConfiguration: redis.Configuration, settings: new Dictionary<string, string> { ["Redis:ChannelPrefix"] = "lotse-" + Guid.NewGuid().ToString("N")[..12] });

    [Fact]
    public async Task Ready_RedisAnswers_Healthy()
    {
        using var response = await Browser().GetAsync(Health.ReadyPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_RedisStops_503WithoutDetails()
    {
        // A Redis of this test's own (the app needs Redis to start: it subscribes to ended sessions), stopped under it.
        var own = new RedisServer();
        await own.InitializeAsync();
        try
        {
            await using var app = new LotseAppFactory(App.Kind, redisConfiguration: own.Configuration);
            using var http = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Health.ReadyPath)).StatusCode);

            await own.DisposeAsync();
            using var ready = await http.GetAsync(Health.ReadyPath);
            using var live = await http.GetAsync(Health.LivePath);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            // Stopped above already unless the test failed before; stopping twice is harmless.
            await own.DisposeAsync();
        }
    }
}
