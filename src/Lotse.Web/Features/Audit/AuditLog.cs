using System.Security.Claims;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Audit;

/// <summary>Who acted, as the log keeps it: the user id, a staff member's name (never a client's nickname), and the role.</summary>
public sealed record AuditActor(string? UserId, string Display, string Role)
{
    public static AuditActor Unknown { get; } = new(null, "", "");
}

/// <summary>
/// The one way to write the audit log. <see cref="RecordAsync"/> adds an entry to the caller's <see cref="LotseDb"/> unit of
/// work, so the caller's own SaveChanges stores the change and its entry together or neither (a retry that clears the
/// change tracker drops the entry with the change). Reads of counselling content change nothing, so
/// <see cref="RecordReadAsync"/> saves at once, before the content is shown: no read without its entry.
/// The actor is the signed-in user of the request, or of the hub call (<see cref="UsePrincipal"/>).
/// </summary>
/// <remarks>It reads users and roles through <see cref="LotseDb"/>, not UserManager, so that a host without Identity (the mail bench) can use the handlers that record.</remarks>
public sealed class AuditLog(LotseDb db, TimeProvider clock, IHttpContextAccessor http, IServiceScopeFactory scopes)
{
    private ClaimsPrincipal? _principal;
    private AuditActor? _current;

    /// <summary>A hub call has no request of its own: it names its caller here.</summary>
    public AuditLog UsePrincipal(ClaimsPrincipal principal)
    {
        _principal = principal;
        _current = null;
        return this;
    }

    /// <summary>Adds an entry to the unit of work for the change it reports; the caller saves both.</summary>
    public async Task RecordAsync(AuditAction action, AuditTarget target, Guid? agencyId, string details, CancellationToken cancellationToken) =>
        Add(await CurrentActorAsync(cancellationToken), action, target, agencyId, details);

    /// <summary>Adds an entry with a known actor (a sign-in, a registration: nobody is signed in yet); the caller saves.</summary>
    public void Record(AuditActor actor, AuditAction action, AuditTarget target, Guid? agencyId, string details) =>
        Add(actor, action, target, agencyId, details);

    /// <summary>Records a read of counselling content and saves it at once, before the content leaves the server.</summary>
    public async Task RecordReadAsync(AuditAction action, AuditTarget target, Guid? agencyId, string details, CancellationToken cancellationToken)
    {
        var entry = Add(await CurrentActorAsync(cancellationToken), action, target, agencyId, details);
        await SaveOnlyAsync(entry, cancellationToken);
    }

    /// <summary>
    /// One sign-in attempt with the name as typed. A name nobody has is not stored (people type their password into the
    /// wrong field); a known name is stored as its user. Saved at once.
    /// </summary>
    public async Task RecordLoginAsync(string typedLogin, SignInResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        // As Identity's default normalizer does, so that the user found is the one the sign-in checked.
        var normalized = typedLogin?.Trim().Normalize().ToUpperInvariant();
        var user = string.IsNullOrEmpty(normalized) ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        var action = result.Succeeded ? AuditAction.LoginSucceeded
            : result.IsLockedOut ? AuditAction.LoginLockedOut
            : result.RequiresTwoFactor ? AuditAction.LoginSecondFactorRequired
            : AuditAction.LoginFailed;
        var details = result.Succeeded ? "Anmeldung erfolgreich"
            : result.IsLockedOut ? "Zugang gesperrt (zu viele Fehlversuche)"
            : result.RequiresTwoFactor ? "Passwort richtig, zweiter Faktor verlangt"
            : result.IsNotAllowed ? "Anmeldung nicht erlaubt"
            : user is null ? "Unbekannter Name" : "Falsches Passwort";
        var actor = user is null ? AuditActor.Unknown : await ActorForAsync(user, cancellationToken);
        var target = user is null ? new AuditTarget(AuditTargetType.User, "") : new AuditTarget(AuditTargetType.User, user.Id);
        await SaveOnlyAsync(Add(actor, action, target, null, details), cancellationToken);
    }

    /// <summary>The signed-in user signs out; saved at once (call before the sign-out clears the user).</summary>
    public async Task RecordLogoutAsync(CancellationToken cancellationToken)
    {
        var actor = await CurrentActorAsync(cancellationToken);
        if (actor.UserId is null)
        {
            return;
        }

        await SaveOnlyAsync(Add(actor, AuditAction.Logout, new AuditTarget(AuditTargetType.User, actor.UserId), null, "Abmeldung"), cancellationToken);
    }

    /// <summary>
    /// A role given to <paramref name="subject"/>: by the signed-in user, or by the subject themselves at registration.
    /// Call it before UserManager.AddToRoleAsync: Identity's store saves the unit of work, and with it this entry.
    /// </summary>
    public async Task RoleGrantedAsync(IdentityUser subject, string role, string how, CancellationToken cancellationToken) =>
        await RoleChangeAsync(subject, role, granted: true, how, cancellationToken);

    /// <summary>A role taken from <paramref name="subject"/>; call it before UserManager.RemoveFromRoleAsync (see <see cref="RoleGrantedAsync"/>).</summary>
    public async Task RoleRevokedAsync(IdentityUser subject, string role, string how, CancellationToken cancellationToken) =>
        await RoleChangeAsync(subject, role, granted: false, how, cancellationToken);

    /// <summary>The log's view of an Identity user: their staff name, or nothing for an advice seeker.</summary>
    public async Task<AuditActor> ActorForAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name).ToListAsync(cancellationToken);
        var role = MainRole(roles.Contains);
        return new AuditActor(user.Id, await DisplayAsync(user.Id, user.UserName, role, cancellationToken), role);
    }

    private async Task RoleChangeAsync(IdentityUser subject, string role, bool granted, string how, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var actor = await CurrentActorAsync(cancellationToken);
        if (actor.UserId is null)
        {
            // Registration: nobody is signed in; the new user gives themselves the one role registration can give.
            actor = new AuditActor(subject.Id, "", role);
        }

        var details = $"Rolle {AuditTexts.Role(role)} {(granted ? "vergeben" : "entzogen")} ({how})";
        Add(actor, granted ? AuditAction.RoleGranted : AuditAction.RoleRevoked, new AuditTarget(AuditTargetType.User, subject.Id), null, details);
    }

    private AuditEntry Add(AuditActor actor, AuditAction action, AuditTarget target, Guid? agencyId, string details)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = new AuditEntry(actor.UserId, actor.Display, actor.Role, action, target, agencyId, details, clock.GetUtcNow().UtcDateTime);
        db.AuditEntries().Add(entry);
        return entry;
    }

    /// <summary>Saves this one entry even when the context tracks other, unfinished work (which stays unsaved).</summary>
    private async Task SaveOnlyAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var others = db.ChangeTracker.Entries().Where(e => e.Entity != entry && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        if (others.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // Rare (a read recorded while a change is under way): the entry goes through a context of its own, the change waits for its caller.
        db.Entry(entry).State = EntityState.Detached;
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<LotseDb>();
        own.AuditEntries().Add(entry);
        await own.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Who acts in this request or hub call, for work that is recorded later by someone else (the mail routing batch).</summary>
    public async Task<AuditActor> CurrentActorAsync(CancellationToken cancellationToken)
    {
        if (_current is not null)
        {
            return _current;
        }

        var principal = _principal ?? http.HttpContext?.User;
        var userId = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal is null || userId is null)
        {
            return AuditActor.Unknown;
        }

        var role = MainRole(principal.IsInRole);
        _current = new AuditActor(userId, await DisplayAsync(userId, principal.Identity?.Name, role, cancellationToken), role);
        return _current;
    }

    private async Task<string> DisplayAsync(string userId, string? userName, string role, CancellationToken cancellationToken)
    {
        if (role is Roles.Client or "")
        {
            return "";
        }

        var name = await db.Counsellors.AsNoTracking().Where(c => c.UserId == userId).Select(c => c.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return name ?? userName ?? "";
    }

    /// <summary>The role that says most about what a person may do (an admin who also counsels is an admin).</summary>
    private static string MainRole(Func<string, bool> has) =>
        has(Roles.PlatformAdmin) ? Roles.PlatformAdmin
        : has(Roles.AgencyAdmin) ? Roles.AgencyAdmin
        : has(Roles.Counsellor) ? Roles.Counsellor
        : has(Roles.Client) ? Roles.Client
        : "";
}
