using System.Diagnostics;
using System.Net;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// The real app as a process of its own: <c>src/Lotse.Web/bin/&lt;configuration&gt;/net10.0/Lotse.Web.dll</c> (the build
/// of the same configuration as the tests), Kestrel on a free loopback port, in the Production environment, settings as
/// environment variables. What a test needs when an instance must really stop (its process killed), which an in-memory
/// test server cannot. (The bench has its own LotseProcess for measuring; this one serves the tests.)
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>Every line the app wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToList();
            }
        }
    }

    /// <summary>Starts the app and returns once <c>/health/live</c> answers (migrations run before Kestrel listens).</summary>
    public static async Task<AppProcess> StartAsync(string workFolder, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = AppDll();
        var url = new Uri($"http://127.0.0.1:{LoopbackSmtpServer.FreePort()}");
        var home = Path.Combine(workFolder, "home-" + url.Port);
        Directory.CreateDirectory(home);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = url.GetLeftPart(UriPartial.Authority);
        psi.Environment["Urls"] = url.GetLeftPart(UriPartial.Authority);
        // Nothing the app might keep in a home folder lands in the user's.
        psi.Environment["HOME"] = home;
        psi.Environment["LOCALAPPDATA"] = home;
        foreach (var (key, value) in settings)
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var app = new AppProcess(process, url);
        process.OutputDataReceived += (_, e) => app.Heard(e.Data);
        process.ErrorDataReceived += (_, e) => app.Heard(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A test run that is killed does not reach DisposeAsync; the app must not outlive it either way.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.Kill();
        try
        {
            await app.WaitUntilLiveAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Ends the process at once, as a crash or a killed container would: no goodbye to anyone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
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

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Heard(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private async Task WaitUntilLiveAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app on port {Port} exited with {_process.ExitCode} while starting:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            // Nothing to wait on but the port: ask again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"The app on port {Port} did not answer /health/live within {StartTimeout}:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");
    }

    /// <summary>The app's build output of the configuration these tests were built in (Release on CI).</summary>
    private static string AppDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Lotse.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No Lotse.slnx above {AppContext.BaseDirectory}.");
        }

        var dll = Path.Combine(root.FullName, "src", "Lotse.Web", "bin", configuration, framework, "Lotse.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found: build the solution first (dotnet build Lotse.slnx -c {configuration}).");
    }
}
