using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

/// <summary>An anonymous client sets a new password with nickname + recovery code and gets a new code (the old is spent).</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Security.RateLimiting.PasswordReset)]
public sealed class RecoverWithCodeModel(ResetPasswordWithRecoveryCode reset, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public RecoverInput Input { get; set; } = new();

    public string? NewCode { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        switch (await reset.HandleAsync(new RecoveryCodeReset(Input.Nickname, Input.RecoveryCode, Input.Password), cancellationToken))
        {
            case RecoveryCodeResetResult.Done done:
                NewCode = done.NewCode;
                Response.Headers.CacheControl = "no-store";
                return Page();
            case RecoveryCodeResetResult.BadPassword bad:
                foreach (var error in bad.Errors)
                {
                    ModelState.AddModelError("Input.Password", error);
                }

                return Page();
            default:
                ModelState.AddModelError(string.Empty, t["Nickname oder Wiederherstellungscode stimmen nicht."]);
                return Page();
        }
    }

    public sealed class RecoverInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Nickname")]
        [StringLength(32, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Nickname { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Wiederherstellungscode")]
        [StringLength(64, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string RecoveryCode { get; set; } = "";

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
