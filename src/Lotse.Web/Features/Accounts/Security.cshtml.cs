using System.ComponentModel.DataAnnotations;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

/// <summary>
/// The account's security settings: whether the second factor is on and how many recovery codes are left. Clients may
/// switch it on (enrolment page) and off again, with their password; for staff it is mandatory and stays on.
/// </summary>
public sealed class SecurityModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public PasswordInput Input { get; set; } = new();

    public bool TwoFactorEnabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public bool IsStaff => SessionClaims.IsStaff(User);

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostOffAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (IsStaff)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(user);
            return Page();
        }

        if (!await users.CheckPasswordAsync(user, Input.Password))
        {
            ModelState.AddModelError("Input.Password", t["Das Passwort stimmt nicht."]);
            await LoadAsync(user);
            return Page();
        }

        Roles.Ensure(await users.SetTwoFactorEnabledAsync(user, false), "two-factor off");
        // A new key and no codes: an app or a note from before is worth nothing if it is switched on again.
        Roles.Ensure(await users.ResetAuthenticatorKeyAsync(user), "authenticator key");
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await signIn.SignInWithClaimsAsync(user, null, []);
        await LoadAsync(user);
        Message = t["Die Zwei-Faktor-Anmeldung ist ausgeschaltet."];
        return Page();
    }

    private async Task LoadAsync(IdentityUser user)
    {
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        RecoveryCodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Passwort")]
        [StringLength(128, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";
    }
}
