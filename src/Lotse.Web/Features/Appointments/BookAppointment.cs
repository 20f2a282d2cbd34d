using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.CounsellorAdmin;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Features.Operations;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Appointments;

public enum BookingRefusal
{
    /// <summary>No such counsellor.</summary>
    UnknownCounsellor,

    /// <summary>The account status does not allow booking (toggle on).</summary>
    BookingDisabled,

    /// <summary>The counsellor's agency takes no new requests (issue 8).</summary>
    AgencyClosed,

    /// <summary>"Termin ist nicht mehr frei": taken, in the past, too soon, outside booking hours or in an absence.</summary>
    SlotNotFree,
}

public sealed record BookingOutcome(Guid? AppointmentId, bool Confirmed, BookingRefusal? Refusal);

/// <summary>
/// A client books a free slot. One transaction holds the counsellor's lock while the slot planner checks the
/// slot against the calendar as it is now; the unique index on active (counsellor, start) is the last word,
/// so however many requests arrive at once, one wins and the others hear that the slot is no longer free.
/// </summary>
public sealed class BookAppointment(LotseDb db, TimeProvider clock, NotificationOutbox outbox, AvailabilityNotifier notifier, AgencyAdmin.AgencyTermsLoader terms, LotseMetrics metrics)
{
    public async Task<BookingOutcome> BookAsync(Guid clientId, Guid counsellorId, DateTime startUtc, AppointmentChannel channel, string? topic, CancellationToken cancellationToken)
    {
        BookingOutcome outcome;
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            outcome = await strategy.ExecuteAsync(ct => BookInTransactionAsync(clientId, counsellorId, startUtc, channel, topic, ct), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index saw a concurrent booking of the same slot first.
            db.ChangeTracker.Clear();
            return new BookingOutcome(null, false, BookingRefusal.SlotNotFree);
        }

        if (outcome.AppointmentId is not null)
        {
            metrics.AppointmentBooked();
            await notifier.ChangedAsync(counsellorId, cancellationToken);
        }

        return outcome;
    }

    private async Task<BookingOutcome> BookInTransactionAsync(Guid clientId, Guid counsellorId, DateTime startUtc, AppointmentChannel channel, string? topic, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCounsellorAsync(counsellorId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        // A disabled counsellor (issue 8) is as unknown to a client as one who does not exist.
        var counsellor = await db.Counsellors.AsNoTracking().Where(c => c.Id == counsellorId).Active(db).SingleOrDefaultAsync(cancellationToken);
        if (counsellor is null)
        {
            return new BookingOutcome(null, false, BookingRefusal.UnknownCounsellor);
        }

        var relation = await db.CounsellingRelations.SingleOrDefaultAsync(r => r.CounsellorId == counsellorId && r.ClientId == clientId, cancellationToken);
        var agencyTerms = await terms.ForCounsellorAsync(counsellorId, cancellationToken);
        var calendar = await CalendarLoader.LoadAsync(db, counsellorId, agencyTerms.AgencyId, now, knownAbsences: null, cancellationToken);
        var availability = Availability.For(counsellor.Status, relation?.IsRegularClient == true, calendar.Absences, now);
        if (!availability.CanBook)
        {
            return new BookingOutcome(null, false, BookingRefusal.BookingDisabled);
        }

        if (agencyTerms.Closure is not null)
        {
            return new BookingOutcome(null, false, BookingRefusal.AgencyClosed);
        }

        var rules = agencyTerms.RulesFor(counsellor.SlotMinutes);
        var slot = new Slot(startUtc, startUtc.AddMinutes(rules.SlotMinutes), channel);
        if (!SlotPlanner.IsBookable(slot, calendar, rules, BerlinTime.Zone, now))
        {
            return new BookingOutcome(null, false, BookingRefusal.SlotNotFree);
        }

        var appointment = new Appointment(Guid.NewGuid(), counsellorId, clientId, channel, slot.StartUtc, slot.EndUtc, string.IsNullOrWhiteSpace(topic) ? null : topic.Trim());
        if (counsellor.AutoConfirm)
        {
            appointment.Confirm();
        }

        db.Appointments.Add(appointment);
        if (relation is null)
        {
            db.CounsellingRelations.Add(new CounsellingRelation(counsellorId, clientId, now));
        }

        var kind = counsellor.AutoConfirm ? NotificationKind.AppointmentConfirmed : NotificationKind.AppointmentRequested;
        await outbox.AddForBothAsync(appointment, kind, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new BookingOutcome(appointment.Id, counsellor.AutoConfirm, null);
    }
}
