using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Absences;

/// <summary>Whose absences are being managed, by whom. <see cref="ForCounsellor"/> is null for the counsellor's own page.</summary>
public sealed record AbsenceOwner(Guid CounsellorId, string CounsellorName, string ActorName, Guid? ForCounsellor);

/// <summary>
/// A counsellor manages their own absences; an admin those of the counsellors of the agency they administer
/// (<see cref="AgencyAdmin.AdminAgency"/>).
/// Anyone else, or an admin asking about another agency's counsellor, gets nothing (the page answers 404).
/// </summary>
public sealed class AbsenceAccess(LotseDb db, CurrentUser user, AgencyAdmin.AdminAgency adminAgency)
{
    public async Task<AbsenceOwner?> ResolveAsync(Guid? counsellorId, CancellationToken cancellationToken)
    {
        var userId = user.UserId;
        if (userId is null)
        {
            return null;
        }

        if (counsellorId is null || user.IsCounsellor)
        {
            var own = await db.Counsellors.AsNoTracking()
                .Where(c => c.UserId == userId)
                .Select(c => new { c.Id, c.DisplayName })
                .SingleOrDefaultAsync(cancellationToken);
            if (own is not null && (counsellorId is null || counsellorId == own.Id))
            {
                return new AbsenceOwner(own.Id, own.DisplayName, own.DisplayName, null);
            }
        }

        if (counsellorId is { } id && await adminAgency.FindAsync(cancellationToken) is { } agency)
        {
            var managed = await (
                    from c in db.Counsellors.AsNoTracking()
                    join m in db.AgencyMemberships.AsNoTracking() on c.UserId equals m.UserId
                    where c.Id == id && m.AgencyId == agency.Id
                    select new { c.Id, c.DisplayName })
                .FirstOrDefaultAsync(cancellationToken);
            if (managed is not null)
            {
                return new AbsenceOwner(managed.Id, managed.DisplayName, user.Principal.Identity?.Name ?? "", managed.Id);
            }
        }

        return null;
    }
}
