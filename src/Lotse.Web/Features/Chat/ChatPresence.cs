using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.SignalR;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// Which counsellors have at least one open chat connection. A counsellor in chat mode "Online" is shown online only
/// while this says connected. Going offline waits <see cref="ChatPresence.Grace"/> after the last connection closed:
/// moving from one page to the next closes one connection and opens another, and clients should not see the counsellor
/// blink offline. Every flip is told to the client pages through <see cref="AvailabilityNotifier"/>.
/// <para>
/// Chosen at start-up (<see cref="ChatSetup"/>): <see cref="ChatPresence"/> in this process's memory for one app
/// instance, <see cref="RedisChatPresence"/> shared through Redis when several instances run (decision 11).
/// </para>
/// </summary>
public interface IChatPresence
{
    /// <summary>Connected now (on any instance), or disconnected less than <see cref="ChatPresence.Grace"/> ago.</summary>
    Task<bool> IsConnectedAsync(Guid counsellorId, CancellationToken cancellationToken);

    /// <summary>Counts one more connection; true when the counsellor was offline before (presence flips to on).</summary>
    Task<bool> ConnectedAsync(Guid counsellorId, CancellationToken cancellationToken);

    /// <summary>Counts one connection less; the last one starts the grace time, after which presence flips to off.</summary>
    Task DisconnectedAsync(Guid counsellorId, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IChatPresence"/> in this process's memory, which is right for one app instance.
/// </summary>
public sealed class ChatPresence(TimeProvider clock, IHubContext<AvailabilityHub> availabilityHub, ILogger<ChatPresence> logger) : IChatPresence, IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Presence> _counsellors = [];

    public Task<bool> IsConnectedAsync(Guid counsellorId, CancellationToken cancellationToken) => Task.FromResult(IsConnected(counsellorId));

    public Task<bool> ConnectedAsync(Guid counsellorId, CancellationToken cancellationToken) => Task.FromResult(Connected(counsellorId));

    public Task DisconnectedAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        Disconnected(counsellorId);
        return Task.CompletedTask;
    }

    /// <summary>Connected now, or disconnected less than <see cref="Grace"/> ago.</summary>
    public bool IsConnected(Guid counsellorId)
    {
        lock (_lock)
        {
            return _counsellors.ContainsKey(counsellorId);
        }
    }

    /// <summary>Counts one more connection; true when the counsellor was offline before (presence flips to on).</summary>
    public bool Connected(Guid counsellorId)
    {
        lock (_lock)
        {
            if (_counsellors.TryGetValue(counsellorId, out var presence))
            {
                // Back within the grace time: still online, nobody needs to hear anything.
                presence.Leaving?.Dispose();
                presence.Leaving = null;
                presence.Connections++;
                return false;
            }

            _counsellors[counsellorId] = new Presence { Connections = 1 };
            return true;
        }
    }

    /// <summary>Counts one connection less; the last one starts the grace time, after which presence flips to off.</summary>
    public void Disconnected(Guid counsellorId)
    {
        lock (_lock)
        {
            if (!_counsellors.TryGetValue(counsellorId, out var presence) || presence.Connections == 0)
            {
                return;
            }

            presence.Connections--;
            if (presence.Connections == 0)
            {
                presence.Leaving = clock.CreateTimer(_ => Left(counsellorId), null, Grace, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var presence in _counsellors.Values)
            {
                presence.Leaving?.Dispose();
            }

            _counsellors.Clear();
        }
    }

    private void Left(Guid counsellorId)
    {
        lock (_lock)
        {
            if (!_counsellors.TryGetValue(counsellorId, out var presence) || presence.Connections > 0)
            {
                return;
            }

            presence.Leaving?.Dispose();
            _counsellors.Remove(counsellorId);
        }

        _ = TellAsync(counsellorId);
    }

    private async Task TellAsync(Guid counsellorId)
    {
        try
        {
            await new AvailabilityNotifier(availabilityHub).ChangedAsync(counsellorId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer has no caller to report to; the client pages still refresh at their next change or reconnect.
            logger.LogWarning(e, "Could not tell client pages that counsellor {CounsellorId} went offline.", counsellorId);
        }
    }

    private sealed class Presence
    {
        public int Connections { get; set; }

        public ITimer? Leaving { get; set; }
    }
}
