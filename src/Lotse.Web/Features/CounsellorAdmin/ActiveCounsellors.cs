using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>
/// Which counsellors clients can reach and routing can choose (issue 8): not disabled, and not someone whose
/// Berater:in role the admin took away (an admin only). A counsellor row without any role (the mail bench) counts as
/// active. One filter for the counsellor list, the profile, chat start, booking, mail routing and fallback choices.
/// </summary>
public static class ActiveCounsellors
{
    public static IQueryable<Counsellor> Active(this IQueryable<Counsellor> counsellors, LotseDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counsellorRole = db.Roles.Where(r => r.Name == Roles.Counsellor).Select(r => r.Id);
        var adminRole = db.Roles.Where(r => r.Name == Roles.AgencyAdmin).Select(r => r.Id);
        return counsellors.Where(c =>
            !db.AccountSecurity.Any(a => a.UserId == c.UserId && a.DisabledUtc != null)
            && (db.UserRoles.Any(ur => ur.UserId == c.UserId && counsellorRole.Contains(ur.RoleId))
                || !db.UserRoles.Any(ur => ur.UserId == c.UserId && adminRole.Contains(ur.RoleId))));
    }
}
