using Lotse.Domain.Appointments;
using Lotse.Domain.Mail;
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
        db.Notifications.Add(new Notification(Guid.NewGuid(), userId, kind, appointment.Id, await HasEmailAsync(userId, cancellationToken), clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>"Sie haben eine neue Nachricht" for the other side of a mail thread; a thread in the queue has no counsellor to tell.</summary>
    public async Task AddForMailAsync(MailThread thread, MailSide recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var userId = recipient == MailSide.Counsellor
            ? await db.Counsellors.Where(c => c.Id == thread.CounsellorId).Select(c => c.UserId).SingleOrDefaultAsync(cancellationToken)
            : await db.Clients.Where(c => c.Id == thread.ClientId).Select(c => c.UserId).SingleAsync(cancellationToken);
        if (userId is null)
        {
            return;
        }

        db.Notifications.Add(new Notification(Guid.NewGuid(), userId, NotificationKind.NewMailMessage, null, await HasEmailAsync(userId, cancellationToken), clock.GetUtcNow().UtcDateTime, thread.Id));
    }

    /// <summary>
    /// Tells a counsellor that one of their appointments ended because the client deleted their account. It carries no
    /// appointment, time or name: all of that is deleted with the person (sec-data decision).
    /// </summary>
    public async Task AddAccountDeletedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var userId = await db.Counsellors.Where(c => c.Id == counsellorId).Select(c => c.UserId).SingleAsync(cancellationToken);
        db.Notifications.Add(new Notification(Guid.NewGuid(), userId, NotificationKind.AppointmentCancelledAccountDeleted, null, await HasEmailAsync(userId, cancellationToken), clock.GetUtcNow().UtcDateTime));
    }

    private Task<bool> HasEmailAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.Email != null && u.Email != "").SingleAsync(cancellationToken);
}
