using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

public abstract record AcceptResult;

/// <summary>The account exists and is signed in with the password; the second factor is next.</summary>
public sealed record Accepted(IdentityUser User) : AcceptResult;

/// <summary>Unknown, expired, withdrawn or used link: one answer for all of them.</summary>
public sealed record LinkInvalid : AcceptResult;

/// <summary>Meanwhile somebody made an account with this address.</summary>
public sealed record AccountExists : AcceptResult;

/// <summary>The password breaks a rule (<see cref="Security.PasswordPolicy"/>); nothing was made.</summary>
public sealed record PasswordRefused(IReadOnlyList<string> Errors) : AcceptResult;

/// <summary>
/// The invitee uses the link: in one transaction the link is spent, the Identity user is made with their password (every
/// password rule of registration applies), gets the role Berater:in, the counsellor row and the agency membership.
/// Anything refused leaves nothing behind. The caller signs them in; the staff gate then demands the second factor.
/// </summary>
public sealed class AcceptInvitation(LotseDb db, UserManager<IdentityUser> users, AuditLog audit, TimeProvider clock)
{
    /// <summary>The open invitation behind a token, or null; for showing the form.</summary>
    public async Task<CounsellorInvitation?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = InvitationTokens.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = await db.CounsellorInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is not null && invitation.IsUsableAt(now) ? invitation : null;
    }

    public async Task<AcceptResult> HandleAsync(string? token, string password, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } found)
        {
            return new LinkInvalid();
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.CounsellorInvitations.SingleAsync(i => i.Id == found.Id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!invitation.IsUsableAt(now))
        {
            return new LinkInvalid();
        }

        var normalized = users.NormalizeEmail(invitation.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, cancellationToken))
        {
            return new AccountExists();
        }

        // Staff sign in with their e-mail address as their login.
        var user = new IdentityUser(invitation.Email) { Email = invitation.Email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            db.ChangeTracker.Clear();
            return new PasswordRefused(created.Errors.Select(e => e.Description).ToList());
        }

        var counsellor = new Counsellor(Guid.NewGuid(), user.Id, invitation.DisplayName);
        db.Counsellors.Add(counsellor);
        db.AgencyMemberships.Add(new AgencyMembership(invitation.AgencyId, user.Id));
        invitation.Accept(counsellor.Id, now);
        var actor = new AuditActor(user.Id, invitation.DisplayName, Roles.Counsellor);
        audit.Record(actor, AuditAction.CounsellorInvitationAccepted, AuditTarget.Of(AuditTargetType.Invitation, invitation.Id), invitation.AgencyId,
            $"Einladung angenommen; Berater:in {invitation.DisplayName} angelegt");
        audit.Record(actor, AuditAction.RoleGranted, new AuditTarget(AuditTargetType.User, user.Id), invitation.AgencyId,
            $"Rolle {AuditTexts.Role(Roles.Counsellor)} vergeben (Einladung)");
        Roles.Ensure(await users.AddToRoleAsync(user, Roles.Counsellor), "invitation");
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new Accepted(user);
    }
}
