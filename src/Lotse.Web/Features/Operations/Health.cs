using Lotse.Web.Data;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lotse.Web.Features.Operations;

/// <summary>
/// Probes for a load balancer or orchestrator: <c>/health/live</c> answers "Healthy" while the process serves requests
/// (no dependency is asked, so a database outage does not get every instance restarted); <c>/health/ready</c> asks the
/// database through <see cref="LotseDb"/> and, with Redis configured, Redis (PING), and answers 503 "Unhealthy" when one
/// of them fails. Both are anonymous, GET only, never rate limited, and say nothing but the status: no exception, no
/// connection string. The app has no HTTPS redirection, so a probe over plain http on loopback is answered as it is.
/// </summary>
public static class Health
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private const string ReadyTag = "ready";

    public static void AddLotseHealth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var checks = builder.Services.AddHealthChecks()
            .AddDbContextCheck<LotseDb>("database", tags: [ReadyTag]);
        if (RedisSetup.IsConfigured(builder.Configuration))
        {
            checks.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        }
    }

    public static void MapLotseHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Probe(app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }));
        Probe(app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }));
    }

    private static void Probe(IEndpointConventionBuilder endpoint) =>
        endpoint.WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous().DisableRateLimiting();

    /// <summary>Redis answers PING on the app's own connection (the one shared state and session revocations use).</summary>
    private sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var database = await redis.DatabaseAsync().WaitAsync(cancellationToken);
            await database.PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
