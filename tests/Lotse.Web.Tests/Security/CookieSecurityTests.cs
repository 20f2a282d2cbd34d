using System.Net;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests.Security;

/// <summary>Every cookie Lotse sets is __Host-, Secure, HttpOnly, Path=/ and has the SameSite it should.</summary>
public abstract class CookieSecurityTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task SignIn_Cookies_HostPrefixedSecureHttpOnlyLax()
    {
        await AddCounsellorAsync(Anna);
        var http = Browser();

        // Staff sign in in two steps: the password step leaves who passed it in Identity's own short-lived cookie…
        var passwordStep = await PostFormAsync(http, "/anmelden", new Dictionary<string, string>
        {
            ["Input.Login"] = Anna,
            ["Input.Password"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, passwordStep.StatusCode);
        AssertHardened(Single(passwordStep, "__Host-Identity.TwoFactorUserId"));
        // …and the code step sets the sign-in cookie.
        var codeStep = await PostFormAsync(http, Lotse.Web.Features.Accounts.LoginCodeModel.Path, new Dictionary<string, string>
        {
            ["Input.Code"] = await TotpCodes.NextAsync(App.Services, Anna),
        });

        Assert.Equal(HttpStatusCode.Redirect, codeStep.StatusCode);
        var cookie = Single(codeStep, "__Host-lotse.auth");
        AssertHardened(cookie);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // And it works: the signed-in page answers.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/posteingang")).StatusCode);
    }

    [Fact]
    public async Task Antiforgery_Cookie_HostPrefixedSecureHttpOnlyStrict()
    {
        var response = await Browser().GetAsync("/anmelden");

        var cookie = Single(response, "__Host-lotse.antiforgery");
        AssertHardened(cookie);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Language_Cookie_HostPrefixedSecureHttpOnlyAndStillSwitchesTheLanguage()
    {
        var http = Browser();

        var response = await http.GetAsync("/sprache/en?zurueck=/anmelden");

        AssertHardened(Single(response, "__Host-lotse.language"));
        Assert.Contains("lang=\"en\"", await http.GetStringAsync("/anmelden"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCookie_ThroughRegistrationMailAndLanguage_IsHardened()
    {
        var anna = await AddCounsellorAsync(Anna, Unlimited, await AddAgencyAsync("Lotsenhaus"));
        var http = Browser();
        var seen = new List<string>();

        seen.AddRange((await http.GetAsync("/registrieren")).SetCookies());
        seen.AddRange((await PostFormAsync(http, "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = "Leuchtturm",
            ["Input.Password"] = "ein langer Satz als Passwort",
            ["Input.ConfirmPassword"] = "ein langer Satz als Passwort",
        })).SetCookies());
        var form = await RequestFormAsync(http, $"berater={anna.Id}");
        // The notice after sending travels in the TempData cookie.
        var sent = await PostRequestAsync(http, $"berater={anna.Id}", form, "Ich brauche Rat", "Seit Wochen schlafe ich schlecht.");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        seen.AddRange(sent.SetCookies());
        seen.AddRange((await http.GetAsync("/sprache/en?zurueck=/")).SetCookies());

        Assert.Contains(seen, c => c.StartsWith("__Host-lotse.tempdata=", StringComparison.Ordinal));
        Assert.Contains(seen, c => c.StartsWith("__Host-lotse.auth=", StringComparison.Ordinal));
        Assert.All(seen, AssertHardened);
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.SetCookies(), c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static void AssertHardened(string setCookie)
    {
        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.StartsWith("__Host-", setCookie, StringComparison.Ordinal);
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }
}

public sealed class CookieSecurityTestsOnSqlite() : CookieSecurityTests(DatabaseKind.Sqlite);

public sealed class CookieSecurityTestsOnPostgres() : CookieSecurityTests(DatabaseKind.Postgres);
