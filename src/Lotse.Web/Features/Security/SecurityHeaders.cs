using Microsoft.AspNetCore.StaticAssets;

namespace Lotse.Web.Features.Security;

/// <summary>
/// The browser-side controls sent with every response: a strict Content-Security-Policy (no inline script or style, no
/// other host, no framing), no MIME sniffing, no Referer, camera and microphone for this origin only, an isolated
/// browsing context, HSTS outside Development, and <c>Cache-Control: no-store</c> on everything except static assets.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Everything comes from Lotse itself. <c>img-src data: blob:</c> and <c>media-src blob:</c> leave room for images the
    /// browser makes itself (e.g. CSS data URLs, a video poster); the appointment room attaches its camera streams as
    /// <c>srcObject</c>, which the CSP does not govern. <c>connect-src 'self'</c> covers the hubs' WebSockets
    /// (ws:/wss: to the same host count as 'self' in CSP Level 3). <c>base-uri 'none'</c>: no page needs a base element.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The appointment room needs camera and microphone, on this origin only; nothing else is ever asked for.</summary>
    public const string PermissionsPolicy =
        "camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=()";

    /// <summary>
    /// No Referer at all: addresses hold thread, room and appointment ids, and Lotse never reads the header, so even
    /// same-origin requests need not carry it.
    /// </summary>
    public const string ReferrerPolicy = "no-referrer";

    public static void AddLotseSecurityHeaders(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One year, this host only: other subdomains of an operator's domain are not Lotse's to pin to https. The
        // defaults exclude localhost and 127.0.0.1, so `dotnet run` on http is unaffected.
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
    }

    public static void UseLotseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            // Sent only over https (the middleware's own rule), so a plain-http development or test server never pins.
            app.UseHsts();
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // For browsers without frame-ancestors support.
        headers.XFrameOptions = "DENY";

        // Pages, hubs and endpoints may carry counselling content: no browser or proxy keeps a copy. Static assets
        // (fingerprinted CSS/JS, served by MapStaticAssets with their own caching) carry none and stay cacheable.
        if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            headers.Remove("Expires");
        }
    }
}
