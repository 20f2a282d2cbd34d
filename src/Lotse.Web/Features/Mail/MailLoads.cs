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
    /// <summary>Open requests: assigned and not closed (SPEC "Open request").</summary>
    public static IQueryable<MailThread> OpenRequests(this IQueryable<MailThread> threads) =>
        threads.Where(t => t.CounsellorId != null && (t.State == MailThreadState.Open || t.State == MailThreadState.InProgress));

    public static async Task<List<CounsellorLoad>> LoadAsync(LotseDb db, IReadOnlyCollection<Guid> counsellorIds, DateTime now, CancellationToken cancellationToken)
    {
        var ids = counsellorIds.Distinct().ToList();
        var counsellors = await db.Counsellors.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.RegularClientsOnly, c.ChatMode, c.MailMode, c.MailCapacity, c.PersonalFallbackId })
            .ToListAsync(cancellationToken);
        var open = await db.MailThreads.AsNoTracking().OpenRequests()
            .Where(t => ids.Contains(t.CounsellorId!.Value))
            .GroupBy(t => t.CounsellorId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);
        // Only the absence running now matters to routing.
        var absences = (await db.Absences.AsNoTracking()
            .Where(a => ids.Contains(a.CounsellorId) && a.StartUtc <= now && a.EndUtc > now)
            .Select(a => new { a.CounsellorId, Period = new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note) })
            .ToListAsync(cancellationToken))
            .ToLookup(a => a.CounsellorId, a => a.Period);

        return counsellors
            .Select(c => new CounsellorLoad(
                c.Id,
                new AccountStatus(c.RegularClientsOnly, c.ChatMode, c.MailMode, c.MailCapacity),
                open.GetValueOrDefault(c.Id),
                absences[c.Id].ToList(),
                c.PersonalFallbackId))
            .ToList();
    }

    /// <summary>The agency a counsellor's requests belong to: their first agency (counsellors rarely have more than one).</summary>
    public static Task<Guid?> AgencyOfAsync(LotseDb db, Guid counsellorId, CancellationToken cancellationToken) =>
        (from c in db.Counsellors
         join m in db.AgencyMemberships on c.UserId equals m.UserId
         where c.Id == counsellorId
         orderby m.AgencyId
         select (Guid?)m.AgencyId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every active counsellor of the agency (admins are members too, but not counsellors; disabled ones take nothing).</summary>
    public static Task<List<Guid>> CounsellorsOfAsync(LotseDb db, Guid agencyId, CancellationToken cancellationToken) =>
        (from m in db.AgencyMemberships
         join c in db.Counsellors.Active(db) on m.UserId equals c.UserId
         where m.AgencyId == agencyId
         orderby c.Id
         select c.Id).ToListAsync(cancellationToken);
}
