namespace Lotse.Web.Features.Operations;

/// <summary>
/// Running Lotse as several instances behind a load balancer (issue 9, docs/operations.md): forwarded headers from a
/// configured proxy, health probes, Prometheus metrics. Logs need no code: <c>Logging:Console:FormatterName=json</c>
/// makes the built-in console logger write one JSON object per line, still behind SafeLogging's masking.
/// </summary>
public static class OperationsSetup
{
    public static void AddLotseOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLotseForwardedHeaders();
        builder.AddLotseHealth();
        builder.AddLotseMetrics();
    }

    /// <summary>
    /// First in the pipeline: everything after it (security headers, the hub origin check, rate limits per address, the
    /// audit, the metrics' network check) must see the real client address and scheme.
    /// </summary>
    public static void UseLotseOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseLotseForwardedHeaders();
    }

    public static void MapLotseOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapLotseHealth();
        app.MapLotseMetrics();
    }
}
