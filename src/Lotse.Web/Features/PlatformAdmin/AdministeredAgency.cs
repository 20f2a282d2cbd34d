using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Microsoft.AspNetCore.Mvc;

namespace Lotse.Web.Features.PlatformAdmin;

/// <summary>
/// Above every administration page of the platform admin: which agency they are administering right now, and the way
/// back to the list of all agencies. Nothing for anyone else (an agency admin only ever has their own agency).
/// In the layout: <c>@await Component.InvokeAsync("AdministeredAgency")</c>.
/// </summary>
public sealed class AdministeredAgencyViewComponent(AdminAgency adminAgency) : ViewComponent
{
    public sealed record Bar(string AgencyName);

    private static readonly string[] AdminPaths = ["/verwaltung", "/abwesenheiten/team"];

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var path = HttpContext.Request.Path;
        if (!User.IsInRole(Roles.PlatformAdmin)
            || path.StartsWithSegments(IndexModel.Path)
            || !AdminPaths.Any(p => path.StartsWithSegments(p))
            || await adminAgency.FindAsync(HttpContext.RequestAborted) is not { } agency)
        {
            return Content("");
        }

        return View("/Features/PlatformAdmin/_AdministeredAgency.cshtml", new Bar(agency.Name));
    }
}
