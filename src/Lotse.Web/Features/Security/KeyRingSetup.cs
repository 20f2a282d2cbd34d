using System.Security.Cryptography.X509Certificates;
using Lotse.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;

namespace Lotse.Web.Features.Security;

/// <summary>
/// The Data Protection key ring: kept in the database (table DataProtectionKeys), so that every app instance on one
/// database signs cookies, antiforgery tokens and encrypts counselling content with the same keys, and so that a restart
/// or a new container does not lose them.
/// </summary>
public static class KeyRingSetup
{
    /// <summary>
    /// Fixed, so that instances share keys whatever folder they run from (the default name is the content root path).
    /// Changing it invalidates every cookie and makes all stored content unreadable.
    /// </summary>
    public const string ApplicationName = "Lotse";

    public static void AddLotseKeyRing(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<LotseDb>()
            // Authenticated encryption for everything the key ring protects: content, cookies, antiforgery tokens.
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256, // not used by GCM, which authenticates by itself
            });

        // The keys sit next to the ciphertext. With a certificate kept outside the database, a dump of the database alone
        // (backup, replica) no longer holds usable keys. Without one, Data Protection warns at start-up that keys are
        // stored unencrypted.
        var certificatePath = builder.Configuration["DataProtection:KeyCertificatePath"];
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, builder.Configuration["DataProtection:KeyCertificatePassword"], X509KeyStorageFlags.EphemeralKeySet);
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        builder.Services.AddSingleton<CounsellingContent>();
    }

    /// <summary>
    /// Makes sure the key ring has a current key, at start-up and outside any transaction. Data Protection creates the first
    /// key on first use and stores it through a context of its own; if that first use is content saved inside a SQLite
    /// write transaction (a mail request on a new database), the key's insert waits for the very transaction that waits
    /// for it, until SQLite's busy timeout fails both.
    /// </summary>
    public static void EnsureCurrentKey(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ApplicationName).Protect([]);
    }
}
