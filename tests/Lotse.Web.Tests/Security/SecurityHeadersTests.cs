using System.Net;
using System.Text.RegularExpressions;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Lotse.Web.Tests.Security;

/// <summary>The browser-side headers on every kind of answer: pages, error pages, redirects, hubs, static assets.</summary>
public sealed partial class SecurityHeadersTests() : WebTest(DatabaseKind.Sqlite)
{
    public const string Csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Theory]
    [InlineData("GET", "/anmelden", HttpStatusCode.OK)]
    [InlineData("GET", "/gibt-es-nicht", HttpStatusCode.NotFound)]
    [InlineData("GET", "/posteingang", HttpStatusCode.Redirect)]
    [InlineData("POST", "/hubs/verfuegbarkeit/negotiate?negotiateVersion=1", HttpStatusCode.OK)]
    public async Task Response_AnyKind_CarriesEverySecurityHeader(string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await Browser().SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(Csp, response.Header("Content-Security-Policy"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        Assert.Equal("camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=()", response.Header("Permissions-Policy"));
        Assert.Equal("same-origin", response.Header("Cross-Origin-Opener-Policy"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Page_WithCounsellingContent_IsNeverStored()
    {
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await http.GetAsync("/anfragen");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Equal("no-cache", response.Header("Pragma"));
    }

    [Fact]
    public async Task StaticAsset_Stylesheet_KeepsItsOwnCaching()
    {
        // As `dotnet run` does: the build's static web assets (the test host runs from the build output).
        var app = App.WithWebHostBuilder(web => web.UseStaticWebAssets());
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false });
        var page = await http.GetStringAsync("/anmelden");
        var css = StylesheetPattern().Match(page).Groups[1].Value;

        var response = await http.GetAsync(css);

        // MapStaticAssets' own caching (max-age for a fingerprinted name, revalidation by ETag otherwise), not no-store.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("", response.Header("Cache-Control"));
        Assert.DoesNotContain("no-store", response.Header("Cache-Control"), StringComparison.Ordinal);
        Assert.NotEqual("", response.Header("ETag"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
    }

    [Fact]
    public async Task Hsts_OverHttps_SentForAYear()
    {
        // localhost is excluded from HSTS (so `dotnet run` never pins it): ask as the production host name.
        var http = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://lotse.example/"), AllowAutoRedirect = false });

        var response = await http.GetAsync("/anmelden");

        Assert.Equal("max-age=31536000", response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_OverPlainHttp_NotSent()
    {
        var http = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://lotse.example/"), AllowAutoRedirect = false });

        var response = await http.GetAsync("/anmelden");

        Assert.Equal("", response.Header("Strict-Transport-Security"));
    }

    /// <summary>The CSP forbids inline styles and scripts; the pages (and MVC's validation summary) must not need any.</summary>
    [Fact]
    public async Task FormPages_Html_HaveNoInlineStyleOrScript()
    {
        await AddCounsellorAsync("anna@test.lotse");
        var anonymous = Browser();
        var counsellor = await LoginAsync("anna@test.lotse");

        var pages = new[]
        {
            await anonymous.GetStringAsync("/anmelden"),
            await anonymous.GetStringAsync("/registrieren"),
            await counsellor.GetStringAsync("/"),
            await counsellor.GetStringAsync("/abwesenheiten"),
            await counsellor.GetStringAsync("/abwesenheiten/neu"),
        };

        // Not vacuous: MVC's full validation summary (the one with the placeholder) is among them.
        Assert.Contains(pages, html => html.Contains("data-valmsg-summary", StringComparison.Ordinal));
        Assert.All(pages, html =>
        {
            Assert.DoesNotMatch(InlineStylePattern(), html);
            Assert.DoesNotMatch(InlineScriptPattern(), html);
        });
    }

    [GeneratedRegex(@"\sstyle\s*=|<style", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStylePattern();

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScriptPattern();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"([^\"]+)\"")]
    private static partial Regex StylesheetPattern();
}
