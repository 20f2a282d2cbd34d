using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Accounts;

/// <summary>Advice seekers register with a nickname and a password; an e-mail address is optional.</summary>
[AllowAnonymous]
public sealed class RegisterModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, LotseDb db, AuditLog audit, Security.ClientRecoveryCodes recoveryCodes, TimeProvider clock) : PageModel
{
    [BindProperty]
    public RegisterInput Input { get; set; } = new();

    /// <summary>Shown once, right after registering without an e-mail address; only its hash is stored.</summary>
    public string? RecoveryCode { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = string.IsNullOrWhiteSpace(Input.Email) ? null : Input.Email.Trim();
        var user = new IdentityUser(Input.Nickname.Trim()) { Email = email };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, Input.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password"
                    : error.Code.Contains("UserName", StringComparison.Ordinal) ? "Input.Nickname"
                    : error.Code.Contains("Email", StringComparison.Ordinal) ? "Input.Email" : string.Empty;
                ModelState.AddModelError(field, error.Description);
            }

            return Page();
        }

        await audit.RoleGrantedAsync(user, Roles.Client, "Registrierung", cancellationToken);
        Roles.Ensure(await users.AddToRoleAsync(user, Roles.Client), "client role");
        db.Clients.Add(new Client(Guid.NewGuid(), user.Id, user.UserName!, clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);
        // Without an e-mail address a forgotten password could not be reset: a one-time recovery code can (issue 7).
        var code = email is null ? await recoveryCodes.IssueAsync(user.Id, cancellationToken) : null;
        await tx.CommitAsync(cancellationToken);

        await signIn.SignInAsync(user, isPersistent: false);
        if (code is null)
        {
            return LocalRedirect("/berater");
        }

        // Answered here, not after a redirect: the code never lands in a cookie, a URL or the database.
        RecoveryCode = code;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public sealed class RegisterInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Display(Name = "Nickname")]
        [StringLength(32, MinimumLength = 3, ErrorMessage = "Der „{0}“ muss {2} bis {1} Zeichen lang sein.")]
        [RegularExpression("^[A-Za-zÄÖÜäöüß0-9._-]+$", ErrorMessage = "Der Nickname darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten.")]
        public string Nickname { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort")]
        [StringLength(128, MinimumLength = 12, ErrorMessage = "Das „{0}“ muss {2} bis {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort wiederholen")]
        [Compare(nameof(Password), ErrorMessage = "Die beiden Passwörter stimmen nicht überein.")]
        public string ConfirmPassword { get; set; } = "";

        [EmailAddress(ErrorMessage = "Bitte geben Sie im Feld „{0}“ eine gültige E-Mail-Adresse ein.")]
        [Display(Name = "E-Mail-Adresse (freiwillig)")]
        [StringLength(256, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string? Email { get; set; }
    }
}
