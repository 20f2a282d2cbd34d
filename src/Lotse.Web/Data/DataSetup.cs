using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lotse.Web.Data;

public static class DataSetup
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
    private const string DefaultSqlite = "Data Source=data/lotse.db";

    /// <summary>
    /// SQLite file under ./data by default; PostgreSQL with Database:Provider=Postgres. Contexts are pooled (issue 9: a
    /// profile of the dashboard under load put 5–7 % of the app's CPU into setting up a new context per request);
    /// LotseDb keeps no state of its own, and EF Core resets tracking, transactions and connections on return.
    /// </summary>
    public static void AddLotseData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Which committed change moves which cached page (decision 16); shared between instances through Redis.
        builder.Services.AddSingleton<ChangeStamps>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ChangeStamps>());
        builder.Services.AddSingleton<ChangeInterceptor>();
        var provider = builder.Configuration["Database:Provider"] ?? Sqlite;
        var connectionString = builder.Configuration.GetConnectionString("Lotse");

        if (string.Equals(provider, Postgres, StringComparison.OrdinalIgnoreCase))
        {
            var cs = WithNpgsqlDefaults(connectionString ?? throw new InvalidOperationException(
                "Database:Provider=Postgres needs ConnectionStrings:Lotse (e.g. Host=127.0.0.1;Database=lotse;Username=lotse;Password=…)."));
            builder.Services.AddDbContextPool<LotseDb, PostgresLotseDb>((sp, o) => o.UseNpgsql(cs).AddInterceptors(ContentEncryptionInterceptor.Instance, sp.GetRequiredService<ChangeInterceptor>()));
        }
        else if (string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var cs = AnchorSqlite(connectionString ?? DefaultSqlite, builder.Environment.ContentRootPath);
            builder.Services.AddDbContextPool<LotseDb, SqliteLotseDb>((sp, o) => o.UseSqlite(cs).AddInterceptors(ContentEncryptionInterceptor.Instance, sp.GetRequiredService<ChangeInterceptor>()));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use '{Sqlite}' or '{Postgres}'.");
        }

        // Keys in this database; counselling content encrypted with them (ContentEncryptionInterceptor above).
        builder.AddLotseKeyRing();
    }

    /// <summary>Applies the provider's migrations, the roles, and the demo data when the database is empty.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Readers never wait for a writer, and a crash cannot leave a half-written page behind.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        KeyRingSetup.EnsureCurrentKey(app.Services);
        await Roles.EnsureAsync(scope.ServiceProvider, cancellationToken);

        if (app.Configuration.GetValue("Demo:Seed", true))
        {
            var seeded = await DemoData.SeedIfEmptyAsync(scope.ServiceProvider, cancellationToken);
            if (seeded)
            {
                DemoData.PrintLogins(Console.Out);
            }
        }
    }

    /// <summary>
    /// Npgsql settings the app runs best with, each only where the connection string does not set it (docs/operations.md):
    /// a statement that repeats is prepared once per connection (<c>Max Auto Prepare</c>; PostgreSQL then skips parsing and
    /// planning it), and a connection handed back to the pool is not reset (<c>No Reset On Close</c>: the app keeps no
    /// session state, no <c>SET</c>, temporary tables, <c>LISTEN</c> or session locks, so a reset would be a round trip
    /// that changes nothing). Together they cut PostgreSQL's CPU per chat message to about a third (docs/benchmarks.md).
    /// </summary>
    public static string WithNpgsqlDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var csb = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare"))
        {
            csb.MaxAutoPrepare = MaxAutoPrepared;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            csb.NoResetOnClose = true;
        }

        return csb.ConnectionString;
    }

    /// <summary>More than the distinct statements of the busiest paths (chat message, mail request, dashboard) together.</summary>
    private const int MaxAutoPrepared = 64;

    /// <summary>
    /// A relative SQLite path means "under the app's content root", whatever folder the app was started from;
    /// its folder is created so that the first start just works.
    /// </summary>
    private static string AnchorSqlite(string connectionString, string contentRoot)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (csb.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || csb.DataSource is "" or ":memory:")
        {
            return connectionString;
        }

        csb.DataSource = Path.GetFullPath(csb.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        return csb.ToString();
    }
}

/// <summary>Lets `dotnet ef migrations add X --context SqliteLotseDb` build the model without the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLotseDb>
{
    public SqliteLotseDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLotseDb>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets `dotnet ef migrations add X --context PostgresLotseDb` build the model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLotseDb>
{
    public PostgresLotseDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLotseDb>().UseNpgsql("Host=127.0.0.1;Database=design").Options);
}
