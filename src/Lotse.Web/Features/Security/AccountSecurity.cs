using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lotse.Web.Features.Security;

/// <summary>
/// What Identity does not keep about an account: the last TOTP time step accepted (so a code is usable once), the
/// hash of an anonymous client's password recovery code, and whether the account is disabled. One row per user, made
/// when first needed (an upsert), so accounts made by any path work without it.
/// </summary>
public sealed class AccountSecurity
{
    public AccountSecurity(string userId) => UserId = userId;

    public string UserId { get; private set; }

    /// <summary>Unix time / 30 s of the newest authenticator code accepted; a code of this step or an earlier one is refused.</summary>
    public long? LastTotpStep { get; private set; }

    /// <summary>SHA-256 (hex) of the client's one-time password recovery code; null when none was issued.</summary>
    public string? RecoveryCodeHash { get; set; }

    /// <summary>Set by <see cref="DisableAccount"/>: no sign-in, every session ended.</summary>
    public DateTime? DisabledUtc { get; set; }

    /// <summary>The one place that knows the table's SQL names, for the upserts that must be atomic.</summary>
    internal const string Table = "AccountSecurity";
}

internal sealed class AccountSecurityConfiguration : IEntityTypeConfiguration<AccountSecurity>
{
    public void Configure(EntityTypeBuilder<AccountSecurity> b)
    {
        b.ToTable(AccountSecurity.Table);
        b.HasKey(x => x.UserId);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.RecoveryCodeHash).HasMaxLength(64);
        b.HasOne<IdentityUser>().WithOne().HasForeignKey<AccountSecurity>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
