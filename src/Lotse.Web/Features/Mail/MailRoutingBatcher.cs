using Lotse.Web.Infrastructure;

namespace Lotse.Web.Features.Mail;

/// <summary>
/// New mail requests routed in batches (decision 18): what arrives while a batch is being routed is handed to
/// <see cref="RouteMailRequests"/> as the next batch, one transaction for all of it (<see cref="GroupCommit{TRequest,TResult}"/>).
/// A batch that fails (a request sent twice at the same instant through two app instances, two requests of one client
/// reaching the same fallback, a deadlock with another instance) is routed again request by request.
/// </summary>
public sealed class MailRoutingBatcher(IServiceScopeFactory scopes, ILogger<MailRoutingBatcher> logger)
    : GroupCommit<PendingMailRequest, MailRequestResult>(scopes, logger)
{
    /// <summary>Enough for the 32 concurrent senders of the bench; a larger batch would hold its locks longer.</summary>
    protected override int MaxBatch => 64;

    protected override Task<IReadOnlyList<MailRequestResult>> StoreAsync(IServiceProvider services, IReadOnlyList<PendingMailRequest> batch, CancellationToken cancellationToken) =>
        services.GetRequiredService<RouteMailRequests>().RouteAsync(batch, cancellationToken);
}
