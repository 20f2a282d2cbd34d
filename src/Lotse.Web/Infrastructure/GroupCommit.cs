using System.Threading.Channels;

namespace Lotse.Web.Infrastructure;

/// <summary>
/// Group commit: collects the requests that arrive while a batch is being stored and stores them as the next batch, in
/// one transaction (<see cref="StoreAsync"/>). Under load one transaction then does the work of many with the statements
/// of about one (issues 5 and 6: messages and requests per second on two cores, docs/benchmarks.md). A request alone is
/// a batch of one and waits for nothing. A sender gets its result only after the commit: nothing is acknowledged before
/// it is stored. One loop per app instance; several instances exclude each other through the database's locks.
/// </summary>
/// <remarks>
/// A batch that fails (a request sent twice at the same instant through two app instances, a deadlock with another
/// instance) stored nothing: its requests are then stored one by one, so that one request's problem never fails another.
/// </remarks>
public abstract class GroupCommit<TRequest, TResult>(IServiceScopeFactory scopes, ILogger logger) : IAsyncDisposable
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _start = new();
    private Task? _loop;

    /// <summary>The most requests one transaction stores; a larger batch would hold its locks longer.</summary>
    protected abstract int MaxBatch { get; }

    /// <summary>Stores a batch in one transaction, in a DI scope of its own; the results in the order of <paramref name="batch"/>.</summary>
    protected abstract Task<IReadOnlyList<TResult>> StoreAsync(IServiceProvider services, IReadOnlyList<TRequest> batch, CancellationToken cancellationToken);

    /// <summary>Stores the request with whatever else is waiting; the result once it is committed.</summary>
    public async Task<TResult> SubmitAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        lock (_start)
        {
            _loop ??= Task.Run(LoopAsync, CancellationToken.None);
        }

        // A sender that gives up (the browser went away) does not take the request back: it is stored all the same.
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
            // What is queued is stored; a database that does not answer does not hold up the shutdown for long.
            _stopping.CancelAfter(TimeSpan.FromSeconds(10));
            await loop;
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
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

            await StoreTogetherAsync(batch);
        }
    }

    /// <summary>Stores requests as one batch and completes each one's result; a failed batch is stored one by one.</summary>
    internal async Task StoreTogetherAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var results = await StoreAsync(scope.ServiceProvider, [.. batch.Select(p => p.Request)], _stopping.Token);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException && batch.Count > 1)
        {
            GroupCommitLog.BatchSplit(logger, e, batch.Count);
            foreach (var pending in batch)
            {
                await StoreTogetherAsync([pending]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The sender sees the failure (an error message, the text kept); the loop goes on with the next batch.
            GroupCommitLog.RequestFailed(logger, e);
            batch[0].Result.TrySetException(e);
        }
    }

    /// <summary>A request and the result its sender waits for.</summary>
    internal sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Result)
    {
        public Pending(TRequest request)
            : this(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously))
        {
        }
    }
}

internal static partial class GroupCommitLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} could not be stored together; storing them one by one")]
    public static partial void BatchSplit(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request could not be stored; nothing of it was stored")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
