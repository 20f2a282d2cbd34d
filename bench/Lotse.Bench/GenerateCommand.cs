using System.Diagnostics;
using System.Globalization;
using Lotse.Bench.Generator;
using Lotse.Bench.Infrastructure;
using Lotse.Web.Data;

namespace Lotse.Bench;

/// <summary>
/// <c>generate</c>: fills a database with a large installation (issue 9): by default a new PostgreSQL cluster in
/// <c>--folder</c> that <c>load --reuse</c> starts again, or a SQLite file there, or any database by connection string.
/// </summary>
public static class GenerateCommand
{
    private const string Usage = "dotnet run --project bench/Lotse.Bench -c Release -- generate [options]";

    /// <summary>The database name inside a generated cluster.</summary>
    public const string DatabaseName = "lotse_bench";

    public static async Task<int> RunAsync(string[] args)
    {
        string database;
        string? connectionString;
        string folder;
        int seed;
        double scale;
        try
        {
            var o = new Options(args);
            database = o.Text("database", "postgres", "postgres or sqlite");
            connectionString = o.OptionalText("connection-string", "an empty database of your own instead of a new one in --folder");
            folder = o.Text("folder", Path.Combine(Path.GetTempPath(), "lotse-installation"), "where the new PostgreSQL cluster (folder/pg) or SQLite file (folder/lotse.db) goes; load --reuse takes it");
            seed = o.WholeNumber("seed", 42, "seed of every random choice: the same seed on the same day gives the same installation");
            scale = o.Number("scale", 1.0, "1.0 = 100 agencies, 5,000 counsellors, 500,000 clients, 2,000,000 messages, 500,000 appointments, 20,000 absences");
            if (o.Help)
            {
                o.PrintHelp(Console.Out, Usage);
                return 0;
            }

            o.RejectUnknown();
            if (database is not ("postgres" or "sqlite") || scale is <= 0 or > 10)
            {
                throw new OptionException("--database is postgres or sqlite; --scale lies in (0, 10].");
            }
        }
        catch (OptionException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var size = InstallationSize.At(scale);
        Console.WriteLine($"Machine:  {Machine.Describe()}");
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) before the run");
        var clock = Stopwatch.StartNew();
        var isPostgres = database == "postgres";
        await using var postgres = isPostgres && connectionString is null
            ? await PostgresServer.StartAsync(Path.Combine(folder, "pg"), ["max_wal_size=4GB", "checkpoint_timeout=30min"], cancel.Token)
            : null;
        connectionString ??= postgres is not null ? postgres.ConnectionString(DatabaseName, 10) : $"Data Source={Path.Combine(Directory.CreateDirectory(folder).FullName, "lotse.db")}";
        Console.WriteLine($"Database: {(isPostgres ? "PostgreSQL" : "SQLite")} {ConnectionStrings.Redact(connectionString)}");

        await using var accounts = BenchAccounts.Create(isPostgres ? DataSetup.Postgres : DataSetup.Sqlite, connectionString, AppContext.BaseDirectory);
        var installation = new Installation(accounts.Services, size, seed, line => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}"));
        await installation.RunAsync(cancel.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated {size} in {clock.Elapsed.TotalSeconds:0}s (seed {seed}, scale {scale})."));
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) after the run");
        if (postgres is not null)
        {
            Console.WriteLine($"Reuse it: load --reuse {folder}");
        }

        return 0;
    }
}
