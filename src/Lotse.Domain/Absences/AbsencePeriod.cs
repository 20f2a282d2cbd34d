namespace Lotse.Domain.Absences;

/// <summary>A counsellor's absence as the rules see it: [StartUtc, EndUtc) with the note clients see.</summary>
public sealed record AbsencePeriod(Guid Id, DateTime StartUtc, DateTime EndUtc, string Note)
{
    public bool IsRunningAt(DateTime now) => StartUtc <= now && now < EndUtc;

    public bool IsPastAt(DateTime now) => EndUtc <= now;

    public bool Covers(DateTime fromUtc, DateTime toUtc) => StartUtc < toUtc && fromUtc < EndUtc;
}

/// <summary>Questions every channel asks about absences; booking, chat and mail routing all call these.</summary>
public static class AbsenceRules
{
    /// <summary>The absence running at <paramref name="now"/>, if any.</summary>
    public static AbsencePeriod? RunningAt(IEnumerable<AbsencePeriod> absences, DateTime now) =>
        absences.Where(a => a.IsRunningAt(now)).OrderBy(a => a.StartUtc).FirstOrDefault();

    /// <summary>The running absence, or else the one that starts next; null when none lies ahead.</summary>
    public static AbsencePeriod? Next(IEnumerable<AbsencePeriod> absences, DateTime now) =>
        absences.Where(a => a.EndUtc > now).OrderBy(a => a.StartUtc).FirstOrDefault();

    /// <summary>True when any absence overlaps the slot [fromUtc, toUtc): such a slot is not bookable.</summary>
    public static bool BlocksSlot(IEnumerable<AbsencePeriod> absences, DateTime fromUtc, DateTime toUtc) =>
        absences.Any(a => a.Covers(fromUtc, toUtc));

    /// <summary>
    /// The next instant after <paramref name="now"/> at which being absent flips (a running absence ends or
    /// the next one starts). Pages refresh themselves then, so no background job has to be on time.
    /// </summary>
    public static DateTime? NextChangeAfter(IEnumerable<AbsencePeriod> absences, DateTime now)
    {
        DateTime? next = null;
        foreach (var a in absences)
        {
            var candidate = a.StartUtc > now ? a.StartUtc : a.EndUtc > now ? a.EndUtc : (DateTime?)null;
            if (candidate is { } c && (next is null || c < next))
            {
                next = c;
            }
        }

        return next;
    }
}
