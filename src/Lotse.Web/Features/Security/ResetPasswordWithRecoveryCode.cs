using System.Security.Cryptography;
using System.Text;
using Lotse.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Security;

public sealed record RecoveryCodeReset(string Nickname, string RecoveryCode, string NewPassword);

/// <summary>What a reset with the recovery code came to.</summary>
public abstract record RecoveryCodeResetResult
{
    /// <summary>The password is changed; the old code is spent and <paramref name="NewCode"/> replaces it (shown once).</summary>
    public sealed record Done(string NewCode) : RecoveryCodeResetResult;

    /// <summary>Nickname or code wrong, or the account locked: one answer for all, so nobody learns which nickname exists.</summary>
    public sealed record Refused : RecoveryCodeResetResult;

    /// <summary>The new password breaks a rule; nothing was changed and the code is not spent.</summary>
    public sealed record BadPassword(IReadOnlyList<string> Errors) : RecoveryCodeResetResult;
}

/// <summary>
/// "Passwort vergessen" for clients without an e-mail address: nickname + recovery code + new password. Wrong codes
/// count as failed sign-ins (five lock the account for 15 minutes, as the login does); the code is spent in one
/// conditional update, so two requests with the same code cannot both succeed. All sessions of the account end.
/// </summary>
public sealed class ResetPasswordWithRecoveryCode(UserManager<IdentityUser> users, LotseDb db, UserSessions sessions)
{
    public async Task<RecoveryCodeResetResult> HandleAsync(RecoveryCodeReset request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByNameAsync(request.Nickname.Trim());
        var stored = user is null ? null
            : await db.AccountSecurity.AsNoTracking().Where(a => a.UserId == user.Id).Select(a => a.RecoveryCodeHash).SingleOrDefaultAsync(cancellationToken);
        // Hashed and compared even without an account, so that the answer takes the same time.
        var given = ClientRecoveryCodes.Hash(request.RecoveryCode);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(stored ?? new string('0', given.Length)));
        if (user is null || stored is null)
        {
            return new RecoveryCodeResetResult.Refused();
        }

        if (await users.IsLockedOutAsync(user))
        {
            return new RecoveryCodeResetResult.Refused();
        }

        if (!matches)
        {
            await users.AccessFailedAsync(user);
            return new RecoveryCodeResetResult.Refused();
        }

        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, request.NewPassword);
            errors.AddRange(result.Errors.Select(e => e.Description));
        }

        if (errors.Count > 0)
        {
            return new RecoveryCodeResetResult.BadPassword(errors);
        }

        var newCode = ClientRecoveryCodes.NewCode();
        var newHash = ClientRecoveryCodes.Hash(newCode);
        var spent = await db.AccountSecurity.Where(a => a.UserId == user.Id && a.RecoveryCodeHash == stored)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.RecoveryCodeHash, newHash), cancellationToken);
        if (spent != 1)
        {
            return new RecoveryCodeResetResult.Refused();
        }

        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), request.NewPassword);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException("Password reset failed after the checks: " + string.Join("; ", reset.Errors.Select(e => e.Code)));
        }

        await users.ResetAccessFailedCountAsync(user);
        await sessions.EndAllAsync(user.Id, SessionEnd.PasswordChanged, cancellationToken);
        return new RecoveryCodeResetResult.Done(newCode);
    }
}
