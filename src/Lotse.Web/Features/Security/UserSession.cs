using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lotse.Web.Features.Security;

/// <summary>Why a session ended; kept so that an admin (later) can tell a logout from a forced end.</summary>
public enum SessionEnd
{
    LoggedOut = 1,
    Idle = 2,
    Expired = 3,
    Disabled = 4,
    PasswordChanged = 5,
    Replaced = 6,

    /// <summary>An agency admin changed the person's roles (issue 8): they sign in again with the new ones.</summary>
    RolesChanged = 7,
}

/// <summary>
/// One sign-in, server side. The cookie carries only its id (claim <see cref="SessionClaims.SessionId"/>); every request
/// and hub call checks the row, so logging out, disabling an account or a timeout ends the session at once, whatever
/// copies of the cookie exist.
/// </summary>
public sealed class UserSession
{
    public UserSession(Guid id, string userId, bool isStaff, DateTime createdUtc)
    {
        Id = id;
        UserId = userId;
        IsStaff = isStaff;
        CreatedUtc = createdUtc;
        LastSeenUtc = createdUtc;
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; }

    /// <summary>Counsellors and agency admins have the shorter idle timeout; decided once at sign-in.</summary>
    public bool IsStaff { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    /// <summary>Written at most once a minute (the check is on every request; the write is not).</summary>
    public DateTime LastSeenUtc { get; private set; }

    public DateTime? EndedUtc { get; private set; }

    public SessionEnd? EndReason { get; private set; }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("UserSessions");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasIndex(x => new { x.UserId, x.EndedUtc });
        b.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
