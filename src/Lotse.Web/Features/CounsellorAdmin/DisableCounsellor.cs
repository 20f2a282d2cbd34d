using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Security;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>What disabling did: how many open requests went to whom.</summary>
public sealed record DisableSummary(int HandedOver, string? FallbackName);

/// <summary>
/// An agency admin disables a counsellor of their agency. First the account (<see cref="DisableAccount"/>: no sign-in,
/// every session and live connection ends at once), so that no new request can reach them; then, in one transaction,
/// their open mail requests go to the agency's fallback counsellor (unless absent) or to the agency's queue
/// (<see cref="MailRouter.HandOver"/>), and nobody keeps them as a fallback: the agency's fallback and colleagues'
/// personal fallbacks that name them are cleared. Every step is audited. Future appointments stay with them until the
/// admin moves them (<see cref="ReassignAppointment"/>).
/// </summary>
public sealed class DisableCounsellor(LotseDb db, DisableAccount disable, AuditLog audit, AvailabilityNotifier availability, TimeProvider clock)
{
    public async Task<DisableSummary> HandleAsync(Guid agencyId, Counsellor counsellor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        await disable.HandleAsync(new DisableAccountRequest(counsellor.UserId), cancellationToken);

        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var agency = await db.Agencies.SingleAsync(a => a.Id == agencyId, cancellationToken);
        var notes = new List<string>();
        if (agency.FallbackCounsellorId == counsellor.Id)
        {
            agency.SetFallbackCounsellor(null);
            await audit.RecordAsync(AuditAction.AgencyMailSettingsChanged, AuditTarget.Of(AuditTargetType.Agency, agency.Id), agency.Id,
                $"Fallback-Berater:in: {counsellor.DisplayName} → keine (Zugang deaktiviert)", cancellationToken);
        }

        var colleagues = await db.Counsellors.Where(c => c.PersonalFallbackId == counsellor.Id).ToListAsync(cancellationToken);
        foreach (var colleague in colleagues)
        {
            colleague.SetPersonalFallback(null);
        }

        if (colleagues.Count > 0)
        {
            notes.Add($"als persönliche Fallback-Berater:in bei {colleagues.Count} Kolleg:innen entfernt");
        }

        var fallbackId = agency.FallbackCounsellorId;
        var locked = new[] { counsellor.Id }.Concat(fallbackId is { } f ? [f] : Array.Empty<Guid>()).ToList();
        await db.LockCounsellorsAsync(locked, cancellationToken);
        var loads = fallbackId is { } id ? await MailLoads.LoadAsync(db, [id], now, activeOnly: false, cancellationToken) : [];
        var decision = MailRouter.HandOver(counsellor.Id, fallbackId, loads, now);
        var fallbackName = decision.CounsellorId is { } to
            ? await db.Counsellors.AsNoTracking().Where(c => c.Id == to).Select(c => c.DisplayName).SingleAsync(cancellationToken)
            : null;
        var threads = await db.MailThreads.OpenRequests().Where(t => t.CounsellorId == counsellor.Id).ToListAsync(cancellationToken);
        foreach (var thread in threads)
        {
            thread.HandOver(decision);
            await audit.RecordAsync(AuditAction.MailRequestHandedOver, AuditTarget.Of(AuditTargetType.MailThread, thread.Id), thread.AgencyId,
                AuditTexts.Routing(decision, fallbackName, counsellor.DisplayName), cancellationToken);
        }

        notes.Insert(0, threads.Count == 0
            ? "keine offenen Mailanfragen"
            : $"{threads.Count} offene Mailanfragen an " + (fallbackName is null ? "die Warteschlange" : fallbackName) + " übergeben");
        await audit.RecordAsync(AuditAction.CounsellorDisabled, AuditTarget.Of(AuditTargetType.Counsellor, counsellor.Id), agencyId,
            $"Zugang von {counsellor.DisplayName} deaktiviert; " + string.Join("; ", notes), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        // Clients looking at the profile see at once that the counsellor cannot be contacted any more.
        await availability.ChangedAsync(counsellor.Id, cancellationToken);
        return new DisableSummary(threads.Count, fallbackName);
    }
}

/// <summary>Re-enables a disabled counsellor: they may sign in again and are listed and routable again. Audited.</summary>
public sealed class EnableCounsellor(LotseDb db, AuditLog audit, AvailabilityNotifier availability)
{
    public async Task HandleAsync(Guid agencyId, Counsellor counsellor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        var row = await db.AccountSecurity.SingleOrDefaultAsync(a => a.UserId == counsellor.UserId, cancellationToken);
        if (row?.DisabledUtc is null)
        {
            return;
        }

        row.DisabledUtc = null;
        await audit.RecordAsync(AuditAction.CounsellorEnabled, AuditTarget.Of(AuditTargetType.Counsellor, counsellor.Id), agencyId,
            $"Zugang von {counsellor.DisplayName} wieder aktiviert", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await availability.ChangedAsync(counsellor.Id, cancellationToken);
    }
}
