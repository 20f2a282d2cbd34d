using System.Security.Claims;
using Lotse.Domain.Agencies;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency an admin administers. An agency admin: the one their membership names (the first by name, should there
/// be several). The platform admin: the one they chose on "/verwaltung/plattform" (a cookie holding its id), else the
/// first by name; they may administer every agency, so the choice needs no protection beyond their role. Every admin
/// page and the supervision hub go through here, so that an agency admin never reaches another agency's data.
/// </summary>
public sealed class AdminAgency(LotseDb db, CurrentUser user, IHttpContextAccessor http)
{
    /// <summary>The signed-in admin's agency, tracked (the page may change it), or null for anyone else.</summary>
    public Task<Agency?> FindAsync(CancellationToken cancellationToken) =>
        OfAsync(user.Principal, http.HttpContext?.Request, cancellationToken);

    /// <summary>The agency of <paramref name="principal"/> (a hub's caller, with the request that opened the connection), or null when they administer none.</summary>
    public async Task<Agency?> OfAsync(ClaimsPrincipal principal, HttpRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.IsInRole(Roles.PlatformAdmin))
        {
            var chosen = Chosen(request);
            return await db.Agencies
                .OrderBy(a => a.Id == chosen ? 0 : 1)
                .ThenBy(a => a.Name)
                .FirstOrDefaultAsync(cancellationToken);
        }

        if (!principal.IsInRole(Roles.AgencyAdmin) || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }

        return await db.Agencies
            .Where(a => db.AgencyMemberships.Any(m => m.UserId == userId && m.AgencyId == a.Id))
            .OrderBy(a => a.Name)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Remembers the platform admin's choice in this browser for a month (every admin page names the agency).</summary>
    public static void Choose(HttpResponse response, Guid agencyId)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(CookieSecurity.AdminAgency, agencyId.ToString("N"), CookieSecurity.Options(TimeSpan.FromDays(30)));
    }

    private static Guid? Chosen(HttpRequest? request) =>
        request?.Cookies[CookieSecurity.AdminAgency] is { } value && Guid.TryParseExact(value, "N", out var id) ? id : null;
}
