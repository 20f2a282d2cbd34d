using System.Security.Cryptography;
using System.Text;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>The invitation link's secret: 32 random bytes in URL-safe Base64; the database keeps only its SHA-256.</summary>
public static class InvitationTokens
{
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")));
}
