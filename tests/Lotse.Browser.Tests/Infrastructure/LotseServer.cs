using System.Net;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Browser.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel at http://127.0.0.1:&lt;free port&gt; (loopback only; 127.0.0.1 is a secure context),
/// on a fresh SQLite file with the demo data seeded around the real current time.
/// As a class fixture it serves the tests of one class that only read; a test that changes demo state
/// starts its own (<see cref="BrowserTest.StartOwnServerAsync"/>).
/// </summary>
public sealed class LotseServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<IServiceProvider>> Running = new(StringComparer.Ordinal);

    private LotseAppFactory? _app;
    private WebApplicationFactory<Program>? _host;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Where this app drops its e-mails as .eml files (the invitation link is read from there).</summary>
    public string MailFolder => _app?.MailFolder ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>The app's services (database, clock): what the sign-in helper needs to answer the second step.</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>The services of the running app that serves <paramref name="pageUrl"/> (a page's address).</summary>
    public static IServiceProvider ServicesAt(string pageUrl) =>
        Running.TryGetValue(new Uri(pageUrl).GetLeftPart(UriPartial.Authority), out var services)
            ? services()
            : throw new InvalidOperationException($"No test app serves {pageUrl}.");

    /// <summary>Makes an app found by <see cref="ServicesAt"/> (every test app registers itself when it starts).</summary>
    public static void Register(Uri baseUrl, Func<IServiceProvider> services)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        Running[baseUrl.GetLeftPart(UriPartial.Authority)] = services;
    }

    public static void Unregister(Uri? baseUrl)
    {
        if (baseUrl is not null)
        {
            Running.TryRemove(baseUrl.GetLeftPart(UriPartial.Authority), out _);
        }
    }

    public static async Task<LotseServer> StartAsync()
    {
        var server = new LotseServer();
        await server.InitializeAsync();
        return server;
    }

    public Task InitializeAsync()
    {
        // The demo data is laid around "now"; the browser's clock is real, so the app's clock starts at real time.
        _app = new LotseAppFactory(DatabaseKind.Sqlite, seedDemoData: true, start: TimeProvider.System.GetUtcNow());
        // Outside "Development" the app serves its assets from a published wwwroot; a test runs from the build output,
        // so it maps the build's static web assets (fingerprinted, compressed) as `dotnet run` does.
        _host = _app.WithWebHostBuilder(web => web.UseStaticWebAssets());
        _host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _host.StartServer();

        var addresses = _host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = new Uri(addresses.Single());
        if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host)) || address.Host != "127.0.0.1")
        {
            throw new InvalidOperationException($"Kestrel must listen on 127.0.0.1 only, but listens on {address}.");
        }

        BaseUrl = address;
        Register(address, () => Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Unregister(BaseUrl);

        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
