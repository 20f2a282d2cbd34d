namespace Lotse.Web.Features.Security;

/// <summary>
/// Cross-site WebSocket hijacking guard: WebSockets are not bound by CORS, and SameSite=Lax keeps the sign-in cookie
/// only from other *sites*, not from another host of the same site (a sibling subdomain) or from browsers that ignore
/// SameSite. So every request to a hub (negotiate, WebSocket upgrade, long polling) that carries an Origin header must
/// come from Lotse's own origin: the request's own scheme and host, or App:PublicUrl's origin (the address users type
/// when a proxy terminates TLS in front of the app). A request without Origin is not a browser's (browsers always send
/// it on these requests) and passes: the .NET client, the tests, the bench.
/// </summary>
public static class HubOriginCheck
{
    public const string HubsPath = "/hubs";

    public static void UseLotseHubOriginCheck(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var publicOrigin = OriginOf(app.Configuration["App:PublicUrl"]);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HubsPath)
                && context.Request.Headers.Origin is { Count: > 0 } origin
                && !IsOwn(origin.ToString(), context.Request, publicOrigin))
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    private static bool IsOwn(string origin, HttpRequest request, string? publicOrigin)
    {
        var candidate = OriginOf(origin);
        if (candidate is null)
        {
            // "null" (sandboxed frames, file: pages) or garbage: never ours.
            return false;
        }

        return string.Equals(candidate, OriginOf($"{request.Scheme}://{request.Host}"), StringComparison.OrdinalIgnoreCase)
            || (publicOrigin is not null && string.Equals(candidate, publicOrigin, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>scheme://host[:port] with the default port left out, as browsers write the Origin header.</summary>
    private static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
