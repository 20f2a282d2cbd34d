using Lotse.Domain.Agencies;
using Lotse.Domain.Mail;
using Lotse.Domain.Supervision;
using Lotse.Web.Data;
using Lotse.Web.Features.Mail;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Supervision;

/// <summary>
/// Loads the rows of one month of one agency (mail requests with their first answer, chats and appointments of its
/// counsellors) and counts them with <see cref="MonthlyStatistics"/>. Only times and kinds are read: no subject, no text.
/// </summary>
public sealed class LoadStatistics(LotseDb db, TimeProvider clock)
{
    public async Task<MonthFigures> LoadAsync(Agency agency, StatisticsMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agency);
        ArgumentNullException.ThrowIfNull(month);
        var now = clock.GetUtcNow().UtcDateTime;
        var start = month.StartUtc(BerlinTime.Zone);
        var end = month.EndUtc(BerlinTime.Zone);
        var ids = await MailLoads.CounsellorsOfAsync(db, agency.Id, cancellationToken);

        var mail = await db.MailThreads.AsNoTracking()
            .Where(t => t.AgencyId == agency.Id && t.CreatedUtc >= start && t.CreatedUtc < end)
            .Select(t => new MailRequestRow(
                t.CreatedUtc,
                t.RouteKind,
                db.MailMessages.Where(m => m.ThreadId == t.Id && m.Sender == MailSide.Counsellor).OrderBy(m => m.Id).Select(m => (DateTime?)m.SentUtc).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var chats = await db.Conversations.AsNoTracking()
            .Where(c => ids.Contains(c.CounsellorId) && c.CreatedUtc >= start && c.CreatedUtc < end)
            .Select(c => c.CreatedUtc)
            .ToListAsync(cancellationToken);
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => ids.Contains(a.CounsellorId) && a.StartUtc >= start && a.StartUtc < end)
            .Select(a => new AppointmentStatRow(a.StartUtc, a.EndUtc, a.Status, a.Channel))
            .ToListAsync(cancellationToken);

        return MonthlyStatistics.Build(month, BerlinTime.Zone, mail, chats, appointments, now);
    }
}
