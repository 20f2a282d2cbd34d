using Lotse.Domain.Absences;

namespace Lotse.Domain.Tests.Absences;

public sealed class AbsenceRulesTests
{
    private static readonly DateTime Now = Utc.Now;

    // ---- RunningAt ----

    [Fact]
    public void RunningAt_NoAbsences_Null() => Assert.Null(AbsenceRules.RunningAt([], Now));

    [Fact]
    public void RunningAt_OnlyPastAndFuture_Null()
    {
        var past = Utc.Absence(Now.AddDays(-2), Now.AddDays(-1));
        var future = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        Assert.Null(AbsenceRules.RunningAt([past, future], Now));
    }

    [Fact]
    public void RunningAt_OneRunningAmongOthers_ReturnsTheRunningOne()
    {
        var past = Utc.Absence(Now.AddDays(-2), Now.AddDays(-1));
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(1));
        var future = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        Assert.Same(running, AbsenceRules.RunningAt([future, past, running], Now));
    }

    [Fact]
    public void RunningAt_StartsExactlyNow_Running()
    {
        var starting = Utc.Absence(Now, Now.AddHours(1));

        Assert.Same(starting, AbsenceRules.RunningAt([starting], Now));
    }

    [Fact]
    public void RunningAt_EndsExactlyNow_NotRunning()
    {
        var ending = Utc.Absence(Now.AddHours(-1), Now);

        Assert.Null(AbsenceRules.RunningAt([ending], Now));
    }

    [Fact]
    public void RunningAt_BackToBackAtHandOver_ReturnsTheOneStarting()
    {
        var first = Utc.Absence(Now.AddHours(-1), Now);
        var second = Utc.Absence(Now, Now.AddHours(1));

        Assert.Same(second, AbsenceRules.RunningAt([first, second], Now));
    }

    // ---- Next ----

    [Fact]
    public void Next_NoAbsences_Null() => Assert.Null(AbsenceRules.Next([], Now));

    [Fact]
    public void Next_RunningAndFuture_ReturnsTheRunningOne()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(1));
        var future = Utc.Absence(Now.AddHours(2), Now.AddHours(3));

        Assert.Same(running, AbsenceRules.Next([future, running], Now));
    }

    [Fact]
    public void Next_SeveralFutureUnsorted_ReturnsTheSoonest()
    {
        var inAWeek = Utc.Absence(Now.AddDays(7), Now.AddDays(8));
        var tomorrow = Utc.Absence(Now.AddDays(1), Now.AddDays(2));
        var inAMonth = Utc.Absence(Now.AddDays(30), Now.AddDays(31));

        Assert.Same(tomorrow, AbsenceRules.Next([inAWeek, inAMonth, tomorrow], Now));
    }

    [Fact]
    public void Next_PastAndFuture_IgnoresThePast()
    {
        var past = Utc.Absence(Now.AddDays(-5), Now.AddDays(-4));
        var future = Utc.Absence(Now.AddDays(4), Now.AddDays(5));

        Assert.Same(future, AbsenceRules.Next([past, future], Now));
    }

    [Fact]
    public void Next_OnlyPast_Null()
    {
        var past = Utc.Absence(Now.AddDays(-5), Now.AddDays(-4));
        var ended = Utc.Absence(Now.AddHours(-1), Now);

        Assert.Null(AbsenceRules.Next([past, ended], Now));
    }

    [Fact]
    public void Next_EndedExactlyNowAndFuture_ReturnsTheFuture()
    {
        var ended = Utc.Absence(Now.AddHours(-1), Now);
        var future = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        Assert.Same(future, AbsenceRules.Next([ended, future], Now));
    }

    // ---- BlocksSlot ----

    [Fact]
    public void BlocksSlot_AbsenceEndsWhereSlotStarts_DoesNotBlock()
    {
        var absence = Utc.Absence(Utc.At(2026, 6, 1, 10), Utc.At(2026, 6, 1, 11));

        Assert.False(AbsenceRules.BlocksSlot([absence], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));
    }

    [Fact]
    public void BlocksSlot_AbsenceStartsWhereSlotEnds_DoesNotBlock()
    {
        var absence = Utc.Absence(Utc.At(2026, 6, 1, 12), Utc.At(2026, 6, 1, 13));

        Assert.False(AbsenceRules.BlocksSlot([absence], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));
    }

    [Fact]
    public void BlocksSlot_AbsenceOverlapsPartOfSlot_Blocks()
    {
        var absence = Utc.Absence(Utc.At(2026, 6, 1, 11, 30), Utc.At(2026, 6, 1, 15));

        Assert.True(AbsenceRules.BlocksSlot([absence], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));
    }

    [Fact]
    public void BlocksSlot_SlotInsideAbsence_Blocks()
    {
        var absence = Utc.Absence(Utc.At(2026, 6, 1, 0), Utc.At(2026, 6, 8, 0));

        Assert.True(AbsenceRules.BlocksSlot([absence], Utc.At(2026, 6, 3, 9), Utc.At(2026, 6, 3, 10)));
    }

    [Fact]
    public void BlocksSlot_AbsenceInsideSlot_Blocks()
    {
        var absence = Utc.Absence(Utc.At(2026, 6, 1, 11, 10), Utc.At(2026, 6, 1, 11, 20));

        Assert.True(AbsenceRules.BlocksSlot([absence], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));
    }

    [Fact]
    public void BlocksSlot_OnlySecondOfSeveralOverlaps_Blocks()
    {
        var before = Utc.Absence(Utc.At(2026, 6, 1, 8), Utc.At(2026, 6, 1, 9));
        var overlapping = Utc.Absence(Utc.At(2026, 6, 1, 11, 45), Utc.At(2026, 6, 1, 13));

        Assert.True(AbsenceRules.BlocksSlot([before, overlapping], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));
    }

    [Fact]
    public void BlocksSlot_NoAbsences_DoesNotBlock() =>
        Assert.False(AbsenceRules.BlocksSlot([], Utc.At(2026, 6, 1, 11), Utc.At(2026, 6, 1, 12)));

    // ---- NextChangeAfter ----

    [Fact]
    public void NextChangeAfter_NoAbsences_Null() => Assert.Null(AbsenceRules.NextChangeAfter([], Now));

    [Fact]
    public void NextChangeAfter_OnlyPast_Null()
    {
        var past = Utc.Absence(Now.AddDays(-2), Now.AddDays(-1));
        var ended = Utc.Absence(Now.AddHours(-1), Now);

        Assert.Null(AbsenceRules.NextChangeAfter([past, ended], Now));
    }

    [Fact]
    public void NextChangeAfter_Running_ItsEnd()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(4));

        Assert.Equal(running.EndUtc, AbsenceRules.NextChangeAfter([running], Now));
    }

    [Fact]
    public void NextChangeAfter_RunningPastAndFuture_EndOfTheRunningOne()
    {
        var past = Utc.Absence(Now.AddDays(-2), Now.AddDays(-1));
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(4));
        var future = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        Assert.Equal(running.EndUtc, AbsenceRules.NextChangeAfter([future, past, running], Now));
    }

    [Fact]
    public void NextChangeAfter_SeveralFutureUnsorted_StartOfTheSoonest()
    {
        var inAWeek = Utc.Absence(Now.AddDays(7), Now.AddDays(8));
        var inTwoHours = Utc.Absence(Now.AddHours(2), Now.AddHours(3));
        var tomorrow = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        Assert.Equal(inTwoHours.StartUtc, AbsenceRules.NextChangeAfter([inAWeek, tomorrow, inTwoHours], Now));
    }

    [Fact]
    public void NextChangeAfter_StartsExactlyNow_ItsEnd()
    {
        var starting = Utc.Absence(Now, Now.AddHours(2));
        var later = Utc.Absence(Now.AddHours(5), Now.AddHours(6));

        Assert.Equal(starting.EndUtc, AbsenceRules.NextChangeAfter([later, starting], Now));
    }

    [Fact]
    public void NextChangeAfter_EndedExactlyNow_StartOfTheNextOne()
    {
        var ended = Utc.Absence(Now.AddHours(-2), Now);
        var later = Utc.Absence(Now.AddHours(5), Now.AddHours(6));

        Assert.Equal(later.StartUtc, AbsenceRules.NextChangeAfter([ended, later], Now));
    }

    [Fact]
    public void NextChangeAfter_WalkingThroughSeveral_EachChangeInTurn()
    {
        var first = Utc.Absence(Now.AddHours(1), Now.AddHours(2));
        var second = Utc.Absence(Now.AddHours(5), Now.AddHours(7));
        AbsencePeriod[] absences = [second, first];

        var changes = new List<DateTime>();
        var at = Now;
        while (AbsenceRules.NextChangeAfter(absences, at) is { } next)
        {
            Assert.True(next > at);
            changes.Add(next);
            at = next;
        }

        Assert.Equal([first.StartUtc, first.EndUtc, second.StartUtc, second.EndUtc], changes);
    }

    // ---- Daylight saving in Europe/Berlin: absences are UTC, so their length is exact ----

    /// <summary>Sunday 2026-03-29 in Berlin: 00:00 CET = 23:00Z the day before; Monday 00:00 CEST = 22:00Z.</summary>
    private static readonly AbsencePeriod SpringForwardDay =
        Utc.Absence(Utc.At(2026, 3, 28, 23), Utc.At(2026, 3, 29, 22), "Sonntag der Zeitumstellung");

    /// <summary>Sunday 2026-10-25 in Berlin: 00:00 CEST = 22:00Z the day before; Monday 00:00 CET = 23:00Z.</summary>
    private static readonly AbsencePeriod FallBackDay =
        Utc.Absence(Utc.At(2026, 10, 24, 22), Utc.At(2026, 10, 25, 23), "Sonntag der Zeitumstellung");

    [Fact]
    public void DstDays_StoredInUtc_LocalMidnightToMidnightLastsTwentyThreeAndTwentyFiveHours()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal(new DateTime(2026, 3, 29, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(SpringForwardDay.StartUtc, berlin));
        Assert.Equal(new DateTime(2026, 3, 30, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(SpringForwardDay.EndUtc, berlin));
        Assert.Equal(TimeSpan.FromHours(23), SpringForwardDay.EndUtc - SpringForwardDay.StartUtc);

        Assert.Equal(new DateTime(2026, 10, 25, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(FallBackDay.StartUtc, berlin));
        Assert.Equal(new DateTime(2026, 10, 26, 0, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(FallBackDay.EndUtc, berlin));
        Assert.Equal(TimeSpan.FromHours(25), FallBackDay.EndUtc - FallBackDay.StartUtc);
    }

    [Fact]
    public void NextChangeAfter_SpanningSpringForward_ExactUtcEnd()
    {
        // 22½ hours into the 23-hour day: half an hour remains, whatever the clocks did at 02:00.
        var at = SpringForwardDay.StartUtc.AddHours(22.5);

        Assert.Same(SpringForwardDay, AbsenceRules.RunningAt([SpringForwardDay, FallBackDay], at));
        Assert.Equal(Utc.At(2026, 3, 29, 22), AbsenceRules.NextChangeAfter([FallBackDay, SpringForwardDay], at));
        Assert.Equal(TimeSpan.FromMinutes(30), AbsenceRules.NextChangeAfter([SpringForwardDay], at) - at);
    }

    [Fact]
    public void NextChangeAfter_BeforeBothDstAbsences_StartOfTheSpringOne()
    {
        var at = Utc.At(2026, 3, 1, 12);

        Assert.Equal(Utc.At(2026, 3, 28, 23), AbsenceRules.NextChangeAfter([FallBackDay, SpringForwardDay], at));
    }

    [Fact]
    public void NextChangeAfter_BetweenDstAbsences_StartOfTheAutumnOne()
    {
        var at = SpringForwardDay.EndUtc;

        Assert.Null(AbsenceRules.RunningAt([SpringForwardDay, FallBackDay], at));
        Assert.Equal(Utc.At(2026, 10, 24, 22), AbsenceRules.NextChangeAfter([FallBackDay, SpringForwardDay], at));
    }

    [Fact]
    public void NextChangeAfter_SpanningFallBack_ExactUtcEnd()
    {
        // 24 hours in, the Berlin clock says 23:00 again, but one hour of the 25-hour day remains.
        var at = FallBackDay.StartUtc.AddHours(24);

        Assert.Same(FallBackDay, AbsenceRules.RunningAt([SpringForwardDay, FallBackDay], at));
        Assert.Equal(Utc.At(2026, 10, 25, 23), AbsenceRules.NextChangeAfter([SpringForwardDay, FallBackDay], at));
        Assert.Equal(TimeSpan.FromHours(1), AbsenceRules.NextChangeAfter([FallBackDay], at) - at);
    }

    [Fact]
    public void BlocksSlot_SlotRightAfterDstAbsence_DoesNotBlock()
    {
        // The first hour of Monday 2026-03-30 in Berlin (00:00–01:00 CEST) is 22:00–23:00Z: free.
        // The last hour of the Sunday (23:00–24:00 CEST) is 21:00–22:00Z: blocked.
        Assert.False(AbsenceRules.BlocksSlot([SpringForwardDay], Utc.At(2026, 3, 29, 22), Utc.At(2026, 3, 29, 23)));
        Assert.True(AbsenceRules.BlocksSlot([SpringForwardDay], Utc.At(2026, 3, 29, 21), Utc.At(2026, 3, 29, 22)));
    }

    [Fact]
    public void NextChangeAfter_PeriodAcrossSpringSwitch_RemainingTimeExact()
    {
        // 2026-03-28T22:00Z..2026-03-29T22:00Z crosses the 01:00Z switch; the wall clock shifts, the length does not.
        var period = Utc.Absence(Utc.At(2026, 3, 28, 22), Utc.At(2026, 3, 29, 22));
        var justAfterSwitch = Utc.At(2026, 3, 29, 1);

        Assert.Same(period, AbsenceRules.RunningAt([period], justAfterSwitch));
        Assert.Equal(TimeSpan.FromHours(21), AbsenceRules.NextChangeAfter([period], justAfterSwitch) - justAfterSwitch);
    }
}
