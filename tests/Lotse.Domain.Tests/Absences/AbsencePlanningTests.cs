using Lotse.Domain.Absences;

namespace Lotse.Domain.Tests.Absences;

/// <summary>
/// The rules for entering, changing, ending and deleting absences, all decided against a fixed now
/// (<see cref="Utc.Now"/>, Wednesday 2026-05-13 10:00 UTC). Periods are half-open: [start, end).
/// </summary>
public sealed class AbsencePlanningTests
{
    private static readonly DateTime Now = Utc.Now;

    private static AbsencePeriod Past => Utc.Absence(Now.AddDays(-3), Now.AddDays(-1), "Fortbildung");

    private static AbsencePeriod Running => Utc.Absence(Now.AddDays(-1), Now.AddDays(2), "Krank");

    private static AbsencePeriod Future => Utc.Absence(Now.AddDays(5), Now.AddDays(10), "Urlaub");

    // ---- CheckNew: order of start and end ----

    [Fact]
    public void CheckNew_FutureFreePeriod_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), "Urlaub", [], Now));

    [Fact]
    public void CheckNew_EndEqualsStart_EndNotAfterStart()
    {
        var problem = AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(1), "", [], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.EndNotAfterStart), problem);
    }

    [Fact]
    public void CheckNew_EndBeforeStart_EndNotAfterStart()
    {
        var problem = AbsencePlanning.CheckNew(Now.AddDays(2), Now.AddDays(1), "", [], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.EndNotAfterStart), problem);
    }

    [Fact]
    public void CheckNew_OneTickLong_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(1).AddTicks(1), "", [], Now));

    [Fact]
    public void CheckNew_ReversedAndInThePast_EndNotAfterStartFirst()
    {
        var problem = AbsencePlanning.CheckNew(Now.AddDays(-1), Now.AddDays(-2), "", [], Now);

        Assert.Equal(AbsenceProblemKind.EndNotAfterStart, problem?.Kind);
    }

    // ---- CheckNew: the past ----

    [Fact]
    public void CheckNew_StartBeforeNow_StartsInPast()
    {
        var problem = AbsencePlanning.CheckNew(Now.AddMinutes(-1), Now.AddDays(1), "", [], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.StartsInPast), problem);
    }

    [Fact]
    public void CheckNew_StartOneTickBeforeNow_StartsInPast() =>
        Assert.Equal(AbsenceProblemKind.StartsInPast, AbsencePlanning.CheckNew(Now.AddTicks(-1), Now.AddDays(1), "", [], Now)?.Kind);

    [Fact]
    public void CheckNew_StartExactlyNow_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(Now, Now.AddHours(1), "", [], Now));

    [Fact]
    public void CheckNew_WhollyInThePast_StartsInPast() =>
        Assert.Equal(AbsenceProblemKind.StartsInPast, AbsencePlanning.CheckNew(Now.AddDays(-3), Now.AddDays(-2), "", [], Now)?.Kind);

    // ---- CheckNew: overlap ----

    [Fact]
    public void CheckNew_OverlapsAnother_OverlapNamingIt()
    {
        var other = Future;

        var problem = AbsencePlanning.CheckNew(other.StartUtc.AddDays(-1), other.StartUtc.AddHours(1), "", [other], Now);

        Assert.Equal(AbsenceProblemKind.Overlap, problem?.Kind);
        Assert.Same(other, problem?.Overlapping);
    }

    [Fact]
    public void CheckNew_InsideAnother_Overlap()
    {
        var other = Future;

        var problem = AbsencePlanning.CheckNew(other.StartUtc.AddDays(1), other.EndUtc.AddDays(-1), "", [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, other), problem);
    }

    [Fact]
    public void CheckNew_EnclosingAnother_Overlap()
    {
        var other = Future;

        var problem = AbsencePlanning.CheckNew(other.StartUtc.AddDays(-1), other.EndUtc.AddDays(1), "", [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, other), problem);
    }

    [Fact]
    public void CheckNew_SamePeriodAsAnother_Overlap()
    {
        var other = Future;

        var problem = AbsencePlanning.CheckNew(other.StartUtc, other.EndUtc, "", [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, other), problem);
    }

    [Fact]
    public void CheckNew_OverlapsARunningOne_Overlap()
    {
        var running = Running;

        var problem = AbsencePlanning.CheckNew(Now, Now.AddDays(1), "", [running], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, running), problem);
    }

    [Fact]
    public void CheckNew_OverlapsSeveral_TheEarliestNamed()
    {
        var first = Utc.Absence(Now.AddDays(2), Now.AddDays(3), "erste");
        var second = Utc.Absence(Now.AddDays(4), Now.AddDays(5), "zweite");
        var third = Utc.Absence(Now.AddDays(6), Now.AddDays(7), "dritte");

        var problem = AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(8), "", [third, second, first], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, first), problem);
    }

    [Fact]
    public void CheckNew_OverlapsOneOfSeveral_ThatOneNamed()
    {
        var before = Utc.Absence(Now.AddDays(1), Now.AddDays(2));
        var hit = Utc.Absence(Now.AddDays(4), Now.AddDays(5));
        var after = Utc.Absence(Now.AddDays(7), Now.AddDays(8));

        var problem = AbsencePlanning.CheckNew(Now.AddDays(3), Now.AddDays(4).AddTicks(1), "", [after, hit, before], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, hit), problem);
    }

    [Fact]
    public void CheckNew_StartsExactlyWhenAnotherEnds_NoProblem()
    {
        var other = Future;

        Assert.Null(AbsencePlanning.CheckNew(other.EndUtc, other.EndUtc.AddDays(1), "", [other], Now));
    }

    [Fact]
    public void CheckNew_EndsExactlyWhenAnotherStarts_NoProblem()
    {
        var other = Future;

        Assert.Null(AbsencePlanning.CheckNew(other.StartUtc.AddDays(-1), other.StartUtc, "", [other], Now));
    }

    [Fact]
    public void CheckNew_BetweenTwoTouchingBoth_NoProblem()
    {
        var before = Utc.Absence(Now.AddDays(1), Now.AddDays(2));
        var after = Utc.Absence(Now.AddDays(3), Now.AddDays(4));

        Assert.Null(AbsencePlanning.CheckNew(before.EndUtc, after.StartUtc, "", [before, after], Now));
    }

    [Fact]
    public void CheckNew_OneTickIntoAnother_Overlap()
    {
        var other = Future;

        var problem = AbsencePlanning.CheckNew(other.StartUtc.AddDays(-1), other.StartUtc.AddTicks(1), "", [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, other), problem);
    }

    [Fact]
    public void CheckNew_OnlyPastOthersElsewhere_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), "", [Past], Now));

    // ---- CheckNew: the note ----

    [Fact]
    public void CheckNew_EmptyNote_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), "", [], Now));

    [Fact]
    public void CheckNew_NoteOfMaxLength_NoProblem()
    {
        var note = new string('a', Absence.MaxNoteLength);

        Assert.Equal(500, note.Length);
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), note, [], Now));
    }

    [Fact]
    public void CheckNew_NoteOneOverMaxLength_NoteTooLong()
    {
        var problem = AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), new string('a', 501), [], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NoteTooLong), problem);
    }

    [Fact]
    public void CheckNew_NoteOfTenThousandCharacters_NoteTooLong() =>
        Assert.Equal(AbsenceProblemKind.NoteTooLong, AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), new string('x', 10_000), [], Now)?.Kind);

    [Theory]
    [InlineData("<b>zurück</b> am Montag")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Ab 3 Uhr < 5 Uhr")]
    [InlineData("Pfeil -> Vertretung")]
    [InlineData("Glocke \u0007")]
    [InlineData("Null \0 Zeichen")]
    [InlineData("Escape \u001b[31m")]
    [InlineData("Entf \u007f")]
    [InlineData("C1 \u0085 Steuerzeichen")]
    public void CheckNew_NoteWithMarkupOrControlCharacter_NoteNotPlainText(string note)
    {
        var problem = AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), note, [], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NoteNotPlainText), problem);
    }

    [Theory]
    [InlineData("Zurück am Montag.\nVertretung: Herr Yilmaz")]
    [InlineData("Zeile eins\r\nZeile zwei")]
    [InlineData("Spalte\tSpalte")]
    [InlineData("Umlaute äöüß, Anführungszeichen „so“ & 'so', Emoji 🌴")]
    public void CheckNew_PlainNoteWithLineBreaksTabsAndUnicode_NoProblem(string note) =>
        Assert.Null(AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), note, [], Now));

    [Fact]
    public void CheckNew_NullNote_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), null!, [], Now));

    // ---- CheckNew: which problem comes first ----

    [Fact]
    public void CheckNew_LongNoteAndReversedPastOverlappingPeriod_NoteTooLongFirst()
    {
        var other = Utc.Absence(Now.AddDays(-5), Now.AddDays(5));

        var problem = AbsencePlanning.CheckNew(Now.AddDays(-1), Now.AddDays(-2), new string('a', 501), [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NoteTooLong), problem);
    }

    [Fact]
    public void CheckNew_MarkupNoteAndPastOverlappingPeriod_NoteNotPlainTextFirst()
    {
        var other = Utc.Absence(Now.AddDays(-5), Now.AddDays(5));

        var problem = AbsencePlanning.CheckNew(Now.AddDays(-1), Now.AddDays(1), "<i>weg</i>", [other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NoteNotPlainText), problem);
    }

    [Fact]
    public void CheckNew_LongNoteWithMarkup_NoteTooLongFirst()
    {
        var note = "<b>" + new string('a', 500) + "</b>";

        Assert.Equal(AbsenceProblemKind.NoteTooLong, AbsencePlanning.CheckNew(Now.AddDays(1), Now.AddDays(2), note, [], Now)?.Kind);
    }

    [Fact]
    public void CheckNew_PastAndOverlapping_StartsInPastBeforeOverlap()
    {
        var other = Utc.Absence(Now.AddDays(-5), Now.AddDays(5));

        Assert.Equal(AbsenceProblemKind.StartsInPast, AbsencePlanning.CheckNew(Now.AddDays(-1), Now.AddDays(1), "", [other], Now)?.Kind);
    }

    // ---- CheckNew: daylight saving in Europe/Berlin ----

    /// <summary>Sunday 2027-03-28 in Berlin, local midnight to midnight: 00:00 CET = 23:00Z before; Monday 00:00 CEST = 22:00Z.</summary>
    private static readonly DateTime SpringStart = Utc.At(2027, 3, 27, 23);
    private static readonly DateTime SpringEnd = Utc.At(2027, 3, 28, 22);

    /// <summary>Sunday 2027-10-31 in Berlin, local midnight to midnight: 00:00 CEST = 22:00Z before; Monday 00:00 CET = 23:00Z.</summary>
    private static readonly DateTime AutumnStart = Utc.At(2027, 10, 30, 22);
    private static readonly DateTime AutumnEnd = Utc.At(2027, 10, 31, 23);

    [Fact]
    public void DstDays2027_LocalMidnightToMidnight_TwentyThreeAndTwentyFiveHoursInUtc()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal(new DateTime(2027, 3, 28, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(SpringStart, berlin));
        Assert.Equal(new DateTime(2027, 3, 29, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(SpringEnd, berlin));
        Assert.Equal(TimeSpan.FromHours(23), SpringEnd - SpringStart);

        Assert.Equal(new DateTime(2027, 10, 31, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(AutumnStart, berlin));
        Assert.Equal(new DateTime(2027, 11, 1, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(AutumnEnd, berlin));
        Assert.Equal(TimeSpan.FromHours(25), AutumnEnd - AutumnStart);
    }

    [Fact]
    public void CheckNew_SpringForwardDay_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(SpringStart, SpringEnd, "Zeitumstellung", [], Now));

    [Fact]
    public void CheckNew_FallBackDay_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckNew(AutumnStart, AutumnEnd, "Zeitumstellung", [], Now));

    [Fact]
    public void CheckNew_DayAfterSpringForwardDay_TouchesAtUtcMidnightNoProblem()
    {
        var spring = Utc.Absence(SpringStart, SpringEnd);

        // Monday 00:00 CEST is 22:00Z; a day that starts there only touches the Sunday.
        Assert.Null(AbsencePlanning.CheckNew(SpringEnd, SpringEnd.AddDays(1), "", [spring], Now));
    }

    [Fact]
    public void CheckNew_LastHourOfSpringForwardDay_Overlap()
    {
        var spring = Utc.Absence(SpringStart, SpringEnd);

        // Sunday 23:00 CEST = 21:00Z lies inside the 23-hour Sunday.
        var problem = AbsencePlanning.CheckNew(Utc.At(2027, 3, 28, 21), Utc.At(2027, 3, 29, 8), "", [spring], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, spring), problem);
    }

    [Fact]
    public void CheckNew_ExtraHourOfFallBackDay_Overlap()
    {
        var autumn = Utc.Absence(AutumnStart, AutumnEnd);

        // The repeated 02:00-03:00 in Berlin: first 00:00Z-01:00Z (CEST), then 01:00Z-02:00Z (CET).
        var problem = AbsencePlanning.CheckNew(Utc.At(2027, 10, 31, 1), Utc.At(2027, 10, 31, 2), "", [autumn], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, autumn), problem);
    }

    [Fact]
    public void CheckNew_LastHourOfFallBackDay_Overlap()
    {
        var autumn = Utc.Absence(AutumnStart, AutumnEnd);

        // Sunday 23:00 CET = 22:00Z, the 25th hour of the day.
        var problem = AbsencePlanning.CheckNew(Utc.At(2027, 10, 31, 22), Utc.At(2027, 11, 1, 8), "", [autumn], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, autumn), problem);
    }

    [Fact]
    public void CheckNew_DayBeforeFallBackDay_TouchesNoProblem()
    {
        var autumn = Utc.Absence(AutumnStart, AutumnEnd);

        // Saturday 00:00 CEST = Friday 22:00Z up to Sunday 00:00 CEST = Saturday 22:00Z.
        Assert.Null(AbsencePlanning.CheckNew(Utc.At(2027, 10, 29, 22), AutumnStart, "", [autumn], Now));
    }

    [Fact]
    public void CheckNew_DayAfterFallBackDay_TouchesNoProblem()
    {
        var autumn = Utc.Absence(AutumnStart, AutumnEnd);

        Assert.Null(AbsencePlanning.CheckNew(AutumnEnd, AutumnEnd.AddDays(1), "", [autumn], Now));
    }

    // ---- CheckChange: a past absence ----

    [Fact]
    public void CheckChange_PastAbsenceUnchanged_AlreadyOver()
    {
        var past = Past;

        var problem = AbsencePlanning.CheckChange(past, past.StartUtc, past.EndUtc, past.Note, [past], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.AlreadyOver), problem);
    }

    [Fact]
    public void CheckChange_PastAbsenceMovedToTheFuture_AlreadyOver()
    {
        var past = Past;

        Assert.Equal(AbsenceProblemKind.AlreadyOver, AbsencePlanning.CheckChange(past, Now.AddDays(1), Now.AddDays(2), "", [past], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_PastAbsenceWithBadNoteAndReversedPeriod_AlreadyOver()
    {
        var past = Past;

        var problem = AbsencePlanning.CheckChange(past, past.EndUtc, past.StartUtc, "<b>" + new string('a', 600), [past], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.AlreadyOver), problem);
    }

    [Fact]
    public void CheckChange_AbsenceEndingExactlyNow_AlreadyOver()
    {
        var justEnded = Utc.Absence(Now.AddHours(-2), Now);

        Assert.Equal(AbsenceProblemKind.AlreadyOver, AbsencePlanning.CheckChange(justEnded, justEnded.StartUtc, Now.AddHours(1), "", [justEnded], Now)?.Kind);
    }

    // ---- CheckChange: a running absence ----

    [Fact]
    public void CheckChange_RunningStartMovedEarlier_PastPartChanged()
    {
        var running = Running;

        var problem = AbsencePlanning.CheckChange(running, running.StartUtc.AddHours(-1), running.EndUtc, running.Note, [running], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.PastPartChanged), problem);
    }

    [Fact]
    public void CheckChange_RunningStartMovedLaterIntoThePast_PastPartChanged()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.PastPartChanged, AbsencePlanning.CheckChange(running, running.StartUtc.AddHours(1), running.EndUtc, "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningStartMovedToNow_PastPartChanged()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.PastPartChanged, AbsencePlanning.CheckChange(running, Now, running.EndUtc, "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningStartMovedIntoTheFuture_PastPartChanged()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.PastPartChanged, AbsencePlanning.CheckChange(running, Now.AddDays(1), running.EndUtc.AddDays(1), "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningStartMovedByOneTick_PastPartChanged()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.PastPartChanged, AbsencePlanning.CheckChange(running, running.StartUtc.AddTicks(1), running.EndUtc, "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningShortenedKeepingStart_NoProblem()
    {
        var running = Running;

        Assert.Null(AbsencePlanning.CheckChange(running, running.StartUtc, Now.AddHours(3), running.Note, [running], Now));
    }

    [Fact]
    public void CheckChange_RunningShortenedToExactlyNow_NoProblem()
    {
        var running = Running;

        Assert.Null(AbsencePlanning.CheckChange(running, running.StartUtc, Now, running.Note, [running], Now));
    }

    [Fact]
    public void CheckChange_RunningExtended_NoProblem()
    {
        var running = Running;

        Assert.Null(AbsencePlanning.CheckChange(running, running.StartUtc, running.EndUtc.AddDays(7), running.Note, [running], Now));
    }

    [Fact]
    public void CheckChange_RunningOnlyNoteChanged_NoProblem()
    {
        var running = Running;

        Assert.Null(AbsencePlanning.CheckChange(running, running.StartUtc, running.EndUtc, "Länger krank", [running], Now));
    }

    [Fact]
    public void CheckChange_RunningEndBeforeNow_EndsInPast()
    {
        var running = Running;

        var problem = AbsencePlanning.CheckChange(running, running.StartUtc, Now.AddMinutes(-1), running.Note, [running], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.EndsInPast), problem);
    }

    [Fact]
    public void CheckChange_RunningEndOneTickBeforeNow_EndsInPast()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.EndsInPast, AbsencePlanning.CheckChange(running, running.StartUtc, Now.AddTicks(-1), "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningEndAtItsStart_EndNotAfterStart()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.EndNotAfterStart, AbsencePlanning.CheckChange(running, running.StartUtc, running.StartUtc, "", [running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningStartingExactlyNow_IsRunningSoStartCannotMove()
    {
        var starting = Utc.Absence(Now, Now.AddDays(1));

        Assert.Equal(AbsenceProblemKind.PastPartChanged, AbsencePlanning.CheckChange(starting, Now.AddHours(1), starting.EndUtc, "", [starting], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_RunningExtendedIntoAnother_Overlap()
    {
        var running = Running;
        var next = Future;

        var problem = AbsencePlanning.CheckChange(running, running.StartUtc, next.StartUtc.AddHours(1), "", [running, next], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, next), problem);
    }

    [Fact]
    public void CheckChange_RunningExtendedUpToAnother_NoProblem()
    {
        var running = Running;
        var next = Future;

        Assert.Null(AbsencePlanning.CheckChange(running, running.StartUtc, next.StartUtc, "", [running, next], Now));
    }

    [Fact]
    public void CheckChange_RunningWithMarkupNoteAndMovedStart_NoteNotPlainTextFirst()
    {
        var running = Running;

        Assert.Equal(AbsenceProblemKind.NoteNotPlainText, AbsencePlanning.CheckChange(running, running.StartUtc.AddHours(-1), running.EndUtc, "a > b", [running], Now)?.Kind);
    }

    // ---- CheckChange: a future absence ----

    [Fact]
    public void CheckChange_FutureMovedElsewhereInTheFuture_NoProblem()
    {
        var future = Future;

        Assert.Null(AbsencePlanning.CheckChange(future, Now.AddDays(20), Now.AddDays(25), "Später", [future], Now));
    }

    [Fact]
    public void CheckChange_FutureMovedToStartNow_NoProblem()
    {
        var future = Future;

        Assert.Null(AbsencePlanning.CheckChange(future, Now, future.EndUtc, future.Note, [future], Now));
    }

    [Fact]
    public void CheckChange_FutureMovedIntoThePast_StartsInPast()
    {
        var future = Future;

        var problem = AbsencePlanning.CheckChange(future, Now.AddDays(-1), future.EndUtc, future.Note, [future], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.StartsInPast), problem);
    }

    [Fact]
    public void CheckChange_FutureStartOneTickBeforeNow_StartsInPast()
    {
        var future = Future;

        Assert.Equal(AbsenceProblemKind.StartsInPast, AbsencePlanning.CheckChange(future, Now.AddTicks(-1), future.EndUtc, "", [future], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_FutureReversed_EndNotAfterStart()
    {
        var future = Future;

        Assert.Equal(AbsenceProblemKind.EndNotAfterStart, AbsencePlanning.CheckChange(future, future.EndUtc, future.StartUtc, "", [future], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_FutureNoteTooLong_NoteTooLong()
    {
        var future = Future;

        Assert.Equal(AbsenceProblemKind.NoteTooLong, AbsencePlanning.CheckChange(future, future.StartUtc, future.EndUtc, new string('a', 501), [future], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_FutureNoteOfMaxLength_NoProblem()
    {
        var future = Future;

        Assert.Null(AbsencePlanning.CheckChange(future, future.StartUtc, future.EndUtc, new string('a', 500), [future], Now));
    }

    [Fact]
    public void CheckChange_FutureNoteWithControlCharacter_NoteNotPlainText()
    {
        var future = Future;

        Assert.Equal(AbsenceProblemKind.NoteNotPlainText, AbsencePlanning.CheckChange(future, future.StartUtc, future.EndUtc, "Ton \u0007", [future], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_FutureOverlappingOnlyItsOwnOldPeriod_NoProblem()
    {
        var future = Future;

        Assert.Null(AbsencePlanning.CheckChange(future, future.StartUtc.AddDays(-1), future.EndUtc.AddDays(-1), "", [future], Now));
    }

    [Fact]
    public void CheckChange_OtherWithSameTimesButOtherId_Overlap()
    {
        var future = Future;
        var twin = Utc.Absence(future.StartUtc, future.EndUtc, future.Note);

        var problem = AbsencePlanning.CheckChange(future, future.StartUtc, future.EndUtc, future.Note, [future, twin], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, twin), problem);
    }

    [Fact]
    public void CheckChange_FutureMovedOntoAnother_OverlapNamingTheOther()
    {
        var future = Future;
        var other = Utc.Absence(Now.AddDays(20), Now.AddDays(22), "Kur");

        var problem = AbsencePlanning.CheckChange(future, Now.AddDays(19), Now.AddDays(21), "", [future, other], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, other), problem);
    }

    [Fact]
    public void CheckChange_FutureOverlappingSeveral_TheEarliestNamed()
    {
        var future = Future;
        var early = Utc.Absence(Now.AddDays(20), Now.AddDays(21));
        var late = Utc.Absence(Now.AddDays(23), Now.AddDays(24));

        var problem = AbsencePlanning.CheckChange(future, Now.AddDays(19), Now.AddDays(30), "", [late, future, early], Now);

        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.Overlap, early), problem);
    }

    [Fact]
    public void CheckChange_FutureTouchingAnotherAtBothEdges_NoProblem()
    {
        var future = Future;
        var before = Utc.Absence(Now.AddDays(20), Now.AddDays(21));
        var after = Utc.Absence(Now.AddDays(23), Now.AddDays(24));

        Assert.Null(AbsencePlanning.CheckChange(future, before.EndUtc, after.StartUtc, "", [before, future, after], Now));
    }

    [Fact]
    public void CheckChange_FutureIntoThePastAndOverlapping_StartsInPastFirst()
    {
        var future = Future;
        var running = Running;

        Assert.Equal(AbsenceProblemKind.StartsInPast, AbsencePlanning.CheckChange(future, Now.AddHours(-1), Now.AddHours(1), "", [future, running], Now)?.Kind);
    }

    [Fact]
    public void CheckChange_NullCurrent_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AbsencePlanning.CheckChange(null!, Now.AddDays(1), Now.AddDays(2), "", [], Now));

    [Fact]
    public void CheckChange_NullNote_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AbsencePlanning.CheckChange(Future, Now.AddDays(1), Now.AddDays(2), null!, [], Now));

    // ---- CheckDelete ----

    [Fact]
    public void CheckDelete_Future_NoProblem() => Assert.Null(AbsencePlanning.CheckDelete(Future, Now));

    [Fact]
    public void CheckDelete_StartsOneTickAfterNow_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckDelete(Utc.Absence(Now.AddTicks(1), Now.AddDays(1)), Now));

    [Fact]
    public void CheckDelete_Running_RunningCannotBeDeleted() =>
        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.RunningCannotBeDeleted), AbsencePlanning.CheckDelete(Running, Now));

    [Fact]
    public void CheckDelete_StartsExactlyNow_RunningCannotBeDeleted() =>
        Assert.Equal(AbsenceProblemKind.RunningCannotBeDeleted, AbsencePlanning.CheckDelete(Utc.Absence(Now, Now.AddDays(1)), Now)?.Kind);

    [Fact]
    public void CheckDelete_Past_AlreadyOver() =>
        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.AlreadyOver), AbsencePlanning.CheckDelete(Past, Now));

    [Fact]
    public void CheckDelete_EndsExactlyNow_AlreadyOver() =>
        Assert.Equal(AbsenceProblemKind.AlreadyOver, AbsencePlanning.CheckDelete(Utc.Absence(Now.AddDays(-1), Now), Now)?.Kind);

    [Fact]
    public void CheckDelete_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AbsencePlanning.CheckDelete(null!, Now));

    // ---- CheckEndNow ----

    [Fact]
    public void CheckEndNow_Running_NoProblem() => Assert.Null(AbsencePlanning.CheckEndNow(Running, Now));

    [Fact]
    public void CheckEndNow_EndsOneTickAfterNow_NoProblem() =>
        Assert.Null(AbsencePlanning.CheckEndNow(Utc.Absence(Now.AddDays(-1), Now.AddTicks(1)), Now));

    [Fact]
    public void CheckEndNow_Future_NotRunning() =>
        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NotRunning), AbsencePlanning.CheckEndNow(Future, Now));

    [Fact]
    public void CheckEndNow_Past_NotRunning() =>
        Assert.Equal(new AbsenceProblem(AbsenceProblemKind.NotRunning), AbsencePlanning.CheckEndNow(Past, Now));

    [Fact]
    public void CheckEndNow_EndsExactlyNow_NotRunning() =>
        Assert.Equal(AbsenceProblemKind.NotRunning, AbsencePlanning.CheckEndNow(Utc.Absence(Now.AddDays(-1), Now), Now)?.Kind);

    [Fact]
    public void CheckEndNow_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => AbsencePlanning.CheckEndNow(null!, Now));

    /// <summary>
    /// Documents a gap: an absence that starts exactly now counts as running, so "end now" is allowed,
    /// but ending it at now would make it zero-length, which <see cref="Absence.Reschedule"/> refuses.
    /// </summary>
    [Fact]
    public void CheckEndNow_StartsExactlyNow_AllowedButRescheduleToNowThrows()
    {
        var absence = new Absence(Guid.NewGuid(), Guid.NewGuid(), Now, Now.AddDays(1), "", "Admin", Now.AddDays(-1));

        Assert.Null(AbsencePlanning.CheckEndNow(absence.ToPeriod(), Now));
        Assert.Throws<ArgumentException>(() => absence.Reschedule(absence.StartUtc, Now, absence.Note));
    }

    // ---- Affected ----

    private sealed record Appointment(string Name, DateTime Start, DateTime End);

    private static (DateTime Start, DateTime End) Span(Appointment a) => (a.Start, a.End);

    private static readonly DateTime From = Utc.At(2026, 6, 1, 8);
    private static readonly DateTime To = Utc.At(2026, 6, 1, 18);

    [Fact]
    public void Affected_NoItems_Empty() =>
        Assert.Empty(AbsencePlanning.Affected(From, To, Array.Empty<Appointment>(), Span));

    [Fact]
    public void Affected_ItemsInsideAndOverlappingEitherEdge_AllReturnedInOrder()
    {
        var overStart = new Appointment("über den Anfang", From.AddMinutes(-30), From.AddMinutes(30));
        var inside = new Appointment("mittendrin", From.AddHours(2), From.AddHours(3));
        var overEnd = new Appointment("über das Ende", To.AddMinutes(-30), To.AddMinutes(30));
        var enclosing = new Appointment("umschließend", From.AddHours(-1), To.AddHours(1));

        var affected = AbsencePlanning.Affected(From, To, [overEnd, inside, enclosing, overStart], Span);

        Assert.Equal([overEnd, inside, enclosing, overStart], affected);
    }

    [Fact]
    public void Affected_ItemsTouchingEitherEdge_NotReturned()
    {
        var endsAtStart = new Appointment("endet zu Beginn", From.AddHours(-1), From);
        var startsAtEnd = new Appointment("beginnt am Ende", To, To.AddHours(1));

        Assert.Empty(AbsencePlanning.Affected(From, To, [endsAtStart, startsAtEnd], Span));
    }

    [Fact]
    public void Affected_ItemsWhollyBeforeOrAfter_NotReturned()
    {
        var before = new Appointment("vorher", From.AddDays(-1), From.AddDays(-1).AddHours(1));
        var after = new Appointment("nachher", To.AddDays(1), To.AddDays(1).AddHours(1));

        Assert.Empty(AbsencePlanning.Affected(From, To, [before, after], Span));
    }

    [Fact]
    public void Affected_OneTickIntoEitherEdge_Returned()
    {
        var intoStart = new Appointment("einen Tick hinein", From.AddHours(-1), From.AddTicks(1));
        var intoEnd = new Appointment("einen Tick vor Ende", To.AddTicks(-1), To.AddHours(1));

        Assert.Equal([intoStart, intoEnd], AbsencePlanning.Affected(From, To, [intoStart, intoEnd], Span));
    }

    [Fact]
    public void Affected_MixedItems_OnlyOverlappingOnesInTheirOriginalOrder()
    {
        var a = new Appointment("a", From.AddHours(5), From.AddHours(6));
        var touching = new Appointment("berührt", To, To.AddHours(1));
        var b = new Appointment("b", From.AddHours(1), From.AddHours(2));
        var before = new Appointment("vorher", From.AddHours(-3), From.AddHours(-2));
        var c = new Appointment("c", From, From.AddHours(1));

        var affected = AbsencePlanning.Affected(From, To, [a, touching, b, before, c], Span);

        Assert.Equal([a, b, c], affected);
    }

    [Fact]
    public void Affected_AcrossFallBackDay_WorksInUtc()
    {
        // 02:30 Berlin happens twice on 2027-10-31; both are in the 25-hour Sunday.
        var firstHalfPastTwo = new Appointment("02:30 CEST", Utc.At(2027, 10, 31, 0, 30), Utc.At(2027, 10, 31, 1));
        var secondHalfPastTwo = new Appointment("02:30 CET", Utc.At(2027, 10, 31, 1, 30), Utc.At(2027, 10, 31, 2));
        var mondayMorning = new Appointment("Montag 09:00 CET", Utc.At(2027, 11, 1, 8), Utc.At(2027, 11, 1, 9));

        var affected = AbsencePlanning.Affected(AutumnStart, AutumnEnd, [firstHalfPastTwo, mondayMorning, secondHalfPastTwo], Span);

        Assert.Equal([firstHalfPastTwo, secondHalfPastTwo], affected);
    }

    // ---- IsPlainText ----

    [Theory]
    [InlineData("")]
    [InlineData("Bin im Urlaub.")]
    [InlineData("Zeile\nZeile")]
    [InlineData("Zeile\r\nZeile")]
    [InlineData("Zeile\rZeile")]
    [InlineData("a\tb")]
    [InlineData("äöüß € „“ 🌴 & \" '")]
    [InlineData("&lt;b&gt;")]
    public void IsPlainText_TextLineBreaksAndTabs_True(string note) => Assert.True(AbsencePlanning.IsPlainText(note));

    [Theory]
    [InlineData("<")]
    [InlineData(">")]
    [InlineData("<p>Hallo</p>")]
    [InlineData("a < b")]
    [InlineData("\u0007")]
    [InlineData("\0")]
    [InlineData("\u000b")]
    [InlineData("\u000c")]
    [InlineData("\u001b")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    public void IsPlainText_AngleBracketsOrControlCharacters_False(string note) => Assert.False(AbsencePlanning.IsPlainText(note));

    [Fact]
    public void IsPlainText_Null_Throws() => Assert.Throws<ArgumentNullException>(() => AbsencePlanning.IsPlainText(null!));

    // ---- Absence: constructor and Reschedule ----

    private static Absence NewAbsence(string note = "Urlaub") =>
        new(Guid.NewGuid(), Guid.NewGuid(), Now.AddDays(1), Now.AddDays(3), note, "Frau Berger", Now);

    [Fact]
    public void AbsenceConstructor_NoteOfMaxLength_Kept()
    {
        var note = new string('a', Absence.MaxNoteLength);

        Assert.Equal(note, NewAbsence(note).Note);
    }

    [Fact]
    public void AbsenceConstructor_NoteOneOverMaxLength_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => NewAbsence(new string('a', 501)));

        Assert.Equal("note", ex.ParamName);
    }

    [Fact]
    public void AbsenceConstructor_NullNote_Throws() =>
        Assert.Throws<ArgumentNullException>(() => NewAbsence(null!));

    [Fact]
    public void AbsenceConstructor_EndEqualsStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Absence(Guid.NewGuid(), Guid.NewGuid(), Now, Now, "", "Admin", Now));

        Assert.Equal("endUtc", ex.ParamName);
    }

    [Fact]
    public void AbsenceConstructor_EndBeforeStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Absence(Guid.NewGuid(), Guid.NewGuid(), Now, Now.AddHours(-1), "", "Admin", Now));

        Assert.Equal("endUtc", ex.ParamName);
    }

    [Fact]
    public void Reschedule_ValidPeriodAndNote_ChangesPeriodAndNoteOnly()
    {
        var absence = NewAbsence();
        var id = absence.Id;
        var counsellorId = absence.CounsellorId;
        var createdAt = absence.CreatedAtUtc;

        absence.Reschedule(Now.AddDays(5), Now.AddDays(6), "Doch später");

        Assert.Equal(Now.AddDays(5), absence.StartUtc);
        Assert.Equal(Now.AddDays(6), absence.EndUtc);
        Assert.Equal("Doch später", absence.Note);
        Assert.Equal(id, absence.Id);
        Assert.Equal(counsellorId, absence.CounsellorId);
        Assert.Equal("Frau Berger", absence.CreatedBy);
        Assert.Equal(createdAt, absence.CreatedAtUtc);
        Assert.Equal(new AbsencePeriod(id, Now.AddDays(5), Now.AddDays(6), "Doch später"), absence.ToPeriod());
    }

    [Fact]
    public void Reschedule_NoteOfMaxLength_Accepted()
    {
        var absence = NewAbsence();
        var note = new string('b', Absence.MaxNoteLength);

        absence.Reschedule(absence.StartUtc, absence.EndUtc, note);

        Assert.Equal(note, absence.Note);
    }

    [Fact]
    public void Reschedule_EndEqualsStart_ThrowsAndKeepsEverything()
    {
        var absence = NewAbsence();
        var before = absence.ToPeriod();

        var ex = Assert.Throws<ArgumentException>(() => absence.Reschedule(Now.AddDays(5), Now.AddDays(5), "neu"));

        Assert.Equal("endUtc", ex.ParamName);
        Assert.Equal(before, absence.ToPeriod());
    }

    [Fact]
    public void Reschedule_EndBeforeStart_ThrowsAndKeepsEverything()
    {
        var absence = NewAbsence();
        var before = absence.ToPeriod();

        var ex = Assert.Throws<ArgumentException>(() => absence.Reschedule(Now.AddDays(6), Now.AddDays(5), "neu"));

        Assert.Equal("endUtc", ex.ParamName);
        Assert.Equal(before, absence.ToPeriod());
    }

    [Fact]
    public void Reschedule_NoteOneOverMaxLength_ThrowsAndKeepsEverything()
    {
        var absence = NewAbsence();
        var before = absence.ToPeriod();

        var ex = Assert.Throws<ArgumentException>(() => absence.Reschedule(Now.AddDays(5), Now.AddDays(6), new string('a', 501)));

        Assert.Equal("note", ex.ParamName);
        Assert.Equal(before, absence.ToPeriod());
    }

    [Fact]
    public void Reschedule_NullNote_ThrowsAndKeepsEverything()
    {
        var absence = NewAbsence();
        var before = absence.ToPeriod();

        Assert.Throws<ArgumentNullException>(() => absence.Reschedule(Now.AddDays(5), Now.AddDays(6), null!));

        Assert.Equal(before, absence.ToPeriod());
    }

    [Fact]
    public void Reschedule_EndNowOfRunningAbsence_EndsAtNowKeepingStartAndNote()
    {
        var absence = new Absence(Guid.NewGuid(), Guid.NewGuid(), Now.AddDays(-1), Now.AddDays(1), "Krank", "Frau Berger", Now.AddDays(-2));

        Assert.Null(AbsencePlanning.CheckEndNow(absence.ToPeriod(), Now));
        absence.Reschedule(absence.StartUtc, Now, absence.Note);

        Assert.Equal(Now.AddDays(-1), absence.StartUtc);
        Assert.Equal(Now, absence.EndUtc);
        Assert.Equal("Krank", absence.Note);
        Assert.True(absence.ToPeriod().IsPastAt(Now));
    }
}
