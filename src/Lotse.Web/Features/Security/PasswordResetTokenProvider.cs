using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Lotse.Web.Features.Security;

/// <summary>
/// The token in the password-reset link: the user id, the purpose, the account's security stamp and the time it was
/// made, protected with Data Protection. It is valid for <see cref="Lifespan"/> on the app's <see cref="TimeProvider"/>
/// (Identity's DataProtectorTokenProvider reads the system clock) and only once: a reset changes the security stamp.
/// </summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider protection, TimeProvider clock) : IUserTwoFactorTokenProvider<IdentityUser>
{
    public const string Name = "LotseReset";

    public static readonly TimeSpan Lifespan = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _protector = protection.CreateProtector("Lotse.PasswordReset.v1");

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<IdentityUser> manager, IdentityUser user) => Task.FromResult(false);

    public async Task<string> GenerateAsync(string purpose, UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var stamp = await manager.GetSecurityStampAsync(user);
        var payload = string.Join('\n', clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), user.Id, purpose, stamp);
        return WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token ?? ""))).Split('\n');
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }

        if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var created))
        {
            return false;
        }

        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(created);
        // A minute of skew: the link may be opened on another instance whose clock is a little behind.
        return age >= -TimeSpan.FromMinutes(1) && age <= Lifespan
            && parts[1] == user.Id && parts[2] == purpose
            && parts[3] == await manager.GetSecurityStampAsync(user);
    }
}
