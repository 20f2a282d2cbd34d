using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Browser-side security as chromium sees it: the __Host-/Secure cookies are taken on http://127.0.0.1 (a secure
/// context), the Content-Security-Policy is enforced, and the test infrastructure notices when it blocks something.
/// </summary>
public sealed class SecurityTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task SignIn_OnLoopbackHttp_HostPrefixedSecureCookiesAcceptedAndSent()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);

        var cookies = await page.Context.CookiesAsync();

        var auth = Assert.Single(cookies, c => c.Name == "__Host-lotse.auth");
        Assert.True(auth.Secure);
        Assert.True(auth.HttpOnly);
        Assert.Equal("/", auth.Path);
        Assert.Equal(SameSiteAttribute.Lax, auth.SameSite);
        Assert.Contains(cookies, c => c.Name == "__Host-lotse.antiforgery" && c.Secure && c.HttpOnly && c.SameSite == SameSiteAttribute.Strict);
        // Scripts cannot read them.
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
        // The cookie is sent back: a page for counsellors only opens.
        await page.GotoAsync("/posteingang");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Posteingang");
    }

    [Fact]
    public async Task Language_Switch_CookieTakenAndPageInEnglish()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");

        await page.GotoAsync("/sprache/en?zurueck=/anmelden");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "__Host-lotse.language" && c.Secure);
    }

    [Fact]
    public async Task Csp_InlineScriptAndStyle_BlockedAndNoticedByTheTests()
    {
        var page = await OpenAsync(server);
        await page.GotoAsync("/anmelden");

        // What an injected payload would try: an inline script and an inline style.
        await page.RunAndWaitForConsoleMessageAsync(
            () => page.EvaluateAsync("""
                () => {
                    const script = document.createElement("script");
                    script.textContent = "window.__inlineRan = true;";
                    document.body.appendChild(script);
                    document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
                }
                """),
            new() { Predicate = m => m.Text.Contains("Content Security Policy", StringComparison.Ordinal) });

        Assert.False(await page.EvaluateAsync<bool>("() => window.__inlineRan === true"));
        Assert.NotEqual("rgb(255, 0, 0)", await page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('styled')).color"));
        // The watcher saw it (and, taken here, it does not fail this test).
        Assert.NotEmpty(Csp.Take());
    }
}
