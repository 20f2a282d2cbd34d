using System.Collections.Concurrent;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lotse.Web.Features.Security;

/// <summary>An open hub connection of a signed-in person, as this instance knows it.</summary>
internal sealed record LiveConnection(HubCallerContext Context, Guid SessionId, string UserId, string Hub);

/// <summary>
/// Closes live connections when sessions end. Each instance keeps the hub connections it holds (chat, availability,
/// room) by session; ending a session or all of a user's sessions aborts them here and, with Redis configured, is
/// published on a channel that every instance listens to, so connections on other instances close as well. A missed
/// message is caught by the next hub call (it re-checks the database at least once a minute) and by
/// <see cref="SessionSweeper"/>.
/// </summary>
public sealed partial class SessionRevocations(SessionCache cache, IServiceProvider services, IOptions<RedisSettings> redisSettings, ILogger<SessionRevocations> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChannelMessageQueue? _subscription;

    private RedisConnection? Redis => services.GetService<RedisConnection>();

    private RedisChannel Channel => RedisChannel.Literal(redisSettings.Value.ChannelPrefix + ":sessions:ended");

    internal void Register(HubCallerContext context, Guid sessionId, string userId, string hub) =>
        _connections[context.ConnectionId] = new LiveConnection(context, sessionId, userId, hub);

    internal void Unregister(string connectionId) => _connections.TryRemove(connectionId, out _);

    internal IReadOnlyList<LiveConnection> Connections() => [.. _connections.Values];

    /// <summary>How many live connections this instance holds for a user (tests and diagnostics).</summary>
    public int ConnectionsOf(string userId) => _connections.Values.Count(c => c.UserId == userId);

    /// <summary>Completes once this instance listens to the other instances (at once without Redis).</summary>
    public Task SubscribedAsync() => _subscribed.Task;

    public Task RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken) => PublishAsync("s:" + sessionId.ToString("N"), cancellationToken);

    public Task RevokeUserAsync(string userId, CancellationToken cancellationToken) => PublishAsync("u:" + userId, cancellationToken);

    /// <summary>Closes this instance's connections of the ended session(s) and forgets them in the cache.</summary>
    internal void Apply(string message)
    {
        if (message.StartsWith("s:", StringComparison.Ordinal) && Guid.TryParseExact(message[2..], "N", out var sessionId))
        {
            cache.Forget(sessionId);
            Abort(c => c.SessionId == sessionId);
        }
        else if (message.StartsWith("u:", StringComparison.Ordinal))
        {
            var userId = message[2..];
            cache.ForgetUser(userId);
            Abort(c => c.UserId == userId);
        }
    }

    internal void Abort(Func<LiveConnection, bool> which)
    {
        foreach (var connection in _connections.Values.Where(which))
        {
            _connections.TryRemove(connection.Context.ConnectionId, out _);
            connection.Context.Abort();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Redis is not { } redis)
        {
            _subscribed.TrySetResult();
            return;
        }

        var subscriber = await redis.SubscriberAsync();
        _subscription = await subscriber.SubscribeAsync(Channel);
        _subscription.OnMessage(m =>
        {
            if (m.Message.HasValue)
            {
                Apply(m.Message.ToString());
            }
        });
        _subscribed.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }

    private async Task PublishAsync(string message, CancellationToken cancellationToken)
    {
        // Here first: this instance must not depend on Redis to close its own connections.
        Apply(message);
        if (Redis is not { } redis)
        {
            return;
        }

        try
        {
            var subscriber = await redis.SubscriberAsync();
            await subscriber.PublishAsync(Channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The database already says "ended": other instances refuse the next hub call and the sweeper closes the rest.
            LogPublishFailed(logger, e.GetType().Name);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other instances that a session ended ({Error}); they find out within a minute.")]
    private static partial void LogPublishFailed(ILogger logger, string error);
}
