using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Accounts;

/// <summary>"Passwort vergessen?": the recovery-code path for anonymous clients, and a reset link by e-mail for everyone
/// with an address. The e-mail answer is the same whether an account exists or not.</summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Security.RateLimiting.PasswordReset)]
public sealed class ForgotPasswordModel(RequestPasswordResetMail request) : PageModel
{
    [BindProperty]
    public EmailInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        await request.HandleAsync(new PasswordResetMailRequest(Input.Email), cancellationToken);
        Sent = true;
        return Page();
    }

    public sealed class EmailInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [EmailAddress(ErrorMessage = "Bitte geben Sie im Feld „{0}“ eine gültige E-Mail-Adresse ein.")]
        [Display(Name = "E-Mail-Adresse")]
        [StringLength(256, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Email { get; set; } = "";
    }
}
