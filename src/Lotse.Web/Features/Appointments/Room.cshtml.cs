using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Appointments;

/// <summary>
/// The appointment room ("zum Termin"). Only the counsellor and the client of the appointment get in;
/// anyone else gets 404, so that the page does not even confirm that the appointment exists.
/// </summary>
public sealed class RoomModel(LotseDb db, CurrentUser user) : PageModel
{
    public sealed record RoomAppointment(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel, AppointmentStatus Status);

    public RoomAppointment Appointment { get; private set; } = null!;

    public string OtherParty { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var userId = user.UserId;
        var row = await (
                from a in db.Appointments.AsNoTracking()
                join co in db.Counsellors.AsNoTracking() on a.CounsellorId equals co.Id
                join cl in db.Clients.AsNoTracking() on a.ClientId equals cl.Id
                where a.Id == id && (co.UserId == userId || cl.UserId == userId)
                select new { a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status, CounsellorUser = co.UserId, co.DisplayName, cl.Nickname })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        Appointment = new RoomAppointment(row.Id, row.StartUtc, row.EndUtc, row.Channel, row.Status);
        OtherParty = row.CounsellorUser == userId ? row.Nickname : row.DisplayName;
        return Page();
    }
}
