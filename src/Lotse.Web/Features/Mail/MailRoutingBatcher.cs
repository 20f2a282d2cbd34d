using System.Threading.Channels;

namespace Lotse.Web.Features.Mail;

/// <summary>
/// Collects the new mail requests that arrive while a batch is being routed and hands them to <see cref="RouteMailRequests"/>
/// as the next batch (group commit): under load one transaction routes many requests with the statements of about one
/// (issue 6: routed requests per second on two cores, docs/benchmarks.md). A request alone is a batch of one and waits
/// for nothing. The sender gets its result only after the commit: nothing is acknowledged before it is stored.
/// One routing loop per app instance; several instances exclude each other through the database's locks as before.
/// </summary>
public sealed partial class MailRoutingBatcher(IServiceScopeFactory scopes, ILogger<MailRoutingBatcher> logger) : IAsyncDisposable
{
    /// <summary>Enough for the 32 concurrent senders of the bench; a larger batch would hold its locks longer.</summary>
    private const int MaxBatch = 64;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _start = new();
    private Task? _loop;

    /// <summary>Routes and stores the request with whatever else is waiting; the result once it is committed.</summary>
    public async Task<MailRequestResult> RouteAsync(PendingMailRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        lock (_start)
        {
            _loop ??= Task.Run(LoopAsync, CancellationToken.None);
        }

        // A sender that gives up (the browser went away) does not take the request back: it is routed and stored all the same.
        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        Task? loop;
        lock (_start)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            // What is queued is routed; a database that does not answer does not hold up the shutdown for long.
            _stopping.CancelAfter(TimeSpan.FromSeconds(10));
            await loop;
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await RouteTogetherAsync(batch);
        }
    }

    /// <summary>
    /// Routes requests as one batch and completes each one's result. A batch that fails (a request sent twice at the same
    /// instant through two app instances, two requests of one client reaching the same fallback, a deadlock with another
    /// instance) stored nothing: its requests are then routed one by one, so that one request's problem never fails another.
    /// </summary>
    internal async Task RouteTogetherAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var results = await scope.ServiceProvider.GetRequiredService<RouteMailRequests>()
                .RouteAsync([.. batch.Select(p => p.Request)], _stopping.Token);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException && batch.Count > 1)
        {
            LogBatchSplit(logger, e, batch.Count);
            foreach (var pending in batch)
            {
                await RouteTogetherAsync([pending]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The sender sees the failure (an error page, the form kept); the loop goes on with the next batch.
            LogRequestFailed(logger, e);
            batch[0].Result.TrySetException(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} mail requests could not be stored together; routing them one by one")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A mail request could not be routed; nothing of it was stored")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception);

    /// <summary>A request and the result its sender waits for.</summary>
    internal sealed record Pending(PendingMailRequest Request, TaskCompletionSource<MailRequestResult> Result)
    {
        public Pending(PendingMailRequest request)
            : this(request, new TaskCompletionSource<MailRequestResult>(TaskCreationOptions.RunContinuationsAsynchronously))
        {
        }
    }
}
