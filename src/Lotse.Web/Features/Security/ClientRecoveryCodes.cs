using System.Security.Cryptography;
using System.Text;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Security;

/// <summary>
/// The one-time code with which an anonymous client (no e-mail address) sets a new password: 20 random characters
/// (100 bits) from an alphabet without look-alikes (no 0/O, 1/I), shown once, stored only as a SHA-256 hash. A random
/// code this long needs no slow hash: nobody can try 2^100 of them.
/// </summary>
public sealed class ClientRecoveryCodes(LotseDb db)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string NewCode()
    {
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        var text = new string(chars);
        return string.Join('-', Enumerable.Range(0, 5).Select(g => text.Substring(g * 4, 4)));
    }

    /// <summary>Hex SHA-256 of the code without dashes and spaces, upper case: "abcd efgh…" matches "ABCD-EFGH-…".</summary>
    public static string Hash(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normal = new string(code.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>Makes a new code for the user (replacing any earlier one) and returns it; only its hash is saved.</summary>
    public async Task<string> IssueAsync(string userId, CancellationToken cancellationToken)
    {
        var code = NewCode();
        var row = await db.AccountSecurity.SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (row is null)
        {
            row = new AccountSecurity(userId);
            db.AccountSecurity.Add(row);
        }

        row.RecoveryCodeHash = Hash(code);
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }
}
