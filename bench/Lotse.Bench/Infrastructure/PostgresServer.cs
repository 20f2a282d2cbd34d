using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for one benchmark run, made like the web tests make theirs: initdb into the run's
/// folder, pg_ctl start on a free loopback port, stopped when the run ends. Unlike the tests it keeps PostgreSQL's
/// durability defaults (fsync, synchronous_commit) unless asked otherwise, because the numbers should be what a
/// production server would see.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _binDir;
    private readonly string _root;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string binDir, string root, int port, bool asPostgresUser)
    {
        _binDir = binDir;
        _root = root;
        _dataDir = Path.Combine(root, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The server's log (pg_ctl -l), where auto_explain writes its plans.</summary>
    public string LogPath => Path.Combine(_root, "server.log");

    public string Version { get; private set; } = "";

    /// <summary>The postmaster's process id: its children are the backends whose CPU time the report adds up.</summary>
    public int? PostmasterPid =>
        File.Exists(Path.Combine(_dataDir, "postmaster.pid")) && int.TryParse(File.ReadLines(Path.Combine(_dataDir, "postmaster.pid")).First(), out var pid) ? pid : null;

    public string ConnectionString(string database, int maxPoolSize) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Maximum Pool Size={maxPoolSize}";

    /// <param name="root">A folder of the run; the cluster lives in root/data. A cluster already there (a generated
    /// installation) is started as it is.</param>
    /// <param name="settings">Extra server settings ("name=value").</param>
    public static async Task<PostgresServer> StartAsync(string root, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var binDir = FindBinDir();
        Directory.CreateDirectory(root);
        // PostgreSQL refuses to run as root: then the cluster belongs to the 'postgres' system user.
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], asPostgresUser: false, cancellationToken);
        }

        var server = new PostgresServer(binDir, root, Ports.Free(), asPostgres);
        if (!File.Exists(Path.Combine(server._dataDir, "PG_VERSION")))
        {
            await server.PgAsync("initdb", ["-D", server._dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);
        }

        var options = string.Join(' ', new[] { $"-p {server.Port}", $"-k {root}", "-c listen_addresses=127.0.0.1" }
            .Concat(settings.Select(s => "-c " + s)));
        await server.PgAsync("pg_ctl", ["-D", server._dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start"], cancellationToken);
        server.Version = Path.GetFileName(Path.GetDirectoryName(binDir)) ?? "";
        return server;
    }

    /// <summary>Creates pg_stat_statements in the database (the server must preload it) so a run can see where the database time goes.</summary>
    public static async Task EnableStatementsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task ResetStatementsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        await reset.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statements that took the most database time since the last reset: calls, mean and total milliseconds.</summary>
    public static async Task<IReadOnlyList<(long Calls, double MeanMs, double TotalMs, string Query)>> TopStatementsAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var top = new NpgsqlCommand(
            "SELECT calls, mean_exec_time, total_exec_time, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements " +
            "WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT @count", connection);
        top.Parameters.AddWithValue("count", count);
        var rows = new List<(long, double, double, string)>();
        await using var reader = await top.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>Deadlocks PostgreSQL detected in the current database since the cluster started (each one aborted a transaction).</summary>
    public static async Task<long> DeadlocksAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var deadlocks = new NpgsqlCommand("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await deadlocks.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"Could not stop the benchmark's PostgreSQL cluster in {_root}: {e.Message}");
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDir, tool), args, _asPostgresUser, cancellationToken);

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgresUser, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(asPostgresUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                psi.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish in time.");
        }

        if (process.ExitCode != 0)
        {
            var output = await stdout + " " + await stderr;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {output}"));
        }
    }

    private static string FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        var dir = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return dir ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql (./test.sh does), or pass --connection-string for a server of your own.");
    }
}

public static class Ports
{
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
