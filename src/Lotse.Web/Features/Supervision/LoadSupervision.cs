using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Mail;
using Lotse.Domain.Supervision;
using Lotse.Web.Data;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Mail;
using Lotse.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Supervision;

/// <summary>What the live supervision page shows, computed for one agency at one instant.</summary>
public sealed record SupervisionView(string AgencyName, BoardView Board, IReadOnlyDictionary<Guid, string> Names, TimeSpan ResponseTarget, DateTime Now);

/// <summary>
/// Loads the live supervision page of an agency: counsellors with status, open requests and running absence exactly as
/// mail routing reads them (<see cref="MailLoads"/>), chat presence, next appointments, open threads and today's
/// forwardings (Berlin day), and lets <see cref="SupervisionBoard"/> put them together. Never a subject, message or client.
/// </summary>
public sealed class LoadSupervision(LotseDb db, TimeProvider clock, IChatPresence presence)
{
    public async Task<SupervisionView> LoadAsync(Agency agency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agency);
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = await MailLoads.CounsellorsOfAsync(db, agency.Id, cancellationToken);
        var loads = await MailLoads.LoadAsync(db, ids, now, activeOnly: false, cancellationToken);
        var names = await db.Counsellors.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        var nextAppointments = (await db.Appointments.AsNoTracking()
                .Where(a => ids.Contains(a.CounsellorId) && a.Status == AppointmentStatus.Confirmed && a.EndUtc > now)
                .Select(a => new { a.CounsellorId, a.StartUtc })
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.CounsellorId)
            .ToDictionary(g => g.Key, g => g.Min(a => a.StartUtc));

        var board = new List<CounsellorOnBoard>();
        foreach (var load in loads)
        {
            board.Add(new CounsellorOnBoard(
                load,
                names.GetValueOrDefault(load.CounsellorId, ""),
                await presence.IsConnectedAsync(load.CounsellorId, cancellationToken),
                nextAppointments.TryGetValue(load.CounsellorId, out var next) ? next : null));
        }

        var open = await db.MailThreads.AsNoTracking()
            .Where(t => t.AgencyId == agency.Id && (t.State == MailThreadState.Open || t.State == MailThreadState.InProgress))
            .Select(t => new OpenThreadRow(t.CounsellorId, t.State, t.CreatedUtc, t.AwaitingReplySinceUtc))
            .ToListAsync(cancellationToken);

        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(now));
        BerlinTime.TryToUtc(today, TimeOnly.MinValue, out var dayStart);
        var forwarded = await db.MailThreads.AsNoTracking()
            .Where(t => t.AgencyId == agency.Id && t.CreatedUtc >= dayStart && t.RouteKind != RouteKind.Counsellor)
            .Select(t => new ForwardedRow(t.CreatedUtc, t.RouteKind, t.RouteReason, t.QueueCause, t.ForwardedFromId, t.CounsellorId))
            .ToListAsync(cancellationToken);

        // Fallbacks and forwarders may be of another agency (a personal fallback): name them too, nothing more.
        var others = forwarded.SelectMany(f => new[] { f.FromCounsellorId, f.ToCounsellorId }).OfType<Guid>().Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var (id, name) in await db.Counsellors.AsNoTracking().Where(c => others.Contains(c.Id)).Select(c => new { c.Id, c.DisplayName }).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken))
            {
                names[id] = name;
            }
        }

        return new SupervisionView(
            agency.Name,
            SupervisionBoard.Build(board, open, forwarded, agency.ResponseTarget, now),
            names,
            agency.ResponseTarget,
            now);
    }
}
