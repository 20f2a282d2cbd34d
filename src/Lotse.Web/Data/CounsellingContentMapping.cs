using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lotse.Web.Data;

/// <summary>
/// Marks a string column as counselling content, stored encrypted (Features/Security/CounsellingContent). The domain's
/// length rules apply to the plaintext; the column is sized for the ciphertext of the longest plaintext.
/// </summary>
public static class CounsellingContentMapping
{
    public const string Annotation = "Lotse:CounsellingContent";

    /// <summary>
    /// Data Protection's payload around the encrypted bytes: magic header (4), key id (16), key modifier (16), nonce (12)
    /// and GCM tag (16) = 64 bytes; a little more in case a later version adds to it.
    /// </summary>
    private const int PayloadOverheadBytes = 96;

    public static PropertyBuilder<TProperty> IsCounsellingContent<TProperty>(this PropertyBuilder<TProperty> property, int maxPlaintextLength)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasMaxLength(CiphertextLength(maxPlaintextLength)).HasAnnotation(Annotation, true);
    }

    public static bool IsCounsellingContent(this IReadOnlyProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.FindAnnotation(Annotation)?.Value is true;
    }

    /// <summary>
    /// Characters of base64url for the ciphertext of <paramref name="maxPlaintextLength"/> UTF-16 characters: UTF-8 needs
    /// at most 3 bytes for one of them (a surrogate pair is 2 characters and 4 bytes), plus the payload overhead.
    /// </summary>
    public static int CiphertextLength(int maxPlaintextLength) => ((3 * maxPlaintextLength) + PayloadOverheadBytes + 2) / 3 * 4;
}
