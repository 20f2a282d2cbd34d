using Lotse.Domain.Privacy;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Privacy;

/// <param name="Accounts">Anonymous client accounts deleted for inactivity.</param>
/// <param name="MailThreads">Closed or archived mail threads deleted.</param>
/// <param name="ChatConversations">Closed chat conversations deleted.</param>
public sealed record RetentionReport(int Accounts, int MailThreads, int ChatConversations);

/// <summary>
/// Applies the agencies' retention periods now (<see cref="RetentionRules"/>):
/// <list type="bullet">
/// <item>an anonymous client (no e-mail address) whose last activity is older than their period is deleted through
/// <see cref="DeleteClientData"/>, the same function as "Konto löschen". Their period is the longest of the agencies they
/// are in contact with (counsellors they are related to, agencies they wrote to), or the installation default
/// (<see cref="RetentionOptions"/>) when there is none;</item>
/// <item>a mail thread closed longer ago than its agency's period is deleted with its messages;</item>
/// <item>a chat conversation closed longer ago than the longest period of its counsellor's agencies (the installation
/// default for a counsellor in no agency) is deleted with its messages.</item>
/// </list>
/// Every deletion is its own transaction and checks its condition again inside it, so that running on several instances
/// at once deletes nothing twice and nothing that became active meanwhile.
/// </summary>
public sealed class ApplyRetention(LotseDb db, DeleteClientData deletion, TimeProvider clock, IOptions<RetentionOptions> options)
{
    public async Task<RetentionReport> ApplyAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var agencies = await db.Agencies.AsNoTracking()
            .Select(a => new AgencyPeriods(a.Id, a.InactiveClientDays, a.ClosedConversationDays))
            .ToListAsync(cancellationToken);

        var accounts = await InactiveAccountsAsync(agencies, settings.InactiveClientDays, now, cancellationToken);
        var threads = await ClosedMailThreadsAsync(agencies, now, cancellationToken);
        var chats = await ClosedChatsAsync(agencies, settings.ClosedConversationDays, now, cancellationToken);
        return new RetentionReport(accounts, threads, chats);
    }

    private sealed record AgencyPeriods(Guid Id, int InactiveClientDays, int ClosedConversationDays);

    private async Task<int> InactiveAccountsAsync(List<AgencyPeriods> agencies, int installationDays, DateTime now, CancellationToken cancellationToken)
    {
        // Nobody's period is shorter than the shortest one configured anywhere: only those clients are looked at closely.
        var shortest = agencies.Select(a => a.InactiveClientDays).Append(installationDays).Min();
        var earliestCutoff = now.AddDays(-shortest);
        var candidates = await db.Clients.AsNoTracking()
            .Where(c => c.LastActiveUtc < earliestCutoff && db.Users.Any(u => u.Id == c.UserId && (u.Email == null || u.Email == "")))
            .OrderBy(c => c.LastActiveUtc)
            .Select(c => new { c.Id, c.LastActiveUtc })
            .ToListAsync(cancellationToken);

        var periods = agencies.ToDictionary(a => a.Id, a => a.InactiveClientDays);
        var deleted = 0;
        foreach (var candidate in candidates)
        {
            var agencyIds = await AgenciesOfClientAsync(candidate.Id, cancellationToken);
            var days = RetentionRules.PeriodFor(agencyIds.Select(id => periods.GetValueOrDefault(id)), installationDays);
            if (!RetentionRules.IsInactiveAccountDue(hasEmail: false, candidate.LastActiveUtc, days, now))
            {
                continue;
            }

            if (await deletion.DeleteAsync(candidate.Id, now.AddDays(-days), cancellationToken) is ClientDeleted)
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>The agencies a client is in contact with: those of the counsellors they are related to, and those they wrote to.</summary>
    private async Task<List<Guid>> AgenciesOfClientAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var throughCounsellors = await (
                from r in db.CounsellingRelations.AsNoTracking()
                where r.ClientId == clientId
                join c in db.Counsellors.AsNoTracking() on r.CounsellorId equals c.Id
                join m in db.AgencyMemberships.AsNoTracking() on c.UserId equals m.UserId
                select m.AgencyId)
            .ToListAsync(cancellationToken);
        var wroteTo = await db.MailThreads.AsNoTracking().Where(t => t.ClientId == clientId).Select(t => t.AgencyId).ToListAsync(cancellationToken);
        return throughCounsellors.Concat(wroteTo).Distinct().ToList();
    }

    private async Task<int> ClosedMailThreadsAsync(List<AgencyPeriods> agencies, DateTime now, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var agency in agencies)
        {
            var cutoff = now.AddDays(-agency.ClosedConversationDays);
            deleted += await InTransactionAsync(
                ct => DeleteClientData.DeleteMailThreadsAsync(db, db.MailThreads.Where(t => t.AgencyId == agency.Id && t.ClosedUtc != null && t.ClosedUtc < cutoff), ct),
                cancellationToken);
        }

        return deleted;
    }

    private async Task<int> ClosedChatsAsync(List<AgencyPeriods> agencies, int installationDays, DateTime now, CancellationToken cancellationToken)
    {
        var memberships = await (
                from c in db.Counsellors.AsNoTracking()
                join m in db.AgencyMemberships.AsNoTracking() on c.UserId equals m.UserId into joined
                from m in joined.DefaultIfEmpty()
                select new { CounsellorId = c.Id, AgencyId = (Guid?)m.AgencyId })
            .ToListAsync(cancellationToken);
        var periods = agencies.ToDictionary(a => a.Id, a => a.ClosedConversationDays);

        // Counsellors grouped by the period that applies to their chats: one DELETE per distinct period.
        var byPeriod = memberships
            .GroupBy(m => m.CounsellorId)
            .Select(g => (CounsellorId: g.Key, Days: RetentionRules.PeriodFor(g.Where(m => m.AgencyId is not null).Select(m => periods.GetValueOrDefault(m.AgencyId!.Value)), installationDays)))
            .GroupBy(x => x.Days, x => x.CounsellorId);

        var deleted = 0;
        foreach (var group in byPeriod)
        {
            var cutoff = now.AddDays(-group.Key);
            foreach (var chunk in group.Chunk(500))
            {
                deleted += await InTransactionAsync(
                    ct => DeleteClientData.DeleteConversationsAsync(db, db.Conversations.Where(c => chunk.Contains(c.CounsellorId) && c.ClosedUtc != null && c.ClosedUtc < cutoff), ct),
                    cancellationToken);
            }
        }

        return deleted;
    }

    private async Task<int> InTransactionAsync(Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var count = await work(ct);
                await transaction.CommitAsync(ct);
                return count;
            },
            cancellationToken);
    }
}
