using Lotse.Domain.Appointments;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Appointments;

/// <summary>
/// The appointment room ("zum Termin"). Only the counsellor and the client of the appointment get in;
/// anyone else gets 404, so that the page does not even confirm that the appointment exists.
/// While the room is open the page holds the call (room.js over <see cref="RoomHub"/>); otherwise it says when it opens.
/// </summary>
public sealed class RoomModel(RoomMembership membership, CurrentUser user, IOptions<RoomOptions> options) : PageModel
{
    public sealed record RoomAppointment(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel, AppointmentStatus Status);

    public RoomAppointment Appointment { get; private set; } = null!;

    public string OtherParty { get; private set; } = "";

    public bool IsCounsellor { get; private set; }

    public RoomAccess Access { get; private set; } = null!;

    /// <summary>STUN/TURN servers for RTCPeerConnection, as JSON for a data attribute (no inline script).</summary>
    public string IceServersJson => options.Value.IceServersJson();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var member = await membership.FindAsync(id, user.UserId, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }

        Appointment = new RoomAppointment(member.AppointmentId, member.StartUtc, member.EndUtc, member.Channel, member.Status);
        OtherParty = member.OtherName;
        IsCounsellor = member.Party == AppointmentParty.Counsellor;
        Access = member.Access;
        return Page();
    }
}
