using Lotse.Web.Data;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Lotse.Web.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real app (Program) on a database of its own: a fresh SQLite file, or a fresh database in the
/// throwaway PostgreSQL cluster. Migrations run at start-up exactly as in production. Time is a
/// <see cref="FakeTimeProvider"/> that tests move.
/// <para>
/// Several instances of the app: give the next one the first one's <see cref="DatabaseName"/> (it then joins that
/// database and leaves deleting it to the first) and the same <c>redisConfiguration</c> and <c>settings</c>. Start them
/// one after the other: the first migrates and adds the roles, for the next one both find nothing to do. Each instance
/// has its own <see cref="Clock"/>.
/// </para>
/// </summary>
public class LotseAppFactory : WebApplicationFactory<Program>
{
    /// <summary>The address the test clients and hub connections use.</summary>
    public static readonly Uri HttpsBase = new("https://localhost/");

    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private readonly string? _sqliteFile;
    private readonly bool _ownsDatabase;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="redisConfiguration">Redis:Configuration: with it the app runs as one of several instances (backplane, shared presence).</param>
    /// <param name="settings">More configuration, e.g. Redis:ChannelPrefix.</param>
    public LotseAppFactory(
        DatabaseKind kind,
        bool seedDemoData = false,
        DateTimeOffset? start = null,
        string? databaseName = null,
        string? redisConfiguration = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        Kind = kind;
        SeedDemoData = seedDemoData;
        Clock = new FakeTimeProvider(start ?? DefaultStart);
        RedisConfiguration = redisConfiguration;
        _settings = settings ?? new Dictionary<string, string>();
        _ownsDatabase = databaseName is null;
        // As in production, over https: the app's cookies are Secure (__Host-), and the test client's cookie jar
        // sends them only over https. (The browser tests serve http on 127.0.0.1, a secure context for Chromium.)
        ClientOptions.BaseAddress = HttpsBase;
        var name = databaseName ?? "lotse_" + Guid.NewGuid().ToString("N");
        DatabaseName = name;
        if (kind == DatabaseKind.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "lotse-tests");
            Directory.CreateDirectory(folder);
            _sqliteFile = Path.Combine(folder, name + ".db");
            ConnectionString = $"Data Source={_sqliteFile}";
        }
        else
        {
            ConnectionString = PostgresCluster.Instance.ConnectionString(name);
        }
    }

    public DatabaseKind Kind { get; }

    public bool SeedDemoData { get; }

    public FakeTimeProvider Clock { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite file's name without extension, or the PostgreSQL database: what a further instance joins.</summary>
    public string DatabaseName { get; }

    public string? RedisConfiguration { get; }

    /// <summary>
    /// The session timeouts of production (30/60 min idle, 12 h absolute). Off by default: most tests move the clock by
    /// hours or days while "holding" a cookie, which no real session survives; the session tests switch this on.
    /// </summary>
    public bool RealSessionTimeouts { get; init; }

    /// <summary>Where this app's e-mails land as .eml files.</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "lotse-tests", "mail-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Kind == DatabaseKind.Sqlite ? DataSetup.Sqlite : DataSetup.Postgres);
        builder.UseSetting("ConnectionStrings:Lotse", ConnectionString);
        builder.UseSetting("Demo:Seed", SeedDemoData ? "true" : "false");
        // Tests drive the notification dispatcher and reminder scheduler themselves; mails land in a folder of their own.
        builder.UseSetting("Mail:BackgroundServices", "false");
        // Retention too: its tests call ApplyRetention themselves, or switch the job on to watch it run.
        builder.UseSetting("Retention:BackgroundService", "false");
        builder.UseSetting("Mail:PickupDirectory", MailFolder);
        if (RedisConfiguration is not null)
        {
            builder.UseSetting("Redis:Configuration", RedisConfiguration);
        }

        // Tests post many requests on purpose (200 concurrent mail requests, many sign-ins on one browser-test server);
        // the rate-limit tests set low limits through `settings`, which come after these.
        foreach (var policy in new[] { "Login", "LoginName", "SecondFactor", "Registration", "PasswordReset", "Messages" })
        {
            builder.UseSetting($"RateLimits:{policy}:PermitLimit", "1000000");
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            if (!RealSessionTimeouts)
            {
                services.Configure<SessionTimeouts>(o =>
                {
                    o.StaffIdle = o.ClientIdle = TimeSpan.FromDays(365);
                    o.Absolute = TimeSpan.FromDays(366);
                });
            }
        });
    }

    /// <summary>The in-memory server answers at https://localhost, so that hub connections made from its BaseAddress carry the Secure cookies.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (host.Services.GetService<IServer>() is TestServer server)
        {
            server.BaseAddress = HttpsBase;
        }

        return host;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(MailFolder))
        {
            Directory.Delete(MailFolder, recursive: true);
        }

        // A further instance on another factory's database leaves the file to that factory.
        if (disposing && _sqliteFile is not null && _ownsDatabase)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }

        if (disposing && Kind == DatabaseKind.Postgres)
        {
            ClearPostgresPools(ConnectionString);
        }
    }

    /// <summary>
    /// Gives a test's PostgreSQL connections back to the server at once: idle pooled connections would otherwise stay
    /// open for minutes after the test and, with the test classes running in parallel, exceed the cluster's
    /// max_connections. The app's pool is keyed by the string with its Npgsql defaults
    /// (<see cref="DataSetup.WithNpgsqlDefaults"/>), a test's own contexts by the plain one: both are cleared.
    /// </summary>
    public static void ClearPostgresPools(string connectionString)
    {
        foreach (var s in new[] { connectionString, DataSetup.WithNpgsqlDefaults(connectionString) })
        {
            using var connection = new Npgsql.NpgsqlConnection(s);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }
}
