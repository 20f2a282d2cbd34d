using System.Globalization;
using System.Security.Cryptography;
using Lotse.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Security;

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s), as every authenticator app computes it.</summary>
public static class Totp
{
    public const int StepSeconds = 30;

    /// <summary>Codes of one step before now (typed just as it changed) and one after (a phone clock a little ahead).</summary>
    public const int StepsBehind = 1;

    public const int StepsAhead = 1;

    public static long StepAt(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / StepSeconds;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "RFC 6238 TOTP as every authenticator app computes it is HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance.")]
    public static string Code(byte[] key, long step)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Base32 (RFC 4648, the authenticator key format); spaces and case are ignored.</summary>
    public static byte[] FromBase32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a base32 key.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}

/// <summary>
/// The authenticator (TOTP) provider Identity uses for enrolment and the second sign-in step. Lotse has its own instead
/// of Identity's <c>AuthenticatorTokenProvider</c> for two reasons: Identity's reads the system clock (DateTime.UtcNow),
/// so tests could not control time, and it accepts a code for five time steps without saying which step matched, so a
/// code could not be made usable once. This one takes the app's <see cref="TimeProvider"/>, accepts the steps now−1 to
/// now+1, and records the step it accepted per user in one atomic statement: a code of that step or an earlier one is
/// refused, also when two requests race with the same code.
/// </summary>
public sealed class TotpAuthenticatorProvider(TimeProvider clock, LotseDb db) : IUserTwoFactorTokenProvider<IdentityUser>
{
    public const string Name = "LotseTotp";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>The app on the phone makes the codes; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<IdentityUser> manager, IdentityUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<IdentityUser> manager, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var code = (token ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) || await manager.GetAuthenticatorKeyAsync(user) is not { Length: > 0 } encodedKey)
        {
            return false;
        }

        var key = Totp.FromBase32(encodedKey);
        var now = Totp.StepAt(clock.GetUtcNow());
        for (var step = now - Totp.StepsBehind; step <= now + Totp.StepsAhead; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Totp.Code(key, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return await ClaimStepAsync(user.Id, step);
            }
        }

        return false;
    }

    /// <summary>
    /// Records <paramref name="step"/> as the user's last accepted step if it is newer than the one recorded; false if it
    /// is not (the code was used, or a newer one was). One upsert, the same SQL on SQLite and PostgreSQL.
    /// </summary>
    private async Task<bool> ClaimStepAsync(string userId, long step)
    {
        var changed = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "AccountSecurity" ("UserId", "LastTotpStep") VALUES ({userId}, {step})
            ON CONFLICT ("UserId") DO UPDATE SET "LastTotpStep" = excluded."LastTotpStep"
            WHERE "AccountSecurity"."LastTotpStep" IS NULL OR "AccountSecurity"."LastTotpStep" < excluded."LastTotpStep"
            """);
        return changed == 1;
    }
}
