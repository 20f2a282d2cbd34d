using Microsoft.Playwright;

namespace Lotse.Browser.Tests.Infrastructure;

/// <summary>
/// One Playwright driver and one headless chromium (Debian's, never a downloaded one) for the whole run;
/// every test opens fresh browser contexts in it, so no cookie or storage crosses from one test to another.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Debian's chromium offline and quiet, showing German date and time pickers as German users see them.</summary>
    public static readonly string[] BaseArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=de-DE",
    ];

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No chromium at {ChromiumPath}. Run ./test.sh (it installs Debian's chromium) or apt-get install chromium.");
        }

        // A page load on a busy two-core machine can take a few seconds; live updates are asserted with their own, shorter limit.
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = BaseArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>All browser tests share one chromium and run one after another (two cores; live timings stay honest).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
