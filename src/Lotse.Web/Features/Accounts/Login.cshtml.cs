using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

/// <summary>One sign-in for everyone: staff type their e-mail address (their user name), clients their nickname.</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<IdentityUser> signIn, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(Input.Login.Trim(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        await audit.RecordLoginAsync(Input.Login, result, cancellationToken);
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;
        if (result.Succeeded)
        {
            // Staff without a second factor land on its enrolment (the gate in Features/Security sends them there).
            return LocalRedirect(returnUrl ?? "/");
        }

        if (result.RequiresTwoFactor)
        {
            return returnUrl is null ? LocalRedirect(LoginCodeModel.Path) : LocalRedirect($"{LoginCodeModel.Path}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        // A disabled account (NotAllowed) gets the same answer as a wrong password: nobody learns that it exists.
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? t["Zu viele Fehlversuche. Ihr Zugang ist für 15 Minuten gesperrt."]
            : t["E-Mail-Adresse/Nickname oder Passwort stimmen nicht."]);
        return Page();
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "E-Mail-Adresse oder Nickname")]
        [StringLength(256, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Login { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort")]
        [StringLength(128, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";
    }
}
