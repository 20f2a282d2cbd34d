using System.Diagnostics.Metrics;
using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lotse.Web.Features.Operations;

/// <summary>
/// OpenTelemetry metrics, scraped by Prometheus at <c>/metrics</c>: ASP.NET Core (request duration), Kestrel, SignalR
/// connections, the .NET runtime, and Lotse's own counters (<see cref="LotseMetrics"/>). The figures are operational,
/// not public: only addresses in <c>Metrics:AllowedNetworks</c> (CIDR ranges; loopback when not set) are answered,
/// everyone else gets 403. Behind nginx this is the real client's address (forwarded headers), so a scrape from outside
/// through the proxy is refused too.
/// </summary>
public static class Metrics
{
    public const string Path = "/metrics";

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    public static void AddLotseMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<LotseMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(LotseMetrics.MeterName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "System.Runtime", LotseMetrics.MeterName)
                .AddPrometheusExporter());
    }

    public static void MapLotseMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configured = app.Configuration.GetSection("Metrics:AllowedNetworks").Get<string[]>()?.Where(n => !string.IsNullOrWhiteSpace(n)).ToArray();
        var allowed = (configured is { Length: > 0 } ? configured : Loopback).Select(n => System.Net.IPNetwork.Parse(n)).ToArray();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
            {
                if (IsAllowed(context.Connection.RemoteIpAddress, allowed))
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }), optionsName: null)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AllowAnonymous()
            .DisableRateLimiting();
    }

    private static bool IsAllowed(IPAddress? address, System.Net.IPNetwork[] allowed)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return allowed.Any(n => n.Contains(plain));
    }
}

/// <summary>
/// Lotse's own counters (meter "Lotse"): how much is happening, never who or what. No tag carries a person, a text or
/// an id; the handlers call these after the thing was stored.
/// </summary>
public sealed class LotseMetrics
{
    public const string MeterName = "Lotse";

    private readonly Counter<long> _chatMessages;
    private readonly Counter<long> _mailRequests;
    private readonly Counter<long> _bookings;

    public LotseMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _chatMessages = meter.CreateCounter<long>("lotse.chat.messages.sent", "{message}", "Live chat messages stored (a retried send counts once).");
        _mailRequests = meter.CreateCounter<long>("lotse.mail.requests.received", "{request}", "New mail counselling requests stored.");
        _bookings = meter.CreateCounter<long>("lotse.appointments.booked", "{appointment}", "Appointments booked by clients.");
    }

    public void ChatMessagesSent(int count) => _chatMessages.Add(count);

    public void MailRequestsReceived(int count) => _mailRequests.Add(count);

    public void AppointmentBooked() => _bookings.Add(1);
}
