using Lotse.Domain.Absences;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Absences;

/// <summary>What became of a change: saved (with the absence's id), refused by a rule, or not found.</summary>
public sealed record AbsenceOutcome(Guid? SavedId, AbsenceProblem? Problem, bool NotFound)
{
    public static AbsenceOutcome Saved(Guid id) => new(id, null, false);

    public static AbsenceOutcome Refused(AbsenceProblem problem) => new(null, problem, false);

    public static AbsenceOutcome Missing { get; } = new(null, null, true);
}

/// <summary>
/// Creates, changes, ends and deletes absences. Each runs in one transaction that holds the counsellor's
/// lock, so that two requests at the same instant cannot both pass the overlap check.
/// Every saved change is announced to the counsellor's open client pages.
/// </summary>
public sealed class SaveAbsence(LotseDb db, TimeProvider clock, AvailabilityNotifier notifier, AuditLog audit)
{
    public Task<AbsenceOutcome> CreateAsync(AbsenceOwner owner, DateTime startUtc, DateTime endUtc, string note, CancellationToken cancellationToken) =>
        InLockAsync(owner, async (others, now) =>
        {
            if (AbsencePlanning.CheckNew(startUtc, endUtc, note, others, now) is { } problem)
            {
                return AbsenceOutcome.Refused(problem);
            }

            var absence = new Absence(Guid.NewGuid(), owner.CounsellorId, startUtc, endUtc, note, owner.ActorName, now);
            db.Absences.Add(absence);
            await audit.RecordAsync(AuditAction.AbsenceCreated, AuditTarget.Of(AuditTargetType.Absence, absence.Id), null,
                $"Berater:in {owner.CounsellorName}: {AuditTexts.Period(startUtc, endUtc)}", cancellationToken);
            return AbsenceOutcome.Saved(absence.Id);
        }, cancellationToken);

    public Task<AbsenceOutcome> ChangeAsync(AbsenceOwner owner, Guid absenceId, DateTime startUtc, DateTime endUtc, string note, CancellationToken cancellationToken) =>
        WithAbsenceAsync(owner, absenceId, (absence, others, now) =>
            AbsencePlanning.CheckChange(absence.ToPeriod(), startUtc, endUtc, note, others, now) is { } problem
                ? problem
                : Do(() => absence.Reschedule(startUtc, endUtc, note)), cancellationToken);

    public Task<AbsenceOutcome> EndNowAsync(AbsenceOwner owner, Guid absenceId, CancellationToken cancellationToken) =>
        WithAbsenceAsync(owner, absenceId, (absence, _, now) =>
            AbsencePlanning.CheckEndNow(absence.ToPeriod(), now) is { } problem
                ? problem
                // An absence that begins this very instant has no past part to keep: ending it removes it.
                : Do(() =>
                {
                    if (absence.StartUtc >= now)
                    {
                        db.Absences.Remove(absence);
                    }
                    else
                    {
                        absence.Reschedule(absence.StartUtc, now, absence.Note);
                    }
                }), cancellationToken);

    public Task<AbsenceOutcome> DeleteAsync(AbsenceOwner owner, Guid absenceId, CancellationToken cancellationToken) =>
        WithAbsenceAsync(owner, absenceId, (absence, _, now) =>
            AbsencePlanning.CheckDelete(absence.ToPeriod(), now) is { } problem
                ? problem
                : Do(() => db.Absences.Remove(absence)), cancellationToken);

    private static AbsenceProblem? Do(Action change)
    {
        change();
        return null;
    }

    private Task<AbsenceOutcome> WithAbsenceAsync(AbsenceOwner owner, Guid absenceId, Func<Absence, IReadOnlyList<AbsencePeriod>, DateTime, AbsenceProblem?> apply, CancellationToken cancellationToken) =>
        InLockAsync(owner, async (others, now) =>
        {
            var absence = await db.Absences.SingleOrDefaultAsync(a => a.Id == absenceId && a.CounsellorId == owner.CounsellorId, cancellationToken);
            if (absence is null)
            {
                return AbsenceOutcome.Missing;
            }

            var before = AuditTexts.Period(absence.StartUtc, absence.EndUtc);
            if (apply(absence, others, now) is { } problem)
            {
                return AbsenceOutcome.Refused(problem);
            }

            // The note is the counsellor's own text for clients: the log names the period only.
            var deleted = db.Entry(absence).State == EntityState.Deleted;
            await audit.RecordAsync(
                deleted ? AuditAction.AbsenceDeleted : AuditAction.AbsenceChanged,
                AuditTarget.Of(AuditTargetType.Absence, absence.Id),
                null,
                deleted ? $"Berater:in {owner.CounsellorName}: {before} gelöscht" : $"Berater:in {owner.CounsellorName}: {before} → {AuditTexts.Period(absence.StartUtc, absence.EndUtc)}",
                cancellationToken);
            return AbsenceOutcome.Saved(absence.Id);
        }, cancellationToken);

    private async Task<AbsenceOutcome> InLockAsync(AbsenceOwner owner, Func<IReadOnlyList<AbsencePeriod>, DateTime, Task<AbsenceOutcome>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var outcome = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.LockCounsellorAsync(owner.CounsellorId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            // Past absences can neither change nor be overlapped by anything that starts from now on.
            var others = await db.Absences.AsNoTracking()
                .Where(a => a.CounsellorId == owner.CounsellorId && a.EndUtc > now)
                .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
                .ToListAsync(ct);
            var result = await work(others, now);
            if (result.SavedId is not null)
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }

            return result;
        }, cancellationToken);

        if (outcome.SavedId is not null)
        {
            await notifier.ChangedAsync(owner.CounsellorId, cancellationToken);
        }

        return outcome;
    }
}
