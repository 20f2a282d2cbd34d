using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

/// <summary>
/// The second sign-in step for everyone who has set up the second factor: a code from the authenticator app (usable
/// once, see Features/Security/TotpAuthenticator.cs) or one of the ten recovery codes (each usable once). Identity
/// keeps who passed the password step in its own short-lived cookie; wrong codes count towards the lockout.
/// </summary>
[AllowAnonymous]
public sealed class LoginCodeModel(SignInManager<IdentityUser> signIn, Audit.AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public const string Path = "/anmelden/code";

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? LocalRedirect("/anmelden") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            ModelState.AddModelError(string.Empty, t["Die Anmeldung hat zu lange gedauert. Bitte melden Sie sich noch einmal an."]);
            return Page();
        }

        var code = Input.Code.Trim().Replace(" ", "", StringComparison.Ordinal);
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        await audit.RecordLoginAsync(user.UserName ?? "", result, HttpContext.RequestAborted);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Zu viele Fehlversuche. Ihr Zugang ist für 15 Minuten gesperrt."]
            : t["Der Code stimmt nicht oder wurde schon benutzt. Bitte warten Sie auf den nächsten Code in Ihrer App."]);
        return Page();
    }

    public sealed class CodeInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Code")]
        [StringLength(32, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Code { get; set; } = "";
    }
}
