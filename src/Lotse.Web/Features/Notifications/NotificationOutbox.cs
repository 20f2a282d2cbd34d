using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// Writes notifications into the same unit of work as the change they report (the caller saves), so a
/// notice is stored exactly when the change is. Sending the e-mails is the dispatcher's job, later, with retries.
/// </summary>
public sealed class NotificationOutbox(LotseDb db, TimeProvider clock)
{
    public async Task AddAsync(Appointment appointment, NotificationKind kind, AppointmentParty recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var userId = recipient == AppointmentParty.Counsellor
            ? await db.Counsellors.Where(c => c.Id == appointment.CounsellorId).Select(c => c.UserId).SingleAsync(cancellationToken)
            : await db.Clients.Where(c => c.Id == appointment.ClientId).Select(c => c.UserId).SingleAsync(cancellationToken);
        var hasEmail = await db.Users.Where(u => u.Id == userId).Select(u => u.Email != null && u.Email != "").SingleAsync(cancellationToken);
        db.Notifications.Add(new Notification(Guid.NewGuid(), userId, kind, appointment.Id, hasEmail, clock.GetUtcNow().UtcDateTime));
    }
}
