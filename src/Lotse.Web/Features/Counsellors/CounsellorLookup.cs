using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Lotse.Web.Features.Counsellors;

/// <summary>Finds the counsellor or client row behind the signed-in user; every ownership check starts here.</summary>
public sealed class CounsellorLookup(LotseDb db, CurrentUser user, AccountRowIds ids)
{
    /// <summary>The signed-in counsellor, tracked so that a handler can change it; null for anyone else.</summary>
    public async Task<Counsellor?> CurrentCounsellorAsync(CancellationToken cancellationToken) =>
        user.IsCounsellor && user.UserId is { } id
            ? await db.Counsellors.SingleOrDefaultAsync(c => c.UserId == id, cancellationToken)
            : null;

    /// <summary>Id of the signed-in counsellor, or null.</summary>
    public async Task<Guid?> CurrentCounsellorIdAsync(CancellationToken cancellationToken) =>
        user.IsCounsellor && user.UserId is { } id
            ? await ids.GetAsync(AccountRowKind.Counsellor, id, () => db.Counsellors.AsNoTracking().Where(c => c.UserId == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken))
            : null;

    /// <summary>Id of the signed-in client, or null.</summary>
    public async Task<Guid?> CurrentClientIdAsync(CancellationToken cancellationToken) =>
        user.IsClient && user.UserId is { } id
            ? await ids.GetAsync(AccountRowKind.Client, id, () => db.Clients.AsNoTracking().Where(c => c.UserId == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken))
            : null;
}

public enum AccountRowKind
{
    Counsellor,
    Client,
}

/// <summary>
/// Which counsellor or client row belongs to a login, remembered in this process (issue 9: one query fewer on nearly
/// every page). Safe to keep because it never changes: a row is made with its login and keeps it for life, and when a
/// client deletes their account, row and login go together (the login's sessions end, so its id is never asked for
/// again; a new registration gets a new login id). Only found rows are kept; at most <see cref="Capacity"/> logins,
/// each forgotten after <see cref="Idle"/> without a request.
/// </summary>
public sealed class AccountRowIds : IDisposable
{
    public const int Capacity = 200_000;

    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public async Task<Guid?> GetAsync(AccountRowKind kind, string userId, Func<Task<Guid?>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var key = (kind, userId);
        if (_cache.TryGetValue(key, out Guid known))
        {
            return known;
        }

        var found = await load();
        if (found is { } id)
        {
            _cache.Set(key, id, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
        }

        return found;
    }

    public void Dispose() => _cache.Dispose();
}
