using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for this test run: initdb into a temp folder, pg_ctl start on a free
/// loopback port, stopped (and deleted) when the test process ends. One cluster per process; every test
/// gets its own database in it.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDir;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string binDir, string dataDir, int port, bool asPostgresUser)
    {
        _binDir = binDir;
        _dataDir = dataDir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    public static PostgresCluster Instance => Shared.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Include Error Detail=true;Pooling=true;Maximum Pool Size=40";

    private const string FolderPrefix = "lotse-pg-";

    private static PostgresCluster Start()
    {
        var binDir = FindBinDir();
        RemoveAbandoned();
        var root = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(root);

        // PostgreSQL refuses to run as root: then the cluster belongs to the 'postgres' system user.
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            Run("chown", ["-R", "postgres:postgres", root], asPostgresUser: false);
        }

        var port = FreePort();
        var cluster = new PostgresCluster(binDir, dataDir, port, asPostgres);
        cluster.Pg("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        cluster.Pg("pg_ctl", [
            "-D", dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            "start",
        ]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(root);
        return cluster;
    }

    private void Stop(string root)
    {
        try
        {
            Pg("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
            Directory.Delete(root, recursive: true);
        }
        catch (InvalidOperationException)
        {
            // The process is ending; a cluster left behind is removed by the next test run (RemoveAbandoned).
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Deletes clusters that earlier test processes left behind (a test host killed before its exit handler ran keeps
    /// its folder, gigabytes each, until the disk is full): a folder older than an hour whose server is not running.
    /// A cluster of a test process running now is never touched: its postmaster.pid names a live process.
    /// </summary>
    private static void RemoveAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                var pidFile = Path.Combine(folder, "data", "postmaster.pid");
                var running = File.Exists(pidFile)
                    && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                    && Directory.Exists($"/proc/{pid}");
                if (!running && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // Another test process is cleaning up the same folder, or it is in use: leave it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Pg(string tool, IReadOnlyList<string> args) =>
        Run(Path.Combine(_binDir, tool), args, _asPostgresUser);

    private static void Run(string file, IReadOnlyList<string> args, bool asPostgresUser)
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish in time.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stdout.Result} {stderr.Result}");
        }
    }

    private static string FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        var dir = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return dir ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql. Run ./test.sh (it installs Debian's postgresql) or apt-get install postgresql.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
