using Lotse.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Counsellors;

/// <summary>
/// Live channel of the counsellor pages that clients look at. It carries no personal data: only "the
/// availability of counsellor X changed"; each page then asks for its own view, computed for its viewer.
/// Counsellor profiles are public (an advice seeker may look before registering), so anonymous callers may watch.
/// </summary>
public sealed class AvailabilityHub(LotseDb db, IStringLocalizer<SharedResource> t) : Hub
{
    public const string Path = "/hubs/verfuegbarkeit";
    public const string ChangedEvent = "availabilityChanged";

    public async Task Watch(Guid counsellorId)
    {
        if (!await db.Counsellors.AsNoTracking().AnyAsync(c => c.Id == counsellorId, Context.ConnectionAborted))
        {
            throw new HubException(t["Diese Berater:in gibt es nicht."]);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(counsellorId), Context.ConnectionAborted);
    }

    internal static string GroupName(Guid counsellorId) => $"counsellor:{counsellorId:N}";
}

/// <summary>Tells every open client page of a counsellor that what it shows may have changed.</summary>
public sealed class AvailabilityNotifier(IHubContext<AvailabilityHub> hub)
{
    public Task ChangedAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        hub.Clients.Group(AvailabilityHub.GroupName(counsellorId)).SendAsync(AvailabilityHub.ChangedEvent, counsellorId, cancellationToken);
}
