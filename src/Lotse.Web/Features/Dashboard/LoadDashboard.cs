using Lotse.Domain.Absences;
using Lotse.Domain.Appointments;
using Lotse.Domain.Dashboard;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using DashboardRules = Lotse.Domain.Dashboard.Dashboard;

namespace Lotse.Web.Features.Dashboard;

/// <summary>The three tiles, and until when they stay as they are unless the data changes.</summary>
public sealed record LoadedDashboard(DashboardView View, DateTime? NextChangeUtc);

/// <summary>Loads the rows the three tiles need and lets <see cref="DashboardRules.Build"/> decide what shows.</summary>
public sealed class LoadDashboard(LotseDb db, TimeProvider clock)
{
    public async Task<LoadedDashboard> LoadAsync(Lotse.Domain.Accounts.Counsellor counsellor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        var now = clock.GetUtcNow().UtcDateTime;

        // The database narrows to candidates (indexed on counsellor, status, end); the domain applies the rule.
        var appointments = await (
                from a in db.Appointments.AsNoTracking()
                join c in db.Clients.AsNoTracking() on a.ClientId equals c.Id
                where a.CounsellorId == counsellor.Id && a.Status == AppointmentStatus.Confirmed && a.EndUtc > now
                orderby a.StartUtc
                select new AppointmentRow(a.Id, a.StartUtc, a.EndUtc, a.Status, a.Channel, c.Nickname))
            .Take(DashboardRules.MaxAppointments)
            .ToListAsync(cancellationToken);

        var absences = await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == counsellor.Id && a.EndUtc > now)
            .OrderBy(a => a.StartUtc)
            .Take(2)
            .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .ToListAsync(cancellationToken);

        return new LoadedDashboard(
            DashboardRules.Build(appointments, absences, counsellor.Status, now),
            DashboardRules.NextChange(appointments, absences, now));
    }
}
