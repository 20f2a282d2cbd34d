using System.Security.Cryptography;
using System.Text;
using Lotse.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Identity's EF store, except that the ten second-factor recovery codes are kept as SHA-256 hashes: Identity stores
/// them as plain text in AspNetUserTokens. Redeeming removes the code, so each works once.
/// </summary>
public sealed class LotseUserStore(LotseDb context, IdentityErrorDescriber? describer = null)
    : UserStore<IdentityUser, IdentityRole, LotseDb>(context, describer)
{
    // Identity's own names for where the codes live (private constants in UserStoreBase).
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    public override Task ReplaceCodesAsync(IdentityUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return SetHashesAsync(user, recoveryCodes.Select(Hash), cancellationToken);
    }

    public override async Task<bool> RedeemCodeAsync(IdentityUser user, string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var hashes = await HashesAsync(user, cancellationToken);
        var hash = Hash(code ?? "");
        if (!hashes.Contains(hash, StringComparer.Ordinal))
        {
            return false;
        }

        await SetHashesAsync(user, hashes.Where(h => h != hash), cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(IdentityUser user, CancellationToken cancellationToken = default) =>
        (await HashesAsync(user, cancellationToken)).Length;

    /// <summary>Upper case, no spaces: a code typed from a note matches however it was written down.</summary>
    public static string Hash(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normal = code.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    private async Task<string[]> HashesAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        var merged = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? "";
        return merged.Length > 0 ? merged.Split(';') : [];
    }

    private Task SetHashesAsync(IdentityUser user, IEnumerable<string> hashes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(";", hashes), cancellationToken);
}
