using Lotse.Domain.Absences;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Appointments;

/// <summary>Loads what the slot planner needs about one counsellor, from now on.</summary>
public static class CalendarLoader
{
    public static async Task<Calendar> LoadAsync(LotseDb db, Guid counsellorId, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(now));
        var hours = await db.BookingHours.AsNoTracking()
            .Where(h => h.CounsellorId == counsellorId)
            .Select(h => new WeeklyHours(h.Day, h.From, h.To, h.Channel))
            .ToListAsync(cancellationToken);
        var blocks = await db.BookingBlocks.AsNoTracking()
            .Where(b => b.CounsellorId == counsellorId && b.Date >= today)
            .Select(b => new DayBlock(b.Date, b.From, b.To))
            .ToListAsync(cancellationToken);
        // The agency's closing days (public holidays, its own days) block whole days (issue 8).
        if (await Mail.MailLoads.AgencyOfAsync(db, counsellorId, cancellationToken) is { } agencyId)
        {
            blocks.AddRange(await db.AgencyClosingDays.AsNoTracking()
                .Where(d => d.AgencyId == agencyId && d.Date >= today)
                .Select(d => new DayBlock(d.Date, null, null))
                .ToListAsync(cancellationToken));
        }

        var absences = await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId && a.EndUtc > now)
            .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .ToListAsync(cancellationToken);
        var booked = await db.Appointments.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId && a.EndUtc > now
                && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed))
            .Select(a => new BookedTime(a.StartUtc, a.EndUtc))
            .ToListAsync(cancellationToken);
        return new Calendar(hours, blocks, absences, booked);
    }
}
