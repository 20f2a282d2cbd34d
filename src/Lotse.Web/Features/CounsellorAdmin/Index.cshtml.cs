using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

public enum CounsellorState
{
    Active,
    Invited,
    Disabled,
}

/// <summary>"/verwaltung/berater": the counsellors of the admin's agency with their state, and the open invitations.</summary>
[Authorize(Roles = Roles.Admins)]
public sealed class IndexModel(LotseDb db, AdminScope scope, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid? Id, string Name, string Email, CounsellorState State, bool IsCounsellor, bool IsAdmin, DateTime? InvitedUntilUtc);

    [TempData]
    public string? Message { get; set; }

    public string AgencyName { get; private set; } = "";

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await scope.AgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        AgencyName = agency.Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var counsellors = await (
                from m in db.AgencyMemberships.AsNoTracking()
                join c in db.Counsellors.AsNoTracking() on m.UserId equals c.UserId
                join u in db.Users.AsNoTracking() on c.UserId equals u.Id
                where m.AgencyId == agency.Id
                select new
                {
                    c.Id,
                    c.DisplayName,
                    u.Email,
                    Disabled = db.AccountSecurity.Any(a => a.UserId == u.Id && a.DisabledUtc != null),
                    Roles = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).ToList(),
                })
            .ToListAsync(cancellationToken);
        var invitations = await db.CounsellorInvitations.AsNoTracking()
            .Where(i => i.AgencyId == agency.Id && i.UsedUtc == null && i.ExpiresUtc > now)
            .Select(i => new { i.DisplayName, i.Email, i.ExpiresUtc })
            .ToListAsync(cancellationToken);
        Rows = counsellors
            .Select(c => new Row(c.Id, c.DisplayName, c.Email ?? "", c.Disabled ? CounsellorState.Disabled : CounsellorState.Active,
                c.Roles.Contains(Roles.Counsellor), c.Roles.Contains(Roles.AgencyAdmin), null))
            .Concat(invitations.Select(i => new Row(null, i.DisplayName, i.Email, CounsellorState.Invited, true, false, i.ExpiresUtc)))
            .OrderBy(r => r.Name, StringComparer.CurrentCulture)
            .ToList();
        return Page();
    }
}
