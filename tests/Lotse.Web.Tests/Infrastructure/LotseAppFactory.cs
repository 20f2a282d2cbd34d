using Lotse.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
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
/// </summary>
public sealed class LotseAppFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private readonly string? _sqliteFile;

    public LotseAppFactory(DatabaseKind kind, bool seedDemoData = false, DateTimeOffset? start = null, string? databaseName = null)
    {
        Kind = kind;
        SeedDemoData = seedDemoData;
        Clock = new FakeTimeProvider(start ?? DefaultStart);
        var name = databaseName ?? "lotse_" + Guid.NewGuid().ToString("N");
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
        builder.UseSetting("Mail:PickupDirectory", MailFolder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(MailFolder))
        {
            Directory.Delete(MailFolder, recursive: true);
        }

        if (disposing && _sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
