using Lotse.Domain.Accounts;
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

/// <summary>Where the client writes: one counsellor, or a counselling centre as a whole.</summary>
public sealed record MailAddressee(Guid? CounsellorId, Guid? AgencyId);

public abstract record MailRequestResult;

public sealed record MailRequestSent(Guid ThreadId) : MailRequestResult;

public sealed record MailRequestInvalid(MailTextProblem Problem) : MailRequestResult;

/// <summary>The counsellor takes only regular clients (black toggle) and this client is not one.</summary>
public sealed record MailRequestNotReachable : MailRequestResult;

public sealed record MailAddresseeNotFound : MailRequestResult;

/// <summary>The agency takes no new requests (issue 8); nothing was stored.</summary>
public sealed record MailAgencyClosed : MailRequestResult;

/// <summary>
/// A client's new mail request. One transaction locks the counsellors routing weighs (the addressed one, or every
/// counsellor of the agency, in id order), counts their open requests as they are now, asks <see cref="MailRouter"/>,
/// and saves thread, first message and notification together: however many requests arrive at once, nobody gets more
/// than N open requests through routing, and none is lost. The client's request key makes a repeated submit harmless.
/// </summary>
/// <remarks>
/// After the commit the agency's supervision pages are told (optional: the mail bench's slim host has no SignalR).
/// </remarks>
public sealed class SendMailRequest(LotseDb db, CounsellorAgencies agencies, TimeProvider clock, NotificationOutbox outbox, AuditLog audit, LotseMetrics metrics, SupervisionNotifier? supervision = null)
{
    private const int Attempts = 3;

    public async Task<MailRequestResult> SendAsync(Guid clientId, MailAddressee to, string? subject, string? body, Guid requestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        var text = MailRules.CheckRequest(subject, body);
        if (!text.IsValid)
        {
            return new MailRequestInvalid(text.Problem);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                return await strategy.ExecuteAsync(ct => SendInTransactionAsync(clientId, to, text, requestKey, ct), cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same request was submitted twice at once: the unique request key let the first one in.
                if (await ExistingAsync(clientId, requestKey, cancellationToken) is { } existing)
                {
                    return new MailRequestSent(existing);
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

    private async Task<string> RoutingDetailsAsync(RoutingDecision decision, CancellationToken cancellationToken)
    {
        var ids = new[] { decision.CounsellorId, decision.ForwardedFromId }.OfType<Guid>().ToList();
        var names = await db.Counsellors.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.DisplayName })
            .ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        string? NameOf(Guid? id) => id is { } key ? names.GetValueOrDefault(key) : null;
        return AuditTexts.Routing(decision, NameOf(decision.CounsellorId), NameOf(decision.ForwardedFromId));
    }

    private async Task<Guid?> ExistingAsync(Guid clientId, Guid requestKey, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.MailThreads.AsNoTracking()
            .Where(t => t.ClientId == clientId && t.RequestKey == requestKey)
            .Select(t => (Guid?)t.Id)
            .SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<MailRequestResult> SendInTransactionAsync(Guid clientId, MailAddressee to, MailText text, Guid requestKey, CancellationToken cancellationToken)
    {
        // One pooled connection for every statement of this request, as for a chat message (docs/benchmarks.md): EF Core
        // would otherwise rent and return one for each look-up before the transaction.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await RouteAndStoreAsync(clientId, to, text, requestKey, cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<MailRequestResult> RouteAndStoreAsync(Guid clientId, MailAddressee to, MailText text, Guid requestKey, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        if (await ExistingAsync(clientId, requestKey, cancellationToken) is { } existing)
        {
            return new MailRequestSent(existing);
        }

        var agencyRow = to.CounsellorId is { } addressed
            ? await agencies.OfAsync(addressed, cancellationToken)
            : await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == to.AgencyId, cancellationToken);
        if (agencyRow is null)
        {
            return new MailAddresseeNotFound();
        }

        if (agencyRow.IsClosedForNewRequests)
        {
            return new MailAgencyClosed();
        }

        var agency = agencyRow.Id;
        var agencyFallbackId = agencyRow.FallbackCounsellorId;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Any failure rolls the whole transaction back (and SendAsync routes again), so EF Core's savepoints around the two
        // SaveChanges below would only cost four more statements per request.
        db.Database.AutoSavepointsEnabled = false;
        var now = clock.GetUtcNow().UtcDateTime;

        // Lock first, then read: the counts below are then the ones no concurrent request can change before we commit.
        var weighed = to.CounsellorId is { } id ? [id] : await MailLoads.CounsellorsOfAsync(db, agency, cancellationToken);
        await db.LockCounsellorsAsync(weighed, cancellationToken);
        var isRegular = to.CounsellorId is { } target && await db.CounsellingRelations.AsNoTracking()
            .AnyAsync(r => r.CounsellorId == target && r.ClientId == clientId && r.IsRegularClient, cancellationToken);
        // A disabled counsellor (issue 8) is not reachable, whatever page the request came from.
        var loads = await MailLoads.LoadAsync(db, weighed, now, activeOnly: true, cancellationToken);
        if (to.CounsellorId is { } direct)
        {
            if (loads.SingleOrDefault(l => l.CounsellorId == direct) is not { } load)
            {
                return new MailAddresseeNotFound();
            }

            // The black toggle: only regular clients may write (seed). Everything else is routed, never refused.
            if (!Availability.For(load.Status, isRegular, load.Absences, now).CanSendMailRequest)
            {
                return new MailRequestNotReachable();
            }

            var fallbacks = new[] { load.PersonalFallbackId, agencyFallbackId }.OfType<Guid>().Where(f => f != direct).ToList();
            loads.AddRange(await MailLoads.LoadAsync(db, fallbacks, now, activeOnly: false, cancellationToken));
        }
        else if (agencyFallbackId is { } fallback && !weighed.Contains(fallback))
        {
            loads.AddRange(await MailLoads.LoadAsync(db, [fallback], now, activeOnly: false, cancellationToken));
        }

        var decision = MailRouter.Route(new MailRouteRequest(to.CounsellorId, isRegular, agencyFallbackId), loads, now);
        var thread = new MailThread(Guid.NewGuid(), agency, clientId, to.CounsellorId, text.Subject, decision, requestKey, now);
        db.MailThreads.Add(thread);
        // Saved with the thread below, in the same transaction: no routing without its entry.
        await audit.RecordAsync(AuditAction.MailRequestRouted, AuditTarget.Of(AuditTargetType.MailThread, thread.Id), agency,
            await RoutingDetailsAsync(decision, cancellationToken), cancellationToken);
        var message = new MailMessage(thread.Id, MailSide.Client, text.Body, requestKey, now);
        db.MailMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        thread.Wrote(MailSide.Client, message.Id, now);
        if (thread.CounsellorId is { } answering)
        {
            await db.EnsureRelationAsync(answering, clientId, now, cancellationToken);
            await outbox.AddForMailAsync(thread, MailSide.Counsellor, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        metrics.MailRequestReceived();
        if (supervision is not null)
        {
            await supervision.ChangedAsync(agency, cancellationToken);
        }

        return new MailRequestSent(thread.Id);
    }
}
