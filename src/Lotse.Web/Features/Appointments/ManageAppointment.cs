using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Appointments;

public enum ManageRefusal
{
    /// <summary>Not this user's appointment, or no such appointment (answered as 404).</summary>
    NotFound,

    /// <summary>The appointment is not in a state that allows this step (e.g. confirming a cancelled one).</summary>
    WrongState,

    /// <summary>Too close to the start to cancel.</summary>
    PastCutoff,

    /// <summary>Someone changed it at the same moment; nothing was overwritten.</summary>
    ChangedMeanwhile,
}

/// <summary>Confirm, decline and cancel; each tells the other side through the notification outbox.</summary>
public sealed class ManageAppointment(LotseDb db, TimeProvider clock, NotificationOutbox outbox, AvailabilityNotifier notifier, AgencyAdmin.AgencyTermsLoader terms)
{
    public Task<ManageRefusal?> ConfirmAsync(Guid counsellorId, Guid appointmentId, CancellationToken cancellationToken) =>
        ChangeAsync(a => a.CounsellorId == counsellorId && a.Id == appointmentId, a =>
        {
            if (a.Status != AppointmentStatus.Requested)
            {
                return ManageRefusal.WrongState;
            }

            a.Confirm();
            return null;
        }, NotificationKind.AppointmentConfirmed, AppointmentParty.Client, cancellationToken);

    public Task<ManageRefusal?> DeclineAsync(Guid counsellorId, Guid appointmentId, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(a => a.CounsellorId == counsellorId && a.Id == appointmentId, a =>
        {
            if (a.Status != AppointmentStatus.Requested)
            {
                return ManageRefusal.WrongState;
            }

            a.Decline(reason);
            return null;
        }, NotificationKind.AppointmentDeclined, AppointmentParty.Client, cancellationToken);

    /// <summary>Either side cancels, up to the cut-off of the counsellor's agency; the other side is told.</summary>
    public async Task<ManageRefusal?> CancelAsync(AppointmentParty by, Guid partyId, Guid appointmentId, CancellationToken cancellationToken)
    {
        System.Linq.Expressions.Expression<Func<Appointment, bool>> owned =
            a => a.Id == appointmentId && (by == AppointmentParty.Counsellor ? a.CounsellorId == partyId : a.ClientId == partyId);
        var counsellorId = await db.Appointments.AsNoTracking().Where(owned).Select(a => (Guid?)a.CounsellorId).SingleOrDefaultAsync(cancellationToken);
        var cutoff = counsellorId is { } id ? (await terms.ForCounsellorAsync(id, cancellationToken)).CancelCutoff : TimeSpan.Zero;
        return await ChangeAsync(
            owned,
            a =>
            {
                if (!a.IsActive)
                {
                    return ManageRefusal.WrongState;
                }

                if (!SlotPlanner.CanCancel(a, cutoff, clock.GetUtcNow().UtcDateTime))
                {
                    return ManageRefusal.PastCutoff;
                }

                a.Cancel(by);
                return null;
            },
            NotificationKind.AppointmentCancelled,
            by == AppointmentParty.Counsellor ? AppointmentParty.Client : AppointmentParty.Counsellor,
            cancellationToken);
    }

    private async Task<ManageRefusal?> ChangeAsync(
        System.Linq.Expressions.Expression<Func<Appointment, bool>> owned,
        Func<Appointment, ManageRefusal?> change,
        NotificationKind kind,
        AppointmentParty tell,
        CancellationToken cancellationToken)
    {
        var appointment = await db.Appointments.SingleOrDefaultAsync(owned, cancellationToken);
        if (appointment is null)
        {
            return ManageRefusal.NotFound;
        }

        if (change(appointment) is { } refusal)
        {
            return refusal;
        }

        await outbox.AddAsync(appointment, kind, tell, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ManageRefusal.ChangedMeanwhile;
        }

        await notifier.ChangedAsync(appointment.CounsellorId, cancellationToken);
        return null;
    }
}
