using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Counsellors;

/// <summary>Finds the counsellor or client row behind the signed-in user; every ownership check starts here.</summary>
public sealed class CounsellorLookup(LotseDb db, CurrentUser user)
{
    /// <summary>The signed-in counsellor, tracked so that a handler can change it; null for anyone else.</summary>
    public async Task<Counsellor?> CurrentCounsellorAsync(CancellationToken cancellationToken) =>
        user.IsCounsellor && user.UserId is { } id
            ? await db.Counsellors.SingleOrDefaultAsync(c => c.UserId == id, cancellationToken)
            : null;

    /// <summary>Id of the signed-in counsellor, or null.</summary>
    public async Task<Guid?> CurrentCounsellorIdAsync(CancellationToken cancellationToken) =>
        user.IsCounsellor && user.UserId is { } id
            ? await db.Counsellors.AsNoTracking().Where(c => c.UserId == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken)
            : null;

    /// <summary>Id of the signed-in client, or null.</summary>
    public async Task<Guid?> CurrentClientIdAsync(CancellationToken cancellationToken) =>
        user.IsClient && user.UserId is { } id
            ? await db.Clients.AsNoTracking().Where(c => c.UserId == id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken)
            : null;
}
