using System.Collections.Concurrent;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>What a check found; everything but <see cref="Valid"/> means "sign in again".</summary>
public enum SessionState
{
    Valid,
    Unknown,
    Ended,
    Idle,
    Expired,
}

/// <summary>A session as the hubs remember it between database checks.</summary>
internal sealed record CachedSession(string UserId, bool IsStaff, DateTime CreatedUtc, DateTime LastSeenUtc, DateTime? EndedUtc, DateTimeOffset CheckedAt);

/// <summary>
/// Per instance: the sessions checked lately. Hub calls (many per minute on a busy chat) trust an entry for
/// <see cref="SessionTimeouts.HubRecheck"/>, page requests for <see cref="SessionTimeouts.PageRecheck"/> (and only while
/// this instance hears the others), because an ended session is pushed here at once (<see cref="SessionRevocations"/>,
/// across instances through Redis).
/// </summary>
public sealed class SessionCache
{
    private readonly ConcurrentDictionary<Guid, CachedSession> _entries = new();

    internal bool TryGet(Guid id, out CachedSession entry) => _entries.TryGetValue(id, out entry!);

    internal void Set(Guid id, CachedSession entry) => _entries[id] = entry;

    public void Forget(Guid id) => _entries.TryRemove(id, out _);

    public void ForgetUser(string userId)
    {
        foreach (var (id, entry) in _entries)
        {
            if (entry.UserId == userId)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>Starts, checks and ends server-side sessions.</summary>
public sealed class UserSessions(LotseDb db, TimeProvider clock, IOptions<SessionTimeouts> options, SessionCache cache, SessionRevocations revocations)
{
    private SessionTimeouts Timeouts => options.Value;

    public async Task<Guid> StartAsync(string userId, bool isStaff, CancellationToken cancellationToken)
    {
        var session = new UserSession(Guid.NewGuid(), userId, isStaff, clock.GetUtcNow().UtcDateTime);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>
    /// Checks that the session exists, belongs to <paramref name="userId"/>, has not ended and is neither idle nor past
    /// its absolute end. <paramref name="activity"/> counts the call as the person's activity (last-seen is written at
    /// most once a minute). <paramref name="maxCacheAge"/> zero reads the database.
    /// </summary>
    public async Task<SessionState> CheckAsync(Guid id, string userId, bool activity, TimeSpan maxCacheAge, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        CachedSession? entry = null;
        var remembered = maxCacheAge > TimeSpan.Zero && cache.TryGet(id, out entry) && now - entry.CheckedAt < maxCacheAge;
        if (!remembered || entry is null)
        {
            var row = await db.UserSessions.AsNoTracking().Where(s => s.Id == id)
                .Select(s => new { s.UserId, s.IsStaff, s.CreatedUtc, s.LastSeenUtc, s.EndedUtc })
                .SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                cache.Forget(id);
                return SessionState.Unknown;
            }

            entry = new CachedSession(row.UserId, row.IsStaff, row.CreatedUtc, row.LastSeenUtc, row.EndedUtc, now);
            cache.Set(id, entry);
        }

        if (entry.UserId != userId)
        {
            return SessionState.Unknown;
        }

        if (entry.EndedUtc is not null)
        {
            return SessionState.Ended;
        }

        var state = StateAt(entry.CreatedUtc, entry.LastSeenUtc, entry.IsStaff, now.UtcDateTime, Timeouts);
        if (state != SessionState.Valid && remembered)
        {
            // Another instance may have seen activity since: the database decides before a session is ended.
            return await CheckAsync(id, userId, activity, TimeSpan.Zero, cancellationToken);
        }

        if (state != SessionState.Valid)
        {
            await EndAsync(id, state == SessionState.Idle ? SessionEnd.Idle : SessionEnd.Expired, cancellationToken);
            return state;
        }

        if (activity && now.UtcDateTime - entry.LastSeenUtc >= Timeouts.TouchInterval)
        {
            var nowUtc = now.UtcDateTime;
            // Conditional: a session ended meanwhile (on any instance) is not brought back by a late touch.
            var touched = await db.UserSessions.Where(s => s.Id == id && s.EndedUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenUtc, nowUtc), cancellationToken);
            if (touched == 0)
            {
                cache.Forget(id);
                return SessionState.Ended;
            }

            cache.Set(id, entry with { LastSeenUtc = nowUtc });
        }

        return SessionState.Valid;
    }

    /// <summary>Records activity that is no request (an open appointment room); a session ended meanwhile stays ended.</summary>
    public async Task TouchAsync(Guid id, CancellationToken cancellationToken)
    {
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.Id == id && s.EndedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenUtc, nowUtc), cancellationToken);
        if (cache.TryGet(id, out var entry))
        {
            cache.Set(id, entry with { LastSeenUtc = nowUtc });
        }
    }

    /// <summary>The rule itself: idle since the last activity, or past the absolute end since the sign-in.</summary>
    public static SessionState StateAt(DateTime createdUtc, DateTime lastSeenUtc, bool isStaff, DateTime nowUtc, SessionTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        if (nowUtc - createdUtc >= timeouts.Absolute)
        {
            return SessionState.Expired;
        }

        return nowUtc - lastSeenUtc >= timeouts.IdleFor(isStaff) ? SessionState.Idle : SessionState.Valid;
    }

    /// <summary>Ends one session (logout, timeout) and tells every instance to close its live connections.</summary>
    public async Task EndAsync(Guid id, SessionEnd reason, CancellationToken cancellationToken)
    {
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.Id == id && s.EndedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, nowUtc).SetProperty(s => s.EndReason, reason), cancellationToken);
        await revocations.RevokeSessionAsync(id, cancellationToken);
    }

    /// <summary>Ends every session of a user (disabled, password changed) and closes their live connections everywhere.</summary>
    public async Task EndAllAsync(string userId, SessionEnd reason, CancellationToken cancellationToken)
    {
        var nowUtc = clock.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, nowUtc).SetProperty(s => s.EndReason, reason), cancellationToken);
        await revocations.RevokeUserAsync(userId, cancellationToken);
    }
}
