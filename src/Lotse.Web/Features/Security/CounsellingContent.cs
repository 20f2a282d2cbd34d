using Microsoft.AspNetCore.DataProtection;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Encrypts and decrypts counselling content (chat and mail bodies, mail subjects, appointment topics and reasons) with
/// AES-256-GCM under a key of the app's Data Protection key ring, which lives in the database (<see cref="KeyRingSetup"/>).
/// <para>
/// Entities read through <c>LotseDb</c> arrive decrypted and are encrypted again when saved
/// (<see cref="ContentEncryptionInterceptor"/>): most code never sees ciphertext. Only a query that projects a protected
/// column into something other than its entity (<c>Select(m =&gt; m.Body)</c>) gets the stored ciphertext and must call
/// <see cref="Reveal(string)"/> on it. Which columns are protected is said in the entity configurations
/// (<c>IsCounsellingContent</c>).
/// </para>
/// </summary>
public sealed class CounsellingContent(IDataProtectionProvider provider)
{
    /// <summary>
    /// The purpose string gives content a key of its own, derived from the key ring's master key: a cookie or antiforgery
    /// token can never be unprotected as content or the other way round. Changing it makes all stored content unreadable.
    /// </summary>
    public const string Purpose = "Lotse.CounsellingContent.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <summary>
    /// The plaintext of a stored value. A value that is not our ciphertext (tampered with, written before encryption at
    /// rest, or under a key that was deleted from the key ring) throws: showing it or something made up would hide the fault.
    /// </summary>
    public string Reveal(string stored) => _protector.Unprotect(stored);

    public string? RevealOrNull(string? stored) => stored is null ? null : Reveal(stored);
}
