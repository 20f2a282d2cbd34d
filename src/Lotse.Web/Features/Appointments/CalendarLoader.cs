using Lotse.Domain.Absences;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Appointments;

/// <summary>Loads what the slot planner needs about one counsellor, from now on.</summary>
public static class CalendarLoader
{
    /// <param name="agencyId">The counsellor's agency (<see cref="AgencyAdmin.AgencyTerms.AgencyId"/>), whose closing days block whole days.</param>
    /// <param name="knownAbsences">Their absences that have not ended, when the caller has read them already in this request.</param>
    public static async Task<Calendar> LoadAsync(LotseDb db, Guid counsellorId, Guid? agencyId, DateTime now, IReadOnlyList<AbsencePeriod>? knownAbsences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(now));
        var hours = await db.BookingHours.AsNoTracking()
            .Where(h => h.CounsellorId == counsellorId)
            .Select(h => new WeeklyHours(h.Day, h.From, h.To, h.Channel))
            .ToListAsync(cancellationToken);
        // The counsellor's blocked hours and their agency's closing days (public holidays, its own days; issue 8),
        // which block whole days, in one query.
        var blocks = await db.BookingBlocks.AsNoTracking()
            .Where(b => b.CounsellorId == counsellorId && b.Date >= today)
            .Select(b => new { b.Date, From = (TimeOnly?)b.From, To = (TimeOnly?)b.To })
            .Concat(db.AgencyClosingDays.AsNoTracking()
                .Where(d => d.AgencyId == agencyId && d.Date >= today)
                .Select(d => new { d.Date, From = (TimeOnly?)null, To = (TimeOnly?)null }))
            .ToListAsync(cancellationToken);

        var absences = knownAbsences ?? await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId && a.EndUtc > now)
            .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .ToListAsync(cancellationToken);
        var booked = await db.Appointments.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId && a.EndUtc > now
                && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed))
            .Select(a => new BookedTime(a.StartUtc, a.EndUtc))
            .ToListAsync(cancellationToken);
        return new Calendar(hours, blocks.Select(b => new DayBlock(b.Date, b.From, b.To)).ToList(), absences, booked);
    }
}
