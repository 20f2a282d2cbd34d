using System.Linq.Expressions;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.CounsellorAdmin;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

/// <summary>Reads what <see cref="MailRouter"/> needs, as it is inside the caller's transaction.</summary>
public static class MailLoads
{
    /// <summary>An open request: assigned and not closed (SPEC "Open request").</summary>
    private static readonly Expression<Func<MailThread, bool>> IsOpenRequest =
        t => t.CounsellorId != null && (t.State == MailThreadState.Open || t.State == MailThreadState.InProgress);

    /// <summary>Open requests: assigned and not closed (SPEC "Open request").</summary>
    public static IQueryable<MailThread> OpenRequests(this IQueryable<MailThread> threads) => threads.Where(IsOpenRequest);

    /// <summary>
    /// What routing weighs about each counsellor, in one query: status, open requests, the absence running now, personal
    /// fallback. With <paramref name="activeOnly"/>, a disabled counsellor (issue 8) is left out, as if unknown.
    /// </summary>
    public static async Task<List<CounsellorLoad>> LoadAsync(LotseDb db, IReadOnlyCollection<Guid> counsellorIds, DateTime now, bool activeOnly, CancellationToken cancellationToken)
    {
        var ids = counsellorIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var counsellors = db.Counsellors.AsNoTracking().Where(c => ids.Contains(c.Id));
        if (activeOnly)
        {
            counsellors = counsellors.Active(db);
        }

        var rows = await counsellors
            .Select(c => new
            {
                c.Id,
                c.RegularClientsOnly,
                c.ChatMode,
                c.MailMode,
                c.MailCapacity,
                c.PersonalFallbackId,
                Open = db.MailThreads.Where(IsOpenRequest).Count(t => t.CounsellorId == c.Id),
                // Only the absence running now matters to routing.
                Absences = db.Absences
                    .Where(a => a.CounsellorId == c.Id && a.StartUtc <= now && a.EndUtc > now)
                    .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
                    .ToList(),
            })
            .ToListAsync(cancellationToken);

        return rows
            .Select(c => new CounsellorLoad(
                c.Id,
                new AccountStatus(c.RegularClientsOnly, c.ChatMode, c.MailMode, c.MailCapacity),
                c.Open,
                c.Absences,
                c.PersonalFallbackId))
            .ToList();
    }

    /// <summary>Every active counsellor of the agency (admins are members too, but not counsellors; disabled ones take nothing).</summary>
    public static Task<List<Guid>> CounsellorsOfAsync(LotseDb db, Guid agencyId, CancellationToken cancellationToken) =>
        (from m in db.AgencyMemberships
         join c in db.Counsellors.Active(db) on m.UserId equals c.UserId
         where m.AgencyId == agencyId
         orderby c.Id
         select c.Id).ToListAsync(cancellationToken);
}
