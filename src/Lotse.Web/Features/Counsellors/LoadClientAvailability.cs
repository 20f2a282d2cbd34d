using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.CounsellorAdmin;
using Lotse.Web.Features.Chat;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Counsellors;

/// <param name="Terms">Their agency's terms: booking rules, the agency's id, and whether it takes new requests.</param>
/// <param name="SlotMinutes">Length of their appointments in minutes (the slot planner's step).</param>
/// <param name="Absences">Their absences that have not ended, in start order (also what the slot planner needs).</param>
public sealed record CounsellorAvailabilityView(
    Guid CounsellorId,
    string DisplayName,
    ClientAvailability Availability,
    bool IsRegularClient,
    AgencyTerms Terms,
    int SlotMinutes,
    IReadOnlyList<AbsencePeriod> Absences)
{
    /// <summary>Set while the counsellor's agency takes no new requests (existing conversations go on).</summary>
    public AgencyClosure? Closure => Terms.Closure;
}

/// <summary>
/// Loads what one viewer may do with one counsellor, decided by <see cref="Availability.For"/>.
/// Chat (issue 5): with <paramref name="presence"/> registered (AddChat), "shown online" also needs an open chat
/// connection of the counsellor, so nobody is shown online who cannot answer now; without it the status alone decides.
/// </summary>
public sealed class LoadClientAvailability(LotseDb db, CounsellorLookup lookup, AgencyTermsLoader terms, TimeProvider clock, IChatPresence? presence = null)
{
    /// <summary>For the signed-in viewer (a client, or anyone else, who is then treated as a non-regular client).</summary>
    public async Task<CounsellorAvailabilityView?> LoadAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        await LoadForClientAsync(counsellorId, await lookup.CurrentClientIdAsync(cancellationToken), cancellationToken);

    /// <summary>For a client known by id (the chat hub, which has no page request to ask).</summary>
    public async Task<CounsellorAvailabilityView?> LoadForClientAsync(Guid counsellorId, Guid? clientId, CancellationToken cancellationToken)
    {
        if (await LoadStatusAsync(counsellorId, clientId, cancellationToken) is not { } status)
        {
            return null;
        }

        var availability = status.Availability;
        var agencyTerms = await terms.ForCounsellorAsync(status.CounsellorId, cancellationToken);
        if (agencyTerms.Closure is not null)
        {
            // No new request on any channel; a chat already open goes on (starting one is refused in StartConversation).
            availability = availability with { CanBook = false, CanSendMailRequest = false };
        }

        return new CounsellorAvailabilityView(status.CounsellorId, status.DisplayName, availability, status.IsRegular, agencyTerms, status.SlotMinutes, status.Absences);
    }

    /// <summary>
    /// Only what decides whether clients may write in chats that are open (the agency's terms do not: a closure stops new
    /// requests, not conversations that go on), for a whole batch of chat messages (<c>StoreChatMessages</c>) in two
    /// queries; a pair is missing when its counsellor is not active. Every chat message of a client asks this, so it
    /// leaves out what <see cref="LoadForClientAsync"/> adds for pages and refusals, and whether the counsellor is
    /// connected: "shown online" does not decide whether a client may write.
    /// </summary>
    public async Task<Dictionary<(Guid CounsellorId, Guid ClientId), ClientAvailability>> ForChatMessagesAsync(
        IReadOnlyCollection<(Guid CounsellorId, Guid ClientId)> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var counsellorIds = pairs.Select(p => p.CounsellorId).Distinct().ToList();
        var clientIds = pairs.Select(p => p.ClientId).Distinct().ToList();
        var rows = await StatusRows(db.Counsellors.Where(c => counsellorIds.Contains(c.Id)), viewer: Guid.Empty, now)
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var regular = (await db.CounsellingRelations.AsNoTracking()
                .Where(r => counsellorIds.Contains(r.CounsellorId) && clientIds.Contains(r.ClientId) && r.IsRegularClient)
                .Select(r => new { r.CounsellorId, r.ClientId })
                .ToListAsync(cancellationToken))
            .Select(r => (r.CounsellorId, r.ClientId))
            .ToHashSet();
        return pairs.Distinct().Where(p => rows.ContainsKey(p.CounsellorId))
            .ToDictionary(p => p, p => AvailabilityOf(rows[p.CounsellorId], regular.Contains(p), now));
    }

    private async Task<CounsellorStatus?> LoadStatusAsync(Guid counsellorId, Guid? clientId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Whether the viewer is their regular client and their absences that have not ended are read with the counsellor
        // (one query; no client, no match).
        var counsellor = await StatusRows(db.Counsellors.Where(c => c.Id == counsellorId), clientId ?? Guid.Empty, now)
            .SingleOrDefaultAsync(cancellationToken);
        if (counsellor is null)
        {
            return null;
        }

        var isRegular = clientId is not null && counsellor.IsRegular;
        var availability = AvailabilityOf(counsellor, isRegular, now);
        if (presence is not null && availability.ShownOnline && !await presence.IsConnectedAsync(counsellor.Id, cancellationToken))
        {
            availability = availability with { ShownOnline = false };
        }

        return new CounsellorStatus(counsellor.Id, counsellor.DisplayName, availability, isRegular, counsellor.SlotMinutes, counsellor.Absences);
    }

    /// <summary>The active ones of <paramref name="counsellors"/> with their status, absences that have not ended, and whether <paramref name="viewer"/> is their regular client.</summary>
    private IQueryable<StatusRow> StatusRows(IQueryable<Counsellor> counsellors, Guid viewer, DateTime now) =>
        counsellors.AsNoTracking()
            .Active(db)
            .Select(c => new StatusRow(
                c.Id,
                c.DisplayName,
                new AccountStatus(c.RegularClientsOnly, c.ChatMode, c.MailMode, c.MailCapacity),
                c.SlotMinutes,
                db.CounsellingRelations.Any(r => r.CounsellorId == c.Id && r.ClientId == viewer && r.IsRegularClient),
                db.Absences
                    .Where(a => a.CounsellorId == c.Id && a.EndUtc > now)
                    .OrderBy(a => a.StartUtc)
                    .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
                    .ToList()));

    private static ClientAvailability AvailabilityOf(StatusRow counsellor, bool isRegular, DateTime now) =>
        Availability.For(counsellor.Status, isRegular, counsellor.Absences, now);

    private sealed record StatusRow(Guid Id, string DisplayName, AccountStatus Status, int SlotMinutes, bool IsRegular, List<AbsencePeriod> Absences);

    private sealed record CounsellorStatus(
        Guid CounsellorId,
        string DisplayName,
        ClientAvailability Availability,
        bool IsRegular,
        int SlotMinutes,
        IReadOnlyList<AbsencePeriod> Absences);
}
