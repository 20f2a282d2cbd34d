using Lotse.Domain.Appointments;
using Lotse.Domain.Audit;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

public enum ReassignOutcome
{
    Reassigned,

    /// <summary>Not a future, active appointment of this counsellor (any more).</summary>
    NotReassignable,

    /// <summary>The chosen counsellor is not an active counsellor of the agency, or is the same one.</summary>
    InvalidCounsellor,

    /// <summary>The chosen counsellor has an active appointment that overlaps.</summary>
    Overlaps,
}

/// <summary>
/// Moves one future appointment of a (disabled) counsellor to an active colleague of the same agency. It becomes a
/// request again, which the colleague confirms or declines under "Termine"; the colleague and the client are told
/// (notifications, written with the change). The colleague's lock and the unique index on active slots keep a
/// double booking out. Audited with times and names of staff only.
/// </summary>
public sealed class ReassignAppointment(LotseDb db, NotificationOutbox outbox, AuditLog audit, AvailabilityNotifier availability, TimeProvider clock)
{
    public async Task<ReassignOutcome> HandleAsync(Guid agencyId, Guid fromCounsellorId, Guid appointmentId, Guid toCounsellorId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var target = await db.Counsellors.AsNoTracking().Active(db)
            .Where(c => c.Id == toCounsellorId && c.Id != fromCounsellorId && db.AgencyMemberships.Any(m => m.UserId == c.UserId && m.AgencyId == agencyId))
            .Select(c => new { c.Id, c.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        if (target is null)
        {
            return ReassignOutcome.InvalidCounsellor;
        }

        ReassignOutcome outcome;
        try
        {
            outcome = await InTransactionAsync(fromCounsellorId, appointmentId, target.Id, target.DisplayName, agencyId, now, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on active (counsellor, start) saw a booking of the same slot first.
            db.ChangeTracker.Clear();
            return ReassignOutcome.Overlaps;
        }

        if (outcome == ReassignOutcome.Reassigned)
        {
            await availability.ChangedAsync(target.Id, cancellationToken);
        }

        return outcome;
    }

    private async Task<ReassignOutcome> InTransactionAsync(Guid fromId, Guid appointmentId, Guid toId, string toName, Guid agencyId, DateTime now, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCounsellorsAsync([fromId, toId], cancellationToken);
        var appointment = await db.Appointments.SingleOrDefaultAsync(a => a.Id == appointmentId && a.CounsellorId == fromId, cancellationToken);
        if (appointment is null || !appointment.IsActive || appointment.StartUtc <= now)
        {
            return ReassignOutcome.NotReassignable;
        }

        var overlaps = await db.Appointments.AnyAsync(
            a => a.CounsellorId == toId
                && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed)
                && a.StartUtc < appointment.EndUtc && a.EndUtc > appointment.StartUtc,
            cancellationToken);
        if (overlaps)
        {
            return ReassignOutcome.Overlaps;
        }

        var fromName = await db.Counsellors.AsNoTracking().Where(c => c.Id == fromId).Select(c => c.DisplayName).SingleAsync(cancellationToken);
        appointment.Reassign(toId, now);
        // The new counsellor now counsels this client (decision 3): they may open the room and see the client's name.
        await db.EnsureRelationAsync(toId, appointment.ClientId, now, cancellationToken);
        await outbox.AddAsync(appointment, NotificationKind.AppointmentRequested, AppointmentParty.Counsellor, cancellationToken);
        await outbox.AddAsync(appointment, NotificationKind.AppointmentReassigned, AppointmentParty.Client, cancellationToken);
        await audit.RecordAsync(AuditAction.AppointmentReassigned, AuditTarget.Of(AuditTargetType.Appointment, appointment.Id), agencyId,
            $"Termin am {BerlinTime.PeriodText(appointment.StartUtc, appointment.EndUtc)} von {fromName} an {toName} übertragen; wartet auf Bestätigung", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return ReassignOutcome.Reassigned;
    }
}
