using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Accounts;

[AllowAnonymous]
public sealed class LogoutModel(SignInManager<IdentityUser> signIn, AuditLog audit) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await audit.RecordLogoutAsync(cancellationToken);
        await signIn.SignOutAsync();
        return LocalRedirect("/anmelden");
    }
}
