namespace Lotse.Domain.Absences;

public enum AbsenceProblemKind
{
    /// <summary>The end is not after the start.</summary>
    EndNotAfterStart,

    /// <summary>The period overlaps another absence of the same counsellor (named in the problem).</summary>
    Overlap,

    /// <summary>The note is longer than <see cref="Absence.MaxNoteLength"/>.</summary>
    NoteTooLong,

    /// <summary>The note contains markup; notes are plain text.</summary>
    NoteNotPlainText,

    /// <summary>A new or future absence would start before now: the past cannot be entered afterwards.</summary>
    StartsInPast,

    /// <summary>A running absence would end before now.</summary>
    EndsInPast,

    /// <summary>The start of a running absence would move: its past part cannot be rewritten.</summary>
    PastPartChanged,

    /// <summary>The absence is over; it stays in the overview as it was.</summary>
    AlreadyOver,

    /// <summary>"End now" was asked of an absence that is not running.</summary>
    NotRunning,

    /// <summary>A running absence cannot be deleted (that would rewrite its past part); it can be ended now.</summary>
    RunningCannotBeDeleted,
}

public sealed record AbsenceProblem(AbsenceProblemKind Kind, AbsencePeriod? Overlapping = null);

/// <summary>
/// The rules for entering, changing and removing absences. Everything is decided against <c>now</c>:
/// what has happened stays as it was; only what lies ahead can change.
/// </summary>
public static class AbsencePlanning
{
    public static AbsenceProblem? CheckNew(DateTime startUtc, DateTime endUtc, string note, IEnumerable<AbsencePeriod> others, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(note);
        return CheckNote(note)
            ?? CheckOrder(startUtc, endUtc)
            ?? (startUtc < now ? new AbsenceProblem(AbsenceProblemKind.StartsInPast) : null)
            ?? CheckOverlap(startUtc, endUtc, others, except: null);
    }

    public static AbsenceProblem? CheckChange(AbsencePeriod current, DateTime startUtc, DateTime endUtc, string note, IEnumerable<AbsencePeriod> others, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(note);
        if (current.IsPastAt(now))
        {
            return new AbsenceProblem(AbsenceProblemKind.AlreadyOver);
        }

        var timing = current.IsRunningAt(now)
            ? startUtc != current.StartUtc ? new AbsenceProblem(AbsenceProblemKind.PastPartChanged)
                : endUtc < now ? new AbsenceProblem(AbsenceProblemKind.EndsInPast) : null
            : startUtc < now ? new AbsenceProblem(AbsenceProblemKind.StartsInPast) : null;

        return CheckNote(note)
            ?? CheckOrder(startUtc, endUtc)
            ?? timing
            ?? CheckOverlap(startUtc, endUtc, others, except: current.Id);
    }

    /// <summary>Only an absence that has not begun can be deleted; a running one is ended now instead.</summary>
    public static AbsenceProblem? CheckDelete(AbsencePeriod current, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.IsPastAt(now) ? new AbsenceProblem(AbsenceProblemKind.AlreadyOver)
            : current.IsRunningAt(now) ? new AbsenceProblem(AbsenceProblemKind.RunningCannotBeDeleted)
            : null;
    }

    /// <summary>"Jetzt beenden": a running absence keeps its start and ends at <paramref name="now"/>.</summary>
    public static AbsenceProblem? CheckEndNow(AbsencePeriod current, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.IsRunningAt(now) ? null : new AbsenceProblem(AbsenceProblemKind.NotRunning);
    }

    /// <summary>The appointments (of any state the caller passes) that fall into the period.</summary>
    public static IReadOnlyList<T> Affected<T>(DateTime startUtc, DateTime endUtc, IEnumerable<T> items, Func<T, (DateTime Start, DateTime End)> period) =>
        items.Where(i =>
        {
            var (s, e) = period(i);
            return s < endUtc && startUtc < e;
        }).ToList();

    /// <summary>Plain text: no angle brackets, no control characters other than line breaks and tabs.</summary>
    public static bool IsPlainText(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return !note.Any(c => c is '<' or '>' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t')));
    }

    private static AbsenceProblem? CheckNote(string note) =>
        note.Length > Absence.MaxNoteLength ? new AbsenceProblem(AbsenceProblemKind.NoteTooLong)
        : !IsPlainText(note) ? new AbsenceProblem(AbsenceProblemKind.NoteNotPlainText)
        : null;

    private static AbsenceProblem? CheckOrder(DateTime startUtc, DateTime endUtc) =>
        endUtc <= startUtc ? new AbsenceProblem(AbsenceProblemKind.EndNotAfterStart) : null;

    private static AbsenceProblem? CheckOverlap(DateTime startUtc, DateTime endUtc, IEnumerable<AbsencePeriod> others, Guid? except)
    {
        var overlapping = others
            .Where(o => o.Id != except && o.Covers(startUtc, endUtc))
            .OrderBy(o => o.StartUtc)
            .FirstOrDefault();
        return overlapping is null ? null : new AbsenceProblem(AbsenceProblemKind.Overlap, overlapping);
    }
}
