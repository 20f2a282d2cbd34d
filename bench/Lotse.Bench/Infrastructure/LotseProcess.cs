using System.Diagnostics;
using System.Net;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// The real app as its own process (Kestrel on a free loopback port), started from its build output, so that its CPU
/// is measured apart from the driver's. Settings are passed as environment variables; nothing in the app is changed.
/// </summary>
public sealed class LotseProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private LotseProcess(Process process, StreamWriter log, Uri url, string contentRoot, string appHome)
    {
        _process = process;
        _log = log;
        Url = url;
        ContentRoot = contentRoot;
        AppHome = appHome;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>The app's content root (its working directory).</summary>
    public string ContentRoot { get; }

    /// <summary>LOCALAPPDATA of the app process: a folder of the run, so that nothing the app might keep there lands in the user's home.</summary>
    public string AppHome { get; }

    /// <summary>
    /// How every benchmark runs the app: on the given database, without demo data, background mail and retention jobs,
    /// logging at Warning; the login limits raised, because one address signs in many users and they are not measured.
    /// </summary>
    public static Dictionary<string, string> Settings(string provider, string connectionString) => new()
    {
        ["Database:Provider"] = provider,
        ["ConnectionStrings:Lotse"] = connectionString,
        ["Demo:Seed"] = "false",
        ["Mail:BackgroundServices"] = "false",
        ["Retention:BackgroundService"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Warning",
        ["RateLimits:Login:PermitLimit"] = "100000000",
        ["RateLimits:LoginName:PermitLimit"] = "100000000",
    };

    /// <summary>The given path, or the Release build of Lotse.Web in the repository the bench runs from.</summary>
    public static string FindAppDll(string? given)
    {
        if (given is not null)
        {
            return Path.GetFullPath(given);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lotse.slnx")))
        {
            dir = dir.Parent;
        }

        var dll = dir is null ? null : Path.Combine(dir.FullName, "src", "Lotse.Web", "bin", "Release", "net10.0", "Lotse.Web.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new OptionException("Lotse.Web.dll not found: build with `dotnet build Lotse.slnx -c Release` or pass --app-dll.");
    }

    public static async Task<LotseProcess> StartAsync(string appDll, string runDir, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var url = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var contentRoot = Path.GetDirectoryName(Path.GetFullPath(appDll))!;
        var appHome = Path.Combine(runDir, "app-home");
        Directory.CreateDirectory(appHome);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(appDll);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        psi.Environment["Urls"] = url.ToString().TrimEnd('/');
        // The data-protection key ring lives in the app's database (the bench issues cookies with it, see BenchAccounts);
        // LOCALAPPDATA is still a folder of this run, so that nothing the app might keep there lands in the user's home.
        psi.Environment["LOCALAPPDATA"] = appHome;
        foreach (var (key, value) in settings)
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var log = new StreamWriter(Path.Combine(runDir, "app.log")) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the app.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new LotseProcess(process, log, url, contentRoot, appHome);
        await app.WaitUntilReadyAsync(runDir, cancellationToken);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Migrations run before Kestrel listens: the sign-in page answering means the database is ready too.</summary>
    private async Task WaitUntilReadyAsync(string runDir, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} while starting; see {Path.Combine(runDir, "app.log")}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/anmelden", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Busy migrating; ask again.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The app did not answer within 3 minutes; see {Path.Combine(runDir, "app.log")}.");
    }
}
