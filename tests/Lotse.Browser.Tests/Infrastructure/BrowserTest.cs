using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lotse.Browser.Tests.Infrastructure;

/// <summary>
/// Base of every browser test: fresh browser contexts (each its own cookie jar, i.e. its own person),
/// the real login form, and a full-page screenshot of every page the test opened, saved when the test ends
/// (pass or fail) to artifacts/screenshots/&lt;Test&gt;[-&lt;who&gt;].png under the repository root.
/// <para>
/// Every page runs under the app's real Content-Security-Policy; a test during which a page reported a violation
/// (a <c>securitypolicyviolation</c> event or the browser's console message about one) fails when it ends.
/// </para>
/// </summary>
[Collection(BrowserTests.Name)]
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    public const string AnnaName = "Anna Berger";

    /// <summary>Live updates must arrive within about a second; two seconds is the most a test waits for one.</summary>
    protected const float LiveTimeout = 2_000;

    protected static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    protected static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly List<(IBrowserContext Context, IPage Page, string Label)> _pages = [];
    private readonly List<LotseServer> _ownServers = [];
    private string _testName = "";

    /// <summary>What the CSP blocked in this test's pages; the test fails at its end unless this is empty.</summary>
    protected CspViolations Csp { get; } = new();

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (context, page, label) in _pages)
        {
            try
            {
                if (!page.IsClosed)
                {
                    await SaveScreenshotAsync(page, label);
                }
            }
            catch (PlaywrightException)
            {
                // A page that cannot be photographed any more must not hide the test's own result.
            }

            await context.CloseAsync();
        }

        // Only after the pages are gone: an open live connection would hold the server's shutdown for its full grace period.
        foreach (var server in _ownServers)
        {
            await server.DisposeAsync();
        }

        Csp.AssertNone(_testName);
    }

    /// <summary>An app of this test's own, for a test that changes demo state; stopped when the test ends.</summary>
    protected async Task<LotseServer> StartOwnServerAsync()
    {
        var server = await LotseServer.StartAsync();
        _ownServers.Add(server);
        return server;
    }

    /// <summary>Opens a page in a fresh context (a new person) on <paramref name="server"/>.</summary>
    /// <param name="label">Who looks at the page; part of the screenshot name when a test opens several.</param>
    protected async Task<IPage> OpenAsync(LotseServer server, string label = "", ViewportSize? viewport = null, [CallerMemberName] string test = "")
    {
        ArgumentNullException.ThrowIfNull(server);
        _testName = test;
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseUrl.ToString().TrimEnd('/'),
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
            ViewportSize = viewport ?? Desktop,
        });
        await Csp.WatchAsync(context);
        var page = await context.NewPageAsync();
        _pages.Add((context, page, label));
        return page;
    }

    /// <summary>Opens a page and signs in through the real login form.</summary>
    protected async Task<IPage> OpenSignedInAsync(LotseServer server, string login, string label = "", ViewportSize? viewport = null, [CallerMemberName] string test = "")
    {
        var page = await OpenAsync(server, label, viewport, test);
        await LoginAsync(page, login);
        return page;
    }

    /// <summary>
    /// Signs in through the real login form; for an account with a second factor (every demo staff member) it types a
    /// code from the authenticator key into the second step, at a time step not used before for that person.
    /// </summary>
    protected static Task LoginAsync(IPage page, string login, string password = DemoData.Password) => SignInThroughFormAsync(page, login, password);

    /// <inheritdoc cref="LoginAsync"/>
    public static async Task SignInThroughFormAsync(IPage page, string login, string password = DemoData.Password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/anmelden");
        await page.GetByLabel("E-Mail-Adresse oder Nickname").FillAsync(login);
        await page.GetByLabel("Passwort", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden", Exact = true }).ClickAsync();
        var signedIn = page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" });
        var code = page.GetByLabel("Code", new() { Exact = true });
        await Assertions.Expect(signedIn.Or(code)).ToBeVisibleAsync();
        if (await code.IsVisibleAsync())
        {
            await code.FillAsync(await TotpCodes.NextAsync(LotseServer.ServicesAt(page.Url), login));
            await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();
        }

        await Assertions.Expect(signedIn).ToBeVisibleAsync();
    }

    /// <summary>From the counsellor list to one counsellor's profile, as a client clicks there; waits until the page listens live.</summary>
    protected static async Task<string> OpenCounsellorProfileAsync(IPage page, string displayName = AnnaName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/berater");
        await page.GetByRole(AriaRole.Link, new() { Name = displayName, Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(ProfileUrl());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = displayName, Level = 1 })).ToBeVisibleAsync();
        // Only once the page has joined the counsellor's live group can it hear about a change.
        await Assertions.Expect(page.Locator("#availability-live")).ToHaveAttributeAsync("data-live", "true");
        return new Uri(page.Url).AbsolutePath;
    }

    /// <summary>An extra screenshot of a moment inside the test: &lt;Test&gt;-&lt;step&gt;.png.</summary>
    protected Task ScreenshotAsync(IPage page, string step) => SaveScreenshotAsync(page, step);

    /// <summary>Runs axe-core in the page and returns its serious and critical violations, one readable line each.</summary>
    protected static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Axe.InjectAsync(page);
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const result = await axe.run(document, { resultTypes: ["violations"] });
                return {
                    checkedRules: result.passes.length + result.violations.length,
                    serious: result.violations
                        .filter(v => v.impact === "serious" || v.impact === "critical")
                        .map(v => `${v.impact} ${v.id}: ${v.help} -> ${v.nodes.map(n => n.target.join(" ") + " (" + n.failureSummary.replace(/\s+/g, " ") + ")").join("; ")}`),
                };
            }
            """);
        // Guards against a vacuous pass: axe must really have looked at the page.
        Assert.True(result.GetProperty("checkedRules").GetInt32() > 0, "axe-core checked no rule on " + page.Url);
        return result.GetProperty("serious").EnumerateArray().Select(v => v.GetString() ?? "").ToList();
    }

    /// <summary>True when the page is wider than its viewport, i.e. the user would have to scroll sideways.</summary>
    protected static Task<bool> ScrollsHorizontallyAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");

    protected static Regex ProfileUrl() => new(@"/berater/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private async Task SaveScreenshotAsync(IPage page, string suffix)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var name = string.IsNullOrEmpty(suffix) ? _testName : $"{_testName}-{suffix}";
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lotse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lotse.slnx not found above " + AppContext.BaseDirectory);
    }
}
