using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Mvc;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Every cookie Lotse sets is <c>__Host-</c> prefixed, Secure (always, also behind a TLS-terminating proxy that talks
/// plain http to the app), HttpOnly and Path=/: the browser then refuses it from any other host, over plain http from
/// another machine, and to scripts. 127.0.0.1 and localhost are secure contexts, so `dotnet run` on http works in
/// Chromium and Firefox.
/// </summary>
public static class CookieSecurity
{
    public const string Prefix = "__Host-";

    /// <summary>The sign-in cookie's name lives in AccountSetup (the bench issues cookies under it, too).</summary>
    public const string Antiforgery = Prefix + "lotse.antiforgery";

    public const string TempData = Prefix + "lotse.tempdata";

    /// <summary>The language the user chose (footer link); read by the request localization.</summary>
    public const string Language = Prefix + "lotse.language";

    /// <summary>The agency a platform admin chose to administer (Features/AgencyAdmin/AdminAgency).</summary>
    public const string AdminAgency = Prefix + "lotse.agency";

    public static void AddLotseCookieSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Every cookie scheme (the sign-in cookie and Identity's two-factor and external ones): whatever a feature names
        // it, it leaves as a __Host- cookie.
        services.PostConfigureAll<CookieAuthenticationOptions>(o =>
        {
            if (o.Cookie.Name is { } name && !name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                o.Cookie.Name = Prefix + name;
            }

            Harden(o.Cookie);
        });

        // Strict (the default): the token is only ever needed on Lotse's own forms. Its SecurePolicy stays
        // SameAsRequest: with Always, antiforgery refuses every plain-http request (500), also on loopback and behind
        // a TLS-terminating proxy; the cookie policy below makes the cookie Secure all the same.
        services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.Name = Antiforgery;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = "/";
        });

        // The last word on every cookie appended through Response.Cookies, whoever writes it (features of other
        // helpers included): Secure, HttpOnly, and at least SameSite=Lax.
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.Secure = CookieSecurePolicy.Always;
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.MinimumSameSitePolicy = SameSiteMode.Lax;
        });

        // TempData carries notices ("Ihre Nachricht wurde gesendet") across a redirect.
        services.Configure<CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = TempData;
            Harden(o.Cookie);
        });
    }

    /// <summary>Before anything that writes a cookie.</summary>
    public static void UseLotseCookieSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCookiePolicy();
    }

    /// <summary>Options for a cookie written by hand (the language cookie).</summary>
    public static CookieOptions Options(TimeSpan maxAge) => new()
    {
        Secure = true,
        HttpOnly = true,
        Path = "/",
        SameSite = SameSiteMode.Lax,
        IsEssential = true,
        MaxAge = maxAge,
    };

    private static void Harden(CookieBuilder cookie)
    {
        cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.HttpOnly = true;
        cookie.Path = "/";
        cookie.Domain = null;
    }
}
