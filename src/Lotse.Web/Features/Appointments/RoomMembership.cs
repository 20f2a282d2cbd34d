using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Appointments;

/// <summary>One of the two people of an appointment, as the room sees them, with the room's access right now.</summary>
public sealed record RoomMember(
    Guid AppointmentId,
    AppointmentParty Party,
    DateTime StartUtc,
    DateTime EndUtc,
    AppointmentChannel Channel,
    AppointmentStatus Status,
    string OtherName,
    RoomAccess Access);

/// <summary>
/// Who may be in an appointment's room: its counsellor and its client, looked up from the database by the signed-in
/// user's id, never from anything the browser sends. Anyone else gets null, whether or not the appointment exists.
/// </summary>
public sealed class RoomMembership(LotseDb db, TimeProvider clock, IOptions<RoomOptions> options)
{
    public async Task<RoomMember?> FindAsync(Guid appointmentId, string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var row = await (
                from a in db.Appointments.AsNoTracking()
                join co in db.Counsellors.AsNoTracking() on a.CounsellorId equals co.Id
                join cl in db.Clients.AsNoTracking() on a.ClientId equals cl.Id
                where a.Id == appointmentId && (co.UserId == userId || cl.UserId == userId)
                select new { a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status, CounsellorUser = co.UserId, co.DisplayName, cl.Nickname })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var isCounsellor = row.CounsellorUser == userId;
        var access = RoomRules.Access(row.Status, row.StartUtc, row.EndUtc, clock.GetUtcNow().UtcDateTime, options.Value.Window);
        return new RoomMember(
            row.Id,
            isCounsellor ? AppointmentParty.Counsellor : AppointmentParty.Client,
            row.StartUtc,
            row.EndUtc,
            row.Channel,
            row.Status,
            isCounsellor ? row.Nickname : row.DisplayName,
            access);
    }
}
