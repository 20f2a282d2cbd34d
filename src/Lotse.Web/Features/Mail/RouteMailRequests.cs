using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Features.Operations;
using Lotse.Web.Features.Supervision;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

/// <summary>A checked new mail request waiting for routing, with the person who sent it (for the audit log).</summary>
public sealed record PendingMailRequest(Guid ClientId, MailAddressee To, MailText Text, Guid RequestKey, AuditActor Actor);

/// <summary>
/// Routes and stores a batch of new mail requests (<see cref="MailRoutingBatcher"/> collects what arrives at once) in one
/// transaction. It locks every counsellor routing weighs for any request of the batch (the addressed one, or every
/// counsellor of the agency; in id order), counts their open requests as they are now, asks <see cref="MailRouter"/>
/// for each request in turn, counting each decision before the next one, and saves threads, first messages, audit
/// entries and notifications together: however many requests arrive at once, nobody gets more than N open requests
/// through routing, and none is lost. The client's request key makes a repeated submit harmless.
/// A batch costs about as many statements as one request did alone (issue 6's speed target, docs/benchmarks.md).
/// </summary>
/// <remarks>After the commit the agencies' supervision pages are told (optional: the mail bench's slim host has no SignalR).</remarks>
public sealed class RouteMailRequests(LotseDb db, CounsellorAgencies agencies, TimeProvider clock, NotificationOutbox outbox, AuditLog audit, LotseMetrics metrics, SupervisionNotifier? supervision = null)
{
    private const int Attempts = 3;

    /// <summary>
    /// The results in the order of <paramref name="batch"/>, all stored in one transaction. A batch that fails stores
    /// nothing and throws (<see cref="MailRoutingBatcher"/> then routes its requests one by one); a single request that
    /// meets a conflict is routed again, as a resubmitted form would be.
    /// </summary>
    public async Task<IReadOnlyList<MailRequestResult>> RouteAsync(IReadOnlyList<PendingMailRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                return await strategy.ExecuteAsync(ct => RouteInTransactionAsync(batch, ct), cancellationToken);
            }
            catch (DbUpdateException) when (batch.Count == 1)
            {
                // The same request was submitted twice at once: the unique request key let the first one in.
                var request = batch[0];
                if ((await ExistingAsync(batch, cancellationToken)).TryGetValue((request.ClientId, request.RequestKey), out var existing))
                {
                    return [new MailRequestSent(existing)];
                }

                // Two requests of this client to different counsellors (different locks) reached the same fallback at the
                // same instant, and the other one recorded their counselling relation first. Nothing was saved: route again.
                if (attempt >= Attempts)
                {
                    throw;
                }
            }
        }
    }

    private async Task<IReadOnlyList<MailRequestResult>> RouteInTransactionAsync(IReadOnlyList<PendingMailRequest> batch, CancellationToken cancellationToken)
    {
        // One pooled connection for every statement of the batch, as for a chat message (docs/benchmarks.md): EF Core
        // would otherwise rent and return one for each look-up before the transaction.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await RouteAndStoreAsync(batch, cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The threads already stored for these (client, request key) pairs: a form sent twice.</summary>
    private async Task<Dictionary<(Guid ClientId, Guid RequestKey), Guid>> ExistingAsync(IReadOnlyList<PendingMailRequest> batch, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var clients = batch.Select(r => r.ClientId).Distinct().ToList();
        var keys = batch.Select(r => r.RequestKey).Distinct().ToList();
        var rows = await db.MailThreads.AsNoTracking()
            .Where(t => clients.Contains(t.ClientId) && keys.Contains(t.RequestKey))
            .Select(t => new { t.ClientId, t.RequestKey, t.Id })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.ClientId, r.RequestKey), r => r.Id);
    }

    private async Task<IReadOnlyList<MailRequestResult>> RouteAndStoreAsync(IReadOnlyList<PendingMailRequest> batch, CancellationToken cancellationToken)
    {
        var existing = await ExistingAsync(batch, cancellationToken);
        var results = new MailRequestResult?[batch.Count];
        // A request key seen earlier in this batch: the same form sent twice within milliseconds gets the first one's answer.
        var first = new Dictionary<(Guid, Guid), int>();
        var fresh = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var key = (batch[i].ClientId, batch[i].RequestKey);
            if (existing.TryGetValue(key, out var threadId))
            {
                results[i] = new MailRequestSent(threadId);
            }
            else if (!first.TryAdd(key, i))
            {
                continue;
            }
            else
            {
                fresh.Add(i);
            }
        }

        var byCounsellor = await agencies.OfAsync(fresh.Select(i => batch[i].To.CounsellorId).OfType<Guid>().ToList(), cancellationToken);
        var agencyIds = fresh.Where(i => batch[i].To.CounsellorId is null).Select(i => batch[i].To.AgencyId).OfType<Guid>().Distinct().ToList();
        var byId = agencyIds.Count == 0 ? [] : await db.Agencies.AsNoTracking().Where(a => agencyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var agencyOf = new Dictionary<int, Agency>();
        foreach (var i in fresh)
        {
            var to = batch[i].To;
            var agency = to.CounsellorId is { } addressed ? byCounsellor[addressed] : to.AgencyId is { } id ? byId.GetValueOrDefault(id) : null;
            if (agency is null)
            {
                results[i] = new MailAddresseeNotFound();
            }
            else if (agency.IsClosedForNewRequests)
            {
                results[i] = new MailAgencyClosed();
            }
            else
            {
                agencyOf[i] = agency;
            }
        }

        var threads = agencyOf.Count == 0 ? [] : await RouteInLockAsync(batch, agencyOf, results, cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] ??= results[first[(batch[i].ClientId, batch[i].RequestKey)]];
        }

        metrics.MailRequestsReceived(threads.Count);

        if (supervision is not null)
        {
            foreach (var agency in threads.Select(t => t.AgencyId).Distinct())
            {
                await supervision.ChangedAsync(agency, cancellationToken);
            }
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>Locks, reads, routes each request in <paramref name="agencyOf"/> and stores the threads; fills their results.</summary>
    private async Task<List<MailThread>> RouteInLockAsync(IReadOnlyList<PendingMailRequest> batch, Dictionary<int, Agency> agencyOf, MailRequestResult?[] results, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Any failure rolls the whole transaction back (and RouteAsync routes again), so EF Core's savepoints around the two
        // SaveChanges below would only cost four more statements.
        db.Database.AutoSavepointsEnabled = false;
        var now = clock.GetUtcNow().UtcDateTime;

        // Lock first, then read: the counts below are then the ones no concurrent request can change before we commit.
        var weighed = new Dictionary<int, List<Guid>>();
        var ofAgency = new Dictionary<Guid, List<Guid>>();
        foreach (var (i, agency) in agencyOf)
        {
            if (batch[i].To.CounsellorId is { } id)
            {
                weighed[i] = [id];
            }
            else
            {
                if (!ofAgency.TryGetValue(agency.Id, out var members))
                {
                    members = await MailLoads.CounsellorsOfAsync(db, agency.Id, cancellationToken);
                    ofAgency[agency.Id] = members;
                }

                weighed[i] = members;
            }
        }

        var locked = weighed.Values.SelectMany(w => w).Distinct().ToList();
        await db.LockCounsellorsAsync(locked, cancellationToken);
        // A disabled counsellor (issue 8) is not reachable, whatever page the request came from; a fallback is asked
        // whatever its state (the router knows what to do with an absent one).
        var loads = (await MailLoads.LoadAsync(db, locked, now, activeOnly: true, cancellationToken)).ToDictionary(l => l.CounsellorId);
        var active = loads.Keys.ToHashSet();
        var fallbackIds = agencyOf.Values.Select(a => a.FallbackCounsellorId)
            .Concat(agencyOf.Keys.Select(i => batch[i].To.CounsellorId is { } id && loads.TryGetValue(id, out var load) ? load.PersonalFallbackId : null))
            .OfType<Guid>().Where(id => !loads.ContainsKey(id)).ToList();
        foreach (var load in await MailLoads.LoadAsync(db, fallbackIds, now, activeOnly: false, cancellationToken))
        {
            loads[load.CounsellorId] = load;
        }

        var relations = await RelationsAsync(loads.Keys, agencyOf.Keys.Select(i => batch[i].ClientId), cancellationToken);

        var routed = new List<(int Index, RoutingDecision Decision)>();
        foreach (var i in agencyOf.Keys.Order())
        {
            var request = batch[i];
            var agencyFallbackId = agencyOf[i].FallbackCounsellorId;
            var isRegular = request.To.CounsellorId is { } target && relations.GetValueOrDefault((target, request.ClientId));
            List<CounsellorLoad> weighs;
            if (request.To.CounsellorId is { } direct)
            {
                if (!active.Contains(direct))
                {
                    results[i] = new MailAddresseeNotFound();
                    continue;
                }

                var load = loads[direct];
                // The black toggle: only regular clients may write (seed). Everything else is routed, never refused.
                if (!Availability.For(load.Status, isRegular, load.Absences, now).CanSendMailRequest)
                {
                    results[i] = new MailRequestNotReachable();
                    continue;
                }

                weighs = [load, .. new[] { load.PersonalFallbackId, agencyFallbackId }.OfType<Guid>().Where(f => f != direct && loads.ContainsKey(f)).Distinct().Select(f => loads[f])];
            }
            else
            {
                // A counsellor disabled since the agency's list was read is no longer among the loads (active only).
                weighs = [.. weighed[i].Where(active.Contains).Select(id => loads[id])];
                if (agencyFallbackId is { } fallback && !weighed[i].Contains(fallback) && loads.TryGetValue(fallback, out var fallbackLoad))
                {
                    weighs.Add(fallbackLoad);
                }
            }

            var decision = MailRouter.Route(new MailRouteRequest(request.To.CounsellorId, isRegular, agencyFallbackId), weighs, now);
            // The next request of this batch sees this one as open, as it would after a commit.
            if (decision.CounsellorId is { } answering)
            {
                loads[answering] = loads[answering] with { OpenRequests = loads[answering].OpenRequests + 1 };
            }

            routed.Add((i, decision));
        }

        var names = await NamesAsync(routed.SelectMany(r => new[] { r.Decision.CounsellorId, r.Decision.ForwardedFromId }), cancellationToken);
        string? NameOf(Guid? id) => id is { } key ? names.GetValueOrDefault(key) : null;
        var stored = new List<(MailThread Thread, MailMessage Message)>();
        foreach (var (i, decision) in routed)
        {
            var request = batch[i];
            var agency = agencyOf[i].Id;
            var thread = new MailThread(Guid.NewGuid(), agency, request.ClientId, request.To.CounsellorId, request.Text.Subject, decision, request.RequestKey, now);
            db.MailThreads.Add(thread);
            // Saved with the thread below, in the same transaction: no routing without its entry.
            audit.Record(request.Actor, AuditAction.MailRequestRouted, AuditTarget.Of(AuditTargetType.MailThread, thread.Id), agency,
                AuditTexts.Routing(decision, NameOf(decision.CounsellorId), NameOf(decision.ForwardedFromId)));
            var message = new MailMessage(thread.Id, MailSide.Client, request.Text.Body, request.RequestKey, now);
            db.MailMessages.Add(message);
            stored.Add((thread, message));
            results[i] = new MailRequestSent(thread.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (thread, message) in stored)
        {
            thread.Wrote(MailSide.Client, message.Id, now);
        }

        var threads = stored.Select(s => s.Thread).ToList();
        AddRelations(threads, relations, now);
        await outbox.AddForCounsellorsAsync(threads, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return threads;
    }

    /// <summary>
    /// The counselling relations between these counsellors (every one routing may choose) and clients, read once under the
    /// locks: whether a client is a regular client of the addressed counsellor, and which relations a thread still needs.
    /// </summary>
    private async Task<Dictionary<(Guid CounsellorId, Guid ClientId), bool>> RelationsAsync(IEnumerable<Guid> counsellorIds, IEnumerable<Guid> clientIds, CancellationToken cancellationToken)
    {
        var counsellors = counsellorIds.Distinct().ToList();
        var clients = clientIds.Distinct().ToList();
        if (counsellors.Count == 0 || clients.Count == 0)
        {
            return [];
        }

        var rows = await db.CounsellingRelations.AsNoTracking()
            .Where(r => counsellors.Contains(r.CounsellorId) && clients.Contains(r.ClientId))
            .Select(r => new { r.CounsellorId, r.ClientId, r.IsRegularClient })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.CounsellorId, r.ClientId), r => r.IsRegularClient);
    }

    /// <summary>A counselling relation for every (answering counsellor, client) pair that has none yet.</summary>
    private void AddRelations(List<MailThread> threads, Dictionary<(Guid CounsellorId, Guid ClientId), bool> known, DateTime now)
    {
        var pairs = threads.Where(t => t.CounsellorId is not null).Select(t => (CounsellorId: t.CounsellorId!.Value, t.ClientId))
            .Where(p => !known.ContainsKey(p)).ToHashSet();
        foreach (var (counsellorId, clientId) in pairs)
        {
            db.CounsellingRelations.Add(new CounsellingRelation(counsellorId, clientId, now));
        }
    }

    private async Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid?> counsellorIds, CancellationToken cancellationToken)
    {
        var ids = counsellorIds.OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Counsellors.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.DisplayName })
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
    }
}
