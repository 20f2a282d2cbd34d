namespace Lotse.Web.Features.Security;

/// <summary>
/// Browser and transport security, rate limits and the password policy (issue 7, docs/security.md).
/// The rate limiter itself runs inside UseLotseWeb, after authentication (<see cref="RateLimiting.UseLotseRateLimiting"/>).
/// </summary>
public static class SecuritySetup
{
    public static void AddLotseSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLotseSecurityHeaders();
        builder.AddLotseCookieSecurity();
        builder.AddLotseRateLimiting();
        builder.AddLotsePasswordPolicy();
        CspSafeHtmlGenerator.Use(builder.Services);
    }

    /// <summary>First in the pipeline: the headers must be on every answer, error pages and refusals included.</summary>
    public static void UseLotseSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseLotseSecurityHeaders();
        app.UseLotseCookieSecurity();
        app.UseLotseHubOriginCheck();
    }
}
