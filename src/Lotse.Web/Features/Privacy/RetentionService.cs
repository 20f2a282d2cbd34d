using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// Runs <see cref="ApplyRetention"/> once at start and then every <see cref="RetentionOptions.IntervalMinutes"/> on the
/// injected clock. With Retention:BackgroundService=false it is registered but not started (tests call the handler).
/// Several instances may run it at once: every deletion checks its condition again in its own transaction.
/// Logs carry counts only.
/// </summary>
public sealed class RetentionService(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<RetentionOptions> options,
    ILogger<RetentionService> logger) : BackgroundService
{
    /// <summary>Runs the retention now, in a scope of its own.</summary>
    public async Task<RetentionReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<ApplyRetention>().ApplyAsync(cancellationToken);
        if (report.Accounts + report.MailThreads + report.ChatConversations > 0)
        {
            logger.LogInformation(
                "Retention: {Accounts} inactive anonymous account(s), {Threads} closed mail thread(s), {Chats} closed chat(s) deleted.",
                report.Accounts,
                report.MailThreads,
                report.ChatConversations);
        }

        return report;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes), clock);
        try
        {
            // Let the host finish starting before the first run reaches for the database.
            await Task.Yield();
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be away for a moment; nothing is lost by waiting for the next run.
                    logger.LogError("Retention failed ({Error}); retrying on the next run.", e.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
