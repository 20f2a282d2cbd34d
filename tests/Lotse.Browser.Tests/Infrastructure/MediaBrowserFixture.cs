using System.Net;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Lotse.Browser.Tests.Infrastructure;

/// <summary>
/// A chromium of its own for the appointment room's video tests: like <see cref="BrowserFixture"/>'s, plus Chromium's
/// fake camera and microphone (a test pattern and a beep) and an automatic "allow" for the permission prompt.
/// Those switches hold for the whole browser, so the other browser tests keep theirs without them.
/// With it comes the app on Kestrel at http://127.0.0.1:&lt;free port&gt; (a secure context, so getUserMedia exists),
/// on a fresh SQLite file with the demo data, and its services, so that a test can add the appointment it needs.
/// </summary>
public sealed class MediaBrowserFixture : IAsyncLifetime, IAsyncDisposable
{
    private IPlaywright? _playwright;
    private LotseAppFactory? _app;
    private WebApplicationFactory<Program>? _host;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The app has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath))
        {
            throw new InvalidOperationException($"No chromium at {BrowserFixture.ChromiumPath}. Run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        StartApp();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = [.. BrowserFixture.BaseArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        LotseServer.Unregister(BaseUrl);
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

    // As LotseServer does it (which does not hand out its services): the app's clock starts at real time, because the
    // browser's is real; static web assets come from the build output, as with `dotnet run`.
    private void StartApp()
    {
        _app = new LotseAppFactory(DatabaseKind.Sqlite, seedDemoData: true, start: TimeProvider.System.GetUtcNow());
        _host = _app.WithWebHostBuilder(web => web.UseStaticWebAssets());
        _host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _host.StartServer();
        var address = new Uri(_host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        if (address.Host != "127.0.0.1")
        {
            throw new InvalidOperationException($"Kestrel must listen on 127.0.0.1 only, but listens on {address}.");
        }

        BaseUrl = address;
        LotseServer.Register(address, () => Services);
    }
}
