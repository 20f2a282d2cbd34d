using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

/// <summary>
/// The target of the reset link: a new password with the token from the mail (30 minutes, once). Success ends every
/// session of the account. An unknown account and a bad or old token get the same answer.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Security.RateLimiting.PasswordReset)]
public sealed class ResetPasswordModel(UserManager<IdentityUser> users, UserSessions sessions, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Konto { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    public bool Done { get; private set; }

    public void OnGet() => Response.Headers.CacheControl = "no-store";

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = string.IsNullOrEmpty(Konto) ? null : await users.FindByIdAsync(Konto);
        if (user is null || string.IsNullOrEmpty(Token))
        {
            ModelState.AddModelError(string.Empty, t["Der Link ist abgelaufen oder wurde schon benutzt. Bitte fordern Sie unter „Passwort vergessen?“ einen neuen an."]);
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, Token, Input.Password);
        if (!result.Succeeded)
        {
            var invalidToken = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(invalidToken ? string.Empty : "Input.Password", invalidToken
                    ? t["Der Link ist abgelaufen oder wurde schon benutzt. Bitte fordern Sie unter „Passwort vergessen?“ einen neuen an."]
                    : error.Description);
            }

            return Page();
        }

        await users.ResetAccessFailedCountAsync(user);
        await sessions.EndAllAsync(user.Id, SessionEnd.PasswordChanged, cancellationToken);
        Done = true;
        return Page();
    }

    public sealed class NewPasswordInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Neues Passwort")]
        [StringLength(128, MinimumLength = 12, ErrorMessage = "Das „{0}“ muss {2} bis {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Neues Passwort wiederholen")]
        [Compare(nameof(Password), ErrorMessage = "Die beiden Passwörter stimmen nicht überein.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
