using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;

namespace Lotse.Domain.Dashboard;

public sealed record AppointmentRow(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentStatus Status, AppointmentChannel Channel, string ClientName);

public sealed record UpcomingAppointment(AppointmentRow Appointment, bool IsRunning);

public sealed record AbsenceTile(AbsencePeriod Absence, bool IsRunning);

public sealed record DashboardView(IReadOnlyList<UpcomingAppointment> NextAppointments, AbsenceTile? NextAbsence, AccountStatus Status);

/// <summary>The three tiles of the counsellor dashboard (seed text, binding).</summary>
public static class Dashboard
{
    /// <summary>"max. drei Termine".</summary>
    public const int MaxAppointments = 3;

    public static DashboardView Build(
        IEnumerable<AppointmentRow> appointments,
        IEnumerable<AbsencePeriod> absences,
        AccountStatus status,
        DateTime now)
    {
        // Only confirmed ones; a running appointment (started, not ended) stays so that "zum Termin" still works.
        var next = appointments
            .Where(a => a.Status == AppointmentStatus.Confirmed && a.EndUtc > now)
            .OrderBy(a => a.StartUtc)
            .ThenBy(a => a.Id)
            .Take(MaxAppointments)
            .Select(a => new UpcomingAppointment(a, a.StartUtc <= now))
            .ToList();

        var absence = AbsenceRules.Next(absences, now);
        return new DashboardView(
            next,
            absence is null ? null : new AbsenceTile(absence, absence.IsRunningAt(now)),
            status);
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which <see cref="Build"/> over the same rows would show
    /// something else (a start makes an item "läuft gerade", an end removes it and lets the next one in); null when
    /// nothing changes by time alone. A page built from these rows may be shown again until then.
    /// </summary>
    public static DateTime? NextChange(IEnumerable<AppointmentRow> appointments, IEnumerable<AbsencePeriod> absences, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(appointments);
        ArgumentNullException.ThrowIfNull(absences);
        var instants = appointments.SelectMany(a => new[] { a.StartUtc, a.EndUtc })
            .Concat(absences.SelectMany(a => new[] { a.StartUtc, a.EndUtc }))
            .Where(t => t > now)
            .ToList();
        return instants.Count == 0 ? null : instants.Min();
    }
}
