using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace Lotse.Web.Features.Accounts;

/// <summary>
/// Enrolment of the authenticator app: QR code (a PNG made on the server, served by this page's "Qr" handler, so the
/// page needs no script and no data: URI) and the key as text, then a code to prove the app works, then the ten
/// recovery codes, shown once. Mandatory for staff (the gate sends them here); clients come from the security page.
/// The key is shown only while the second factor is not yet on: afterwards a stolen session cannot copy it.
/// </summary>
public sealed class TwoFactorSetupModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    public const string QrPath = AccountSecuritySetup.EnrolPath + "?handler=Qr";
    public const int RecoveryCodeCount = 10;

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    public string FormattedKey { get; private set; } = "";

    public bool Mandatory => SessionClaims.IsStaff(User);

    public bool AlreadyEnabled { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        NoStore();
        AlreadyEnabled = await users.GetTwoFactorEnabledAsync(user);
        if (!AlreadyEnabled)
        {
            FormattedKey = Format(await KeyAsync(user));
        }

        return Page();
    }

    /// <summary>The QR code as a PNG; 404 once the second factor is on.</summary>
    public async Task<IActionResult> OnGetQrAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null || await users.GetTwoFactorEnabledAsync(user))
        {
            return NotFound();
        }

        var key = await KeyAsync(user);
        var uri = $"otpauth://totp/Lotse:{Uri.EscapeDataString(user.UserName ?? "")}?secret={key}&issuer=Lotse&digits=6&period={Totp.StepSeconds}";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        NoStore();
        return File(new PngByteQRCode(data).GetGraphic(8), "image/png");
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        NoStore();
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            AlreadyEnabled = true;
            return Page();
        }

        var key = await KeyAsync(user);
        FormattedKey = Format(key);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Input.Code))
        {
            ModelState.AddModelError("Input.Code", t["Der Code stimmt nicht. Prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt, und geben Sie den Code ein, den die App gerade anzeigt."]);
            return Page();
        }

        Roles.Ensure(await users.SetTwoFactorEnabledAsync(user, true), "two-factor");
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        // A new session that knows the second factor was shown; the one from the password alone ends.
        await signIn.SignInWithClaimsAsync(user, null, [new System.Security.Claims.Claim(SessionClaims.Amr, SessionClaims.Mfa)]);
        return Page();
    }

    private async Task<string> KeyAsync(IdentityUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            Roles.Ensure(await users.ResetAuthenticatorKeyAsync(user), "authenticator key");
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        return key!;
    }

    private static string Format(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();

    /// <summary>The key and the recovery codes must not stay in any cache.</summary>
    private void NoStore() => Response.Headers.CacheControl = "no-store";

    public sealed class CodeInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Code aus der App")]
        [StringLength(16, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Code { get; set; } = "";
    }
}
