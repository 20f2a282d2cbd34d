using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// Debian's nginx in front of app instances, run with the configuration Lotse ships (deploy/nginx/lotse.conf): only the
/// instance ports, the listen address (a free loopback port) and the certificate paths are replaced. It terminates TLS
/// with a certificate made for this run (the app's cookies are Secure, as in production). Everything it writes (pid,
/// logs, temp files) stays in a temp folder, so it runs as any user; the process and folder go when it is disposed.
/// Every answer carries the instance that served it in <see cref="UpstreamHeader"/> (added by the test's own outer
/// configuration, not by the shipped file).
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    /// <summary>"127.0.0.1:port" of the instance that answered (nginx's $upstream_addr; two, comma-separated, after a retry).</summary>
    public const string UpstreamHeader = "X-Lotse-Upstream";

    /// <summary>The ports the shipped file names for its two instances.</summary>
    private static readonly string[] ShippedInstances = ["127.0.0.1:5081", "127.0.0.1:5082"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _folder;

    private NginxServer(Process process, string folder, Uri url, string certificateHash)
    {
        _process = process;
        _folder = folder;
        Url = url;
        CertificateHash = certificateHash;
    }

    /// <summary>https://127.0.0.1:port/</summary>
    public Uri Url { get; }

    /// <summary>SHA-256 of the certificate nginx presents: the one a client of this test accepts.</summary>
    public string CertificateHash { get; }

    public static async Task<NginxServer> StartAsync(IReadOnlyList<int> instancePorts)
    {
        ArgumentNullException.ThrowIfNull(instancePorts);
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"{Binary} not found: the two-instance test needs Debian's nginx. Run ./test.sh (it installs it) or apt-get install nginx.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "lotse-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            var port = LoopbackSmtpServer.FreePort();
            var hash = WriteCertificate(folder);
            File.WriteAllText(Path.Combine(folder, "lotse.conf"), SiteConfiguration(port, instancePorts, folder));
            var main = Path.Combine(folder, "nginx.conf");
            File.WriteAllText(main, MainConfiguration(folder));

            var psi = new ProcessStartInfo(Binary)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            foreach (var arg in new[] { "-e", Path.Combine(folder, "error.log"), "-p", folder + "/", "-c", main, "-g", "daemon off;" })
            {
                psi.ArgumentList.Add(arg);
            }

            var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {Binary}.");
            var nginx = new NginxServer(process, folder, new Uri($"https://127.0.0.1:{port}/"), hash);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => nginx.Kill();
            try
            {
                await nginx.WaitUntilListeningAsync(port);
            }
            catch
            {
                await nginx.DisposeAsync();
                throw;
            }

            return nginx;
        }
        catch
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Accepts exactly the certificate of this nginx (for HttpClientHandler and the WebSocket options).</summary>
    public bool IsOurs(X509Certificate? certificate) =>
        certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), CertificateHash, StringComparison.OrdinalIgnoreCase);

    public string ErrorLog()
    {
        var file = Path.Combine(_folder, "error.log");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The shipped file with its example ports, listen address and certificate paths replaced; each must be there.</summary>
    private static string SiteConfiguration(int port, IReadOnlyList<int> instancePorts, string folder)
    {
        var shipped = File.ReadAllText(ShippedFile());
        var replacements = new List<(string Shipped, string Here)>
        {
            ("listen 443 ssl;", $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)} ssl;"),
            ("/etc/ssl/lotse/fullchain.pem", Path.Combine(folder, "certificate.pem")),
            ("/etc/ssl/lotse/privkey.pem", Path.Combine(folder, "key.pem")),
        };
        replacements.AddRange(ShippedInstances.Zip(instancePorts, (s, p) => ($"server {s} ", $"server 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)} ")));
        foreach (var (from, to) in replacements)
        {
            if (!shipped.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"deploy/nginx/lotse.conf no longer contains \"{from}\", which the test replaces.");
            }

            shipped = shipped.Replace(from, to, StringComparison.Ordinal);
        }

        return shipped;
    }

    /// <summary>What /etc/nginx/nginx.conf gives a site file on a server, with every path in the temp folder.</summary>
    private static string MainConfiguration(string folder) => $$"""
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log info;
        events {
            worker_connections 256;
        }
        http {
            access_log {{folder}}/access.log;
            client_body_temp_path {{folder}}/client_body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            add_header {{UpstreamHeader}} $upstream_addr always;
            include {{folder}}/lotse.conf;
        }
        """;

    /// <summary>A self-signed certificate for 127.0.0.1, valid around now (the real clock: TLS checks it).</summary>
    private static string WriteCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "certificate.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    private static string ShippedFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lotse.slnx")))
        {
            dir = dir.Parent;
        }

        return dir is not null
            ? Path.Combine(dir.FullName, "deploy", "nginx", "lotse.conf")
            : throw new InvalidOperationException($"No Lotse.slnx above {AppContext.BaseDirectory}.");
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                var output = await _process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {output} {ErrorLog()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: ask again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        throw new TimeoutException($"nginx did not listen on port {port} within {StartTimeout}: {ErrorLog()}");
    }

    private void Kill()
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
}
