using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>
/// "/einladung?token=…": the target of the invitation link. The token comes in the query string (the log masking hides
/// "token=" values) and goes on in a form field, never in a path. The invitee sets a password (the rules of
/// registration) and is signed in; the staff gate then sends them through the enrolment of the second factor. A link
/// that is unknown, expired, withdrawn or used gets one answer.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Security.RateLimiting.PasswordReset)]
public sealed class AcceptInvitationModel(AcceptInvitation accept, SignInManager<IdentityUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public bool LinkValid { get; private set; }

    public string DisplayName { get; private set; } = "";

    public string Email { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        return await ShowAsync(cancellationToken) ? Page() : Invalid();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        if (!await ShowAsync(cancellationToken))
        {
            return Invalid();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await accept.HandleAsync(Token, Input.Password, cancellationToken))
        {
            case Accepted accepted:
                await signIn.SignInAsync(accepted.User, isPersistent: false);
                return LocalRedirect(AccountSecuritySetup.EnrolPath);
            case PasswordRefused refused:
                foreach (var error in refused.Errors)
                {
                    ModelState.AddModelError("Input.Password", error);
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case AccountExists:
                ModelState.AddModelError(string.Empty, t["Für diese E-Mail-Adresse gibt es schon einen Zugang. Bitte melden Sie sich an."]);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                return Invalid();
        }
    }

    private async Task<bool> ShowAsync(CancellationToken cancellationToken)
    {
        if (await accept.FindAsync(Token, cancellationToken) is not { } invitation)
        {
            return false;
        }

        LinkValid = true;
        DisplayName = invitation.DisplayName;
        Email = invitation.Email;
        return true;
    }

    private PageResult Invalid()
    {
        LinkValid = false;
        ModelState.Clear();
        ModelState.AddModelError(string.Empty, t["Der Einladungslink ist abgelaufen oder wurde schon benutzt. Bitte bitten Sie Ihre Beratungsstelle um eine neue Einladung."]);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort")]
        [StringLength(PasswordPolicy.MaxLength, MinimumLength = 12, ErrorMessage = "Das „{0}“ muss {2} bis {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort wiederholen")]
        [Compare(nameof(Password), ErrorMessage = "Die beiden Passwörter stimmen nicht überein.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
