using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Counsellors;

public sealed record CounsellorAvailabilityView(Guid CounsellorId, string DisplayName, ClientAvailability Availability, bool IsRegularClient);

/// <summary>Loads what one viewer may do with one counsellor, decided by <see cref="Availability.For"/>.</summary>
public sealed class LoadClientAvailability(LotseDb db, CounsellorLookup lookup, TimeProvider clock)
{
    public async Task<CounsellorAvailabilityView?> LoadAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counsellor = await db.Counsellors.AsNoTracking()
            .Where(c => c.Id == counsellorId)
            .Select(c => new { c.Id, c.DisplayName, c.RegularClientsOnly, c.ChatMode, c.MailMode, c.MailCapacity })
            .SingleOrDefaultAsync(cancellationToken);
        if (counsellor is null)
        {
            return null;
        }

        var clientId = await lookup.CurrentClientIdAsync(cancellationToken);
        var isRegular = clientId is { } cid && await db.CounsellingRelations.AsNoTracking()
            .AnyAsync(r => r.CounsellorId == counsellorId && r.ClientId == cid && r.IsRegularClient, cancellationToken);

        var absences = await db.Absences.AsNoTracking()
            .Where(a => a.CounsellorId == counsellorId && a.EndUtc > now)
            .OrderBy(a => a.StartUtc)
            .Select(a => new Domain.Absences.AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .ToListAsync(cancellationToken);

        var status = new AccountStatus(counsellor.RegularClientsOnly, counsellor.ChatMode, counsellor.MailMode, counsellor.MailCapacity);
        return new CounsellorAvailabilityView(counsellor.Id, counsellor.DisplayName, Availability.For(status, isRegular, absences, now), isRegular);
    }
}
