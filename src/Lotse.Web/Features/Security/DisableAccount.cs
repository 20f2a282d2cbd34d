using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Security;

public sealed record DisableAccountRequest(string UserId);

public enum DisableAccountResult
{
    Disabled,
    NotFound,
}

/// <summary>
/// Disables an account (for issue 8's admin pages; who may call it is decided there): no more sign-in, every session
/// ends at once and every live hub connection of the person closes, on this instance directly and on the others
/// through Redis. The security stamp changes too, so even a cookie from before server-side sessions is refused. The audit
/// log records who disabled whom, in the same save as the change.
/// </summary>
public sealed class DisableAccount(UserManager<IdentityUser> users, LotseDb db, UserSessions sessions, AuditLog audit, TimeProvider clock)
{
    public async Task<DisableAccountResult> HandleAsync(DisableAccountRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByIdAsync(request.UserId);
        if (user is null)
        {
            return DisableAccountResult.NotFound;
        }

        var row = await db.AccountSecurity.SingleOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (row is null)
        {
            row = new AccountSecurity(user.Id);
            db.AccountSecurity.Add(row);
        }

        if (row.DisabledUtc is null)
        {
            row.DisabledUtc = clock.GetUtcNow().UtcDateTime;
            await audit.RecordAsync(AuditAction.AccountDisabled, new AuditTarget(AuditTargetType.User, user.Id), null, "Zugang deaktiviert", cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, SessionEnd.Disabled, cancellationToken);
        return DisableAccountResult.Disabled;
    }
}
