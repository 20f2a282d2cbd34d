using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// Sends the outbox's pending e-mails: every few seconds it takes the notifications that are due, sends each
/// with its appointment's invitation, and records the outcome (sent, or failed with back-off until it gives up).
/// <para>
/// Several instances may run at once. Each notification is claimed before it is sent, by one conditional UPDATE
/// that moves its next attempt a lease into the future: only the instance whose UPDATE changed the row sends it;
/// the others see the row as not due. The outcome is saved per notification, right after its send.
/// A mail can still go out twice, and only when the instance that sent it dies (or loses the database) between
/// the SMTP server's "accepted" and saving "sent": the lease then runs out and another instance sends it again.
/// That cannot be closed without the mail server taking part in our transaction; a second copy of "there is
/// news" is the lesser harm than none.
/// </para>
/// Logs carry ids and counts only: never an address, a subject or a body.
/// </summary>
public sealed class NotificationDispatcher(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<MailOptions> options,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 20;

    /// <summary>Sends every notification that is due now; returns how many were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var failed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await DueBatchAsync(cancellationToken);
            foreach (var (id, nextAttemptUtc) in due)
            {
                switch (await SendOneAsync(id, nextAttemptUtc, cancellationToken))
                {
                    case Outcome.Sent:
                        sent++;
                        break;
                    case Outcome.Failed:
                        failed++;
                        break;
                }
            }

            // A short batch means nothing more is due; a failed mail is not due again before its back-off.
            if (due.Count < BatchSize)
            {
                break;
            }
        }

        if (sent + failed > 0)
        {
            logger.LogInformation("Notification mails: {Sent} sent, {Failed} failed.", sent, failed);
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            logger.LogInformation("Notification mails are written as .eml files into {Folder}, not sent.", settings.PickupDirectory);
        }
        else if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            logger.LogWarning("Neither Mail:Smtp:Host nor Mail:PickupDirectory is set: notification mails will fail and stay in the app only.");
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, settings.DispatchSeconds)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await DispatchDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be away for a moment: the next tick tries again, the outbox keeps everything.
                    logger.LogError("Notification dispatch failed ({Error}); retrying on the next tick.", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private enum Outcome
    {
        Sent,
        Failed,
        TakenByOther,
    }

    private async Task<List<(Guid Id, DateTime NextAttemptUtc)>> DueBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.Email == EmailState.Pending && n.NextAttemptUtc <= now)
            .OrderBy(n => n.NextAttemptUtc)
            .Take(BatchSize)
            .Select(n => new { n.Id, n.NextAttemptUtc })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.NextAttemptUtc!.Value)).ToList();
    }

    private async Task<Outcome> SendOneAsync(Guid id, DateTime seenNextAttemptUtc, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<LotseDb>();
        var now = clock.GetUtcNow().UtcDateTime;

        // The claim: compare-and-set on the next attempt we saw. Not a domain change but a lease, so it is written
        // directly; whatever happens next, EmailSent/EmailFailed overwrite it.
        var leaseUntil = now + MailKitMailSender.MaxSendDuration;
        var claimed = await db.Notifications
            .Where(n => n.Id == id && n.Email == EmailState.Pending && n.NextAttemptUtc == seenNextAttemptUtc)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.NextAttemptUtc, leaseUntil), cancellationToken);
        if (claimed == 0)
        {
            return Outcome.TakenByOther;
        }

        var notification = await db.Notifications.SingleAsync(n => n.Id == id, cancellationToken);
        try
        {
            var mail = await ComposeAsync(services, db, notification, now, cancellationToken);
            await services.GetRequiredService<IMailSender>().SendAsync(mail, cancellationToken);
            notification.EmailSent();
            await db.SaveChangesAsync(CancellationToken.None);
            return Outcome.Sent;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            notification.EmailFailed(clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(CancellationToken.None);
            // The exception's message may quote the address (an SMTP "550 <x@y> unknown"): only its type is logged.
            logger.LogWarning(
                "Notification {NotificationId}: mail attempt {Attempt} failed ({Error}); {Next}.",
                id,
                notification.EmailAttempts,
                e.GetType().Name,
                notification.Email == EmailState.Failed ? "giving up" : "will retry");
            return Outcome.Failed;
        }
    }

    private static async Task<OutgoingMail> ComposeAsync(IServiceProvider services, LotseDb db, Notification notification, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var address = await db.Users.AsNoTracking()
            .Where(u => u.Id == notification.UserId)
            .Select(u => u.Email)
            .SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new InvalidOperationException("The recipient has no e-mail address any more.");
        }

        var appointment = notification.AppointmentId is { } appointmentId
            ? await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == appointmentId, cancellationToken)
            : null;

        using var german = GermanCulture.Use();
        var text = services.GetRequiredService<NotificationTexts>().Email(notification.Kind);
        var invitation = appointment is null ? null : services.GetRequiredService<CalendarInvite>().Build(appointment, address, nowUtc);
        return new OutgoingMail(address, text.Subject, text.Body, invitation);
    }
}
