using Microsoft.Playwright;

namespace Lotse.Browser.Tests.Infrastructure;

/// <summary>
/// What the app's Content-Security-Policy blocked in the pages of the browser contexts it watches: the
/// <c>securitypolicyviolation</c> DOM event (directive and what was blocked), reported through a binding that DevTools
/// provides and the CSP cannot block, and the console message chromium writes for each refusal. A test asserts
/// <see cref="AssertNone"/> when it ends, so a page that needs something the CSP forbids fails the test that opened it.
/// </summary>
public sealed class CspViolations
{
    private readonly Lock _lock = new();
    private readonly List<string> _seen = [];

    /// <summary>Call before the context's first page opens.</summary>
    public async Task WatchAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.ExposeBindingAsync("__lotseCspViolation", (BindingSource source, string report) => Record($"{source.Page?.Url}: {report}"));
        await context.AddInitScriptAsync("""
            document.addEventListener("securitypolicyviolation", e =>
                window.__lotseCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
            """);
        context.Page += (_, page) => page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                Record($"{page.Url}: console: {message.Text}");
            }
        };
    }

    /// <summary>The violations so far, which then no longer count against the test (for a test that provokes one).</summary>
    public IReadOnlyList<string> Take()
    {
        lock (_lock)
        {
            var taken = _seen.ToList();
            _seen.Clear();
            return taken;
        }
    }

    public void AssertNone(string test)
    {
        var seen = Take();
        Assert.True(seen.Count == 0, $"The Content-Security-Policy blocked something during {test}:\n  {string.Join("\n  ", seen)}");
    }

    private void Record(string violation)
    {
        lock (_lock)
        {
            _seen.Add(violation);
        }
    }
}

/// <summary>axe-core for the accessibility checks, run under the page's real CSP.</summary>
public static class Axe
{
    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js");

    /// <summary>
    /// Evaluated through DevTools, not added as a script element: the CSP (script-src 'self') rightly blocks an inline
    /// script tag, and the check must run under the CSP the users get.
    /// </summary>
    public static async Task InjectAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.EvaluateAsync(await File.ReadAllTextAsync(ScriptPath));
    }
}
