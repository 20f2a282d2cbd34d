using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Once a minute (on the app's clock): closes the live connections whose session has ended, gone idle or passed its
/// absolute end, even if they make no call (a page left open still receives messages). An open appointment room counts
/// as activity: a video call of 50 minutes without a click is someone who is there.
/// </summary>
public sealed class SessionSweeper(IServiceScopeFactory scopes, SessionRevocations revocations, TimeProvider clock, IOptions<SessionTimeouts> options, ILogger<SessionSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    /// <summary>One pass; public so that tests can run it without waiting for the timer.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var live = revocations.Connections();
        if (live.Count == 0)
        {
            return;
        }

        var timeouts = options.Value;
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        foreach (var chunk in live.Select(c => c.SessionId).Distinct().Chunk(500))
        {
            var rows = await db.UserSessions.AsNoTracking().Where(s => chunk.Contains(s.Id))
                .Select(s => new { s.Id, s.UserId, s.IsStaff, s.CreatedUtc, s.LastSeenUtc, s.EndedUtc })
                .ToDictionaryAsync(s => s.Id, cancellationToken);
            var sessions = scope.ServiceProvider.GetRequiredService<UserSessions>();
            foreach (var id in chunk)
            {
                var inRoom = live.Any(c => c.SessionId == id && c.Hub == nameof(Appointments.RoomHub));
                var valid = rows.TryGetValue(id, out var row) && row.EndedUtc is null
                    && UserSessions.StateAt(row.CreatedUtc, inRoom ? nowUtc : row.LastSeenUtc, row.IsStaff, nowUtc, timeouts) == SessionState.Valid;
                if (!valid)
                {
                    revocations.Abort(c => c.SessionId == id);
                }
                else if (inRoom && nowUtc - row!.LastSeenUtc >= timeouts.TouchInterval)
                {
                    await sessions.TouchAsync(id, cancellationToken);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Session sweep failed ({Error}); the next one tries again.", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
