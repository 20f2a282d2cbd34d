using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Supervision;

/// <summary>
/// Live channel of the supervision page. It carries no data at all, only "something of your agency changed"; the page
/// then asks for its own view over HTTP, where the admin's rights are checked again. An admin joins the group of their
/// own agency only: the agency comes from their membership, never from the caller.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class SupervisionHub(AgencyAdmin.AdminAgency agencies, IStringLocalizer<SharedResource> t) : Hub
{
    public const string Path = "/hubs/aufsicht";
    public const string ChangedEvent = "supervisionChanged";

    public async Task Watch()
    {
        if (await agencies.OfAsync(Context.User!, Context.GetHttpContext()?.Request, Context.ConnectionAborted) is not { } agency)
        {
            throw new HubException(t["Sie verwalten keine Beratungsstelle."]);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(agency.Id), Context.ConnectionAborted);
    }

    internal static string GroupName(Guid agencyId) => $"agency:{agencyId:N}";
}

/// <summary>
/// Tells the supervision pages of an agency that what they show may have changed. Through <see cref="IHubContext{THub}"/>
/// and groups, so that with the Redis backplane the admin hears it whichever instance made the change.
/// </summary>
public sealed class SupervisionNotifier(IHubContext<SupervisionHub> hub, ILogger<SupervisionNotifier> logger)
{
    public async Task ChangedAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        try
        {
            await hub.Clients.Group(SupervisionHub.GroupName(agencyId)).SendAsync(SupervisionHub.ChangedEvent, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // The change itself is saved; a supervision page missing one signal catches up at its next refresh.
            logger.LogWarning(e, "Could not tell the supervision pages of agency {AgencyId} about a change.", agencyId);
        }
    }
}
