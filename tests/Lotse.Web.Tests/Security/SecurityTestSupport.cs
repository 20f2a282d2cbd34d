using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Lotse.Web.Tests.Security;

/// <summary>Helpers of the security tests: the same app with other settings (e.g. low rate limits) on the test's database.</summary>
internal static class SecurityTestSupport
{
    /// <summary>
    /// A second host of the test's app on the same database, with <paramref name="settings"/> on top (they come after the
    /// factory's own, so they win over its high test limits). Disposed with the test's app.
    /// </summary>
    public static WebApplicationFactory<Program> With(this LotseAppFactory app, params (string Key, string Value)[] settings) =>
        app.WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });

    /// <summary>A client of <paramref name="app"/> with its own cookie jar, over https, not following redirects.</summary>
    public static HttpClient Browser(this WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false, HandleCookies = true });

    public static IReadOnlyList<string> SetCookies(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";
}
