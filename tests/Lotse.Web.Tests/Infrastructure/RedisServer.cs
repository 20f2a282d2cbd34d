using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// A private Redis for the tests of one collection: Debian's redis-server as a child process on a free loopback port,
/// in a temp folder, without persistence; killed (and its folder deleted) when the collection is done.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private Process? _process;
    private string? _folder;

    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var binary = FindBinary();
        _folder = Path.Combine(Path.GetTempPath(), "lotse-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        Port = LoopbackSmtpServer.FreePort();

        var psi = new ProcessStartInfo(binary)
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder })
        {
            psi.ArgumentList.Add(arg);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {binary}.");
        // A test run that is killed does not reach DisposeAsync; the server must not outlive it either way.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Heard(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            if (line?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        }

        _process.OutputDataReceived += (_, e) => Heard(e.Data);
        _process.ErrorDataReceived += (_, e) => Heard(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(StartTimeout));
        if (first != ready.Task || !await AnswersPingAsync())
        {
            Kill();
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            throw new InvalidOperationException($"redis-server on port {Port} did not start: {log}");
        }
    }

    public Task DisposeAsync()
    {
        Kill();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "redis-server"))
            .Prepend("/usr/bin/redis-server");
        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "redis-server not found. Run ./test.sh (it installs Debian's redis-server) or apt-get install redis-server.");
    }
}

/// <summary>The test classes that share one <see cref="RedisServer"/>; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedis : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}
