using System.Collections.Concurrent;
using System.Security.Claims;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// Keeps <see cref="Domain.Accounts.Client.LastActiveUtc"/>: retention deletes anonymous accounts nobody used for the
/// agency's period, so "used" must be recorded. Every request of a signed-in client counts (the first page after
/// signing in, every page, every form sent, every chat connection), to the nearest <see cref="Resolution"/>: the
/// column is written at most once per resolution and client, so browsing costs no database write per page.
/// </summary>
public sealed class ClientActivity(TimeProvider clock)
{
    /// <summary>Retention periods are counted in days (30 at least): minutes of precision are plenty.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(5);

    /// <summary>Bounds the memory of who was recorded when; forgetting only costs one more conditional UPDATE.</summary>
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, DateTime> _recorded = new(StringComparer.Ordinal);

    public async Task RecordAsync(LotseDb db, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = clock.GetUtcNow().UtcDateTime;
        if (_recorded.TryGetValue(userId, out var last) && last <= now && now - last < Resolution)
        {
            return;
        }

        if (_recorded.Count >= MaxRemembered)
        {
            _recorded.Clear();
        }

        _recorded[userId] = now;

        // Conditional: with several instances, or a stale clock on one of them, the time only moves forward, and an
        // instance that just wrote saves the others their write.
        var threshold = now - Resolution;
        await db.Clients
            .Where(c => c.UserId == userId && c.LastActiveUtc < threshold)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastActiveUtc, now), cancellationToken);
    }
}

/// <summary>Records the activity of signed-in clients (staff have no retention period).</summary>
public sealed class ClientActivityMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ClientActivity activity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(activity);
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Client) && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            // Resolved here, not as a parameter: anonymous requests and static files need no database context.
            await activity.RecordAsync(context.RequestServices.GetRequiredService<LotseDb>(), userId, context.RequestAborted);
        }

        await next(context);
    }
}
