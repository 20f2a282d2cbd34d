using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Lotse.Web.Features.Operations;

/// <summary>
/// Behind a reverse proxy (nginx, docs/operations.md) the connection comes from the proxy; the client's address and the
/// scheme it used arrive in X-Forwarded-For and X-Forwarded-Proto. Those headers are believed only from the proxies
/// named in <c>ForwardedHeaders:KnownProxies</c> (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges):
/// anyone else could write them and so pick the address the rate limits count. Without either setting the headers are
/// ignored, as before (one instance reached directly).
/// </summary>
public static class ProxyHeaders
{
    public const string Section = "ForwardedHeaders";

    public static void AddLotseForwardedHeaders(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var proxies = Addresses(builder.Configuration, "KnownProxies");
        var networks = Addresses(builder.Configuration, "KnownNetworks");
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here only what the operator names is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    public static void UseLotseForwardedHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Addresses(app.Configuration, "KnownProxies").Length > 0 || Addresses(app.Configuration, "KnownNetworks").Length > 0)
        {
            app.UseForwardedHeaders();
        }
    }

    private static string[] Addresses(IConfiguration configuration, string key) =>
        configuration.GetSection($"{Section}:{key}").Get<string[]>()?.Where(a => !string.IsNullOrWhiteSpace(a)).ToArray() ?? [];
}
