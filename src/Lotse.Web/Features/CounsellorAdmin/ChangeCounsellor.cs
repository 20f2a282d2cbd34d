using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

public sealed record CounsellorChange(string DisplayName, bool IsCounsellor, bool IsAdmin);

public enum ChangeOutcome
{
    Saved,

    /// <summary>The Berater:in role cannot go while the person still has open mail requests or future appointments.</summary>
    StillCounselling,
}

/// <summary>
/// The admin changes a counsellor's display name and roles (Berater:in, Administrator:in of this agency). A role change
/// ends the person's sessions, so that it applies at once (they sign in again with the new roles). Taking the
/// Berater:in role away hides them from clients and routing (<see cref="ActiveCounsellors"/>); it is refused while
/// they still have open requests or future appointments: those are handed over by disabling the account.
/// </summary>
public sealed class ChangeCounsellor(LotseDb db, UserManager<IdentityUser> users, UserSessions sessions, AuditLog audit, TimeProvider clock)
{
    public async Task<ChangeOutcome> HandleAsync(Guid agencyId, Counsellor counsellor, CounsellorChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        ArgumentNullException.ThrowIfNull(change);
        var user = await users.FindByIdAsync(counsellor.UserId) ?? throw new InvalidOperationException("A counsellor without a user.");
        var wasCounsellor = await users.IsInRoleAsync(user, Roles.Counsellor);
        var wasAdmin = await users.IsInRoleAsync(user, Roles.AgencyAdmin);
        var now = clock.GetUtcNow().UtcDateTime;
        if (wasCounsellor && !change.IsCounsellor
            && (await db.MailThreads.OpenRequests().AnyAsync(t => t.CounsellorId == counsellor.Id, cancellationToken)
                || await db.Appointments.AnyAsync(a => a.CounsellorId == counsellor.Id && a.StartUtc > now
                    && (a.Status == Domain.Appointments.AppointmentStatus.Requested || a.Status == Domain.Appointments.AppointmentStatus.Confirmed), cancellationToken)))
        {
            return ChangeOutcome.StillCounselling;
        }

        var name = change.DisplayName.Trim();
        if (name != counsellor.DisplayName)
        {
            await audit.RecordAsync(AuditAction.CounsellorRenamed, AuditTarget.Of(AuditTargetType.Counsellor, counsellor.Id), agencyId,
                $"Name: {counsellor.DisplayName} → {name}", cancellationToken);
            counsellor.Rename(name);
            await db.SaveChangesAsync(cancellationToken);
        }

        var rolesChanged = false;
        foreach (var (role, was, wanted) in new[] { (Roles.Counsellor, wasCounsellor, change.IsCounsellor), (Roles.AgencyAdmin, wasAdmin, change.IsAdmin) })
        {
            if (was == wanted)
            {
                continue;
            }

            rolesChanged = true;
            // Before the role change: Identity's store saves the unit of work, and the entry with it.
            if (wanted)
            {
                await audit.RoleGrantedAsync(user, role, "Verwaltung der Berater:innen", cancellationToken);
                Roles.Ensure(await users.AddToRoleAsync(user, role), "role");
            }
            else
            {
                await audit.RoleRevokedAsync(user, role, "Verwaltung der Berater:innen", cancellationToken);
                Roles.Ensure(await users.RemoveFromRoleAsync(user, role), "role");
            }
        }

        if (rolesChanged)
        {
            if (!change.IsCounsellor)
            {
                await ClearFallbackAsync(agencyId, counsellor.Id, cancellationToken);
            }

            await users.UpdateSecurityStampAsync(user);
            await sessions.EndAllAsync(user.Id, SessionEnd.RolesChanged, cancellationToken);
        }

        return ChangeOutcome.Saved;
    }

    /// <summary>Someone who no longer counsels is nobody's fallback.</summary>
    private async Task ClearFallbackAsync(Guid agencyId, Guid counsellorId, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.SingleAsync(a => a.Id == agencyId, cancellationToken);
        if (agency.FallbackCounsellorId == counsellorId)
        {
            agency.SetFallbackCounsellor(null);
            await audit.RecordAsync(AuditAction.AgencyMailSettingsChanged, AuditTarget.Of(AuditTargetType.Agency, agency.Id), agency.Id,
                "Fallback-Berater:in aufgehoben (Rolle Berater:in entzogen)", cancellationToken);
        }

        foreach (var colleague in await db.Counsellors.Where(c => c.PersonalFallbackId == counsellorId).ToListAsync(cancellationToken))
        {
            colleague.SetPersonalFallback(null);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
