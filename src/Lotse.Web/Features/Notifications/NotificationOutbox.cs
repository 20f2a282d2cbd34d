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
        var user = recipient == AppointmentParty.Counsellor
            ? await CounsellorUserAsync(appointment.CounsellorId, cancellationToken)
            : await ClientUserAsync(appointment.ClientId, cancellationToken);
        db.Notifications.Add(new Notification(Guid.NewGuid(), user.Id, kind, appointment.Id, user.HasEmail, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>The same notice to both sides of an appointment (counsellor first), their logins read in one query.</summary>
    public async Task AddForBothAsync(Appointment appointment, NotificationKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        // Two indexed look-ups in one statement (UNION ALL); an OR of the two would make PostgreSQL read every login.
        var users = await (
                from c in db.Counsellors
                join u in db.Users on c.UserId equals u.Id
                where c.Id == appointment.CounsellorId
                select new { u.Id, HasEmail = u.Email != null && u.Email != "", IsCounsellor = true })
            .Concat(
                from c in db.Clients
                join u in db.Users on c.UserId equals u.Id
                where c.Id == appointment.ClientId
                select new { u.Id, HasEmail = u.Email != null && u.Email != "", IsCounsellor = false })
            .ToListAsync(cancellationToken);
        if (users.Count != 2)
        {
            throw new InvalidOperationException($"Appointment {appointment.Id} does not have a counsellor and a client login.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var user in users.OrderByDescending(u => u.IsCounsellor))
        {
            db.Notifications.Add(new Notification(Guid.NewGuid(), user.Id, kind, appointment.Id, user.HasEmail, now));
        }
    }

    /// <summary>"Sie haben eine neue Nachricht" for the other side of a mail thread; a thread in the queue has no counsellor to tell.</summary>
    public async Task AddForMailAsync(MailThread thread, MailSide recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (recipient == MailSide.Counsellor)
        {
            await AddForCounsellorsAsync([thread], cancellationToken);
            return;
        }

        AddForMail(await ClientUserAsync(thread.ClientId, cancellationToken), thread);
    }

    /// <summary>The same notice to the counsellor of each thread (a batch of new requests), their logins read in one query.</summary>
    public async Task AddForCounsellorsAsync(IReadOnlyCollection<MailThread> threads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var ids = threads.Select(t => t.CounsellorId).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var users = await (from c in db.Counsellors
                           join u in db.Users on c.UserId equals u.Id
                           where ids.Contains(c.Id)
                           select new { c.Id, User = new Recipient(u.Id, u.Email != null && u.Email != "") })
            .ToDictionaryAsync(r => r.Id, r => r.User, cancellationToken);
        foreach (var thread in threads)
        {
            if (thread.CounsellorId is { } counsellorId)
            {
                AddForMail(users[counsellorId], thread);
            }
        }
    }

    private void AddForMail(Recipient user, MailThread thread) =>
        db.Notifications.Add(new Notification(Guid.NewGuid(), user.Id, NotificationKind.NewMailMessage, null, user.HasEmail, clock.GetUtcNow().UtcDateTime, thread.Id));

    /// <summary>
    /// Tells a counsellor that one of their appointments ended because the client deleted their account. It carries no
    /// appointment, time or name: all of that is deleted with the person (sec-data decision).
    /// </summary>
    public async Task AddAccountDeletedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var user = await CounsellorUserAsync(counsellorId, cancellationToken);
        db.Notifications.Add(new Notification(Guid.NewGuid(), user.Id, NotificationKind.AppointmentCancelledAccountDeleted, null, user.HasEmail, clock.GetUtcNow().UtcDateTime));
    }

    private Task<Recipient> CounsellorUserAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        RecipientAsync(db.Counsellors.Where(c => c.Id == counsellorId).Select(c => c.UserId), cancellationToken);

    private Task<Recipient> ClientUserAsync(Guid clientId, CancellationToken cancellationToken) =>
        RecipientAsync(db.Clients.Where(c => c.Id == clientId).Select(c => c.UserId), cancellationToken);

    /// <summary>The login behind a counsellor or client row and whether it has an e-mail address to notify, in one query.</summary>
    private Task<Recipient> RecipientAsync(IQueryable<string> userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => userId.Contains(u.Id)).Select(u => new Recipient(u.Id, u.Email != null && u.Email != "")).SingleAsync(cancellationToken);

    private sealed record Recipient(string Id, bool HasEmail);
}
