using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// Puts a reminder for both sides into the outbox when a confirmed appointment is less than
/// <see cref="MailOptions.ReminderHoursBefore"/> hours away; the dispatcher sends them. Exactly once per appointment,
/// even with several instances running: see <see cref="ScheduleDueAsync"/>.
/// </summary>
public sealed class ReminderScheduler(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<MailOptions> options,
    ILogger<ReminderScheduler> logger) : BackgroundService
{
    /// <summary>Once a minute is plenty for a reminder a day ahead.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Schedules the reminders that are due now; returns for how many appointments.</summary>
    public async Task<int> ScheduleDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now.AddHours(options.Value.ReminderHoursBefore);
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            // Appointments already under way get no reminder: it would arrive after the fact.
            due = await db.Appointments.AsNoTracking()
                .Where(a => a.Status == AppointmentStatus.Confirmed && a.ReminderSentUtc == null && a.StartUtc > now && a.StartUtc <= horizon)
                .OrderBy(a => a.StartUtc)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken);
        }

        var scheduled = 0;
        foreach (var id in due)
        {
            if (await RemindAsync(id, now, cancellationToken))
            {
                scheduled++;
            }
        }

        if (scheduled > 0)
        {
            logger.LogInformation("Reminders scheduled for {Count} appointment(s).", scheduled);
        }

        return scheduled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ScheduleDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Reminder scheduling failed ({Error}); retrying on the next tick.", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> RemindAsync(Guid appointmentId, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<NotificationOutbox>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // This is Appointment.MarkReminderSent, done as a conditional UPDATE: of two schedulers (or a scheduler and
        // a cancellation) only the one that still finds "confirmed, no reminder yet" changes the row; the other
        // changes nothing, adds nothing and rolls back. The appointment's concurrency token (Sequence) would not
        // catch this, as marking the reminder is no new version of the appointment for calendars.
        var claimed = await db.Appointments
            .Where(a => a.Id == appointmentId && a.Status == AppointmentStatus.Confirmed && a.ReminderSentUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReminderSentUtc, now), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var appointment = await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == appointmentId, cancellationToken);
        await outbox.AddForBothAsync(appointment, NotificationKind.AppointmentReminder, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
