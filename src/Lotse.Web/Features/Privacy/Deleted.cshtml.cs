using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Privacy;

/// <summary>The confirmation after "Konto löschen"; the person is signed out by now, so it is open to everyone and names nobody.</summary>
[AllowAnonymous]
public sealed class DeletedModel : PageModel
{
    public void OnGet()
    {
    }
}
