using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;

namespace Lotse.Domain.Tests.Accounts;

/// <summary>The running absence and the "valid until" instant that pages use to refresh themselves.</summary>
public sealed class AvailabilityTests
{
    private static readonly DateTime Now = Utc.Now;

    private static readonly AccountStatus OpenAndOnline =
        new(RegularClientsOnly: false, ChatMode.Online, MailMode.Unlimited, MailCapacity: 10);

    [Fact]
    public void For_NoAbsences_NoAbsenceAndNoValidUntil()
    {
        var result = Availability.For(OpenAndOnline, isRegularClient: false, [], Now);

        Assert.Null(result.Absence);
        Assert.Null(result.ValidUntil);
        Assert.True(result.CanChat);
        Assert.True(result.ShownOnline);
    }

    [Fact]
    public void For_RunningAbsence_AbsenceIsTheRunningOneWithItsNote()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(5), "Bin auf Fortbildung");
        var future = Utc.Absence(Now.AddDays(2), Now.AddDays(3), "Urlaub");

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [future, running], Now);

        Assert.Same(running, result.Absence);
        Assert.Equal("Bin auf Fortbildung", result.Absence!.Note);
    }

    [Fact]
    public void For_RunningAbsence_ValidUntilIsItsEnd()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(5));
        var future = Utc.Absence(Now.AddDays(2), Now.AddDays(3));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [future, running], Now);

        Assert.Equal(running.EndUtc, result.ValidUntil);
    }

    [Fact]
    public void For_OnlyFutureAbsences_ValidUntilIsStartOfTheSoonest()
    {
        var later = Utc.Absence(Now.AddDays(10), Now.AddDays(12));
        var sooner = Utc.Absence(Now.AddDays(1), Now.AddDays(2));
        var past = Utc.Absence(Now.AddDays(-3), Now.AddDays(-2));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [later, past, sooner], Now);

        Assert.Null(result.Absence);
        Assert.Equal(sooner.StartUtc, result.ValidUntil);
        Assert.True(result.CanChat);
    }

    [Fact]
    public void For_OnlyPastAbsences_NoAbsenceAndNoValidUntil()
    {
        var past = Utc.Absence(Now.AddDays(-3), Now.AddDays(-2));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [past], Now);

        Assert.Null(result.Absence);
        Assert.Null(result.ValidUntil);
        Assert.True(result.CanChat);
        Assert.True(result.ShownOnline);
    }

    [Fact]
    public void For_AbsenceEndedExactlyNow_NotRunningAndChatBack()
    {
        var ended = Utc.Absence(Now.AddHours(-3), Now);

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [ended], Now);

        Assert.Null(result.Absence);
        Assert.Null(result.ValidUntil);
        Assert.True(result.CanChat);
        Assert.True(result.ShownOnline);
    }

    [Fact]
    public void For_AbsenceEndedExactlyNowAndAnotherAhead_ValidUntilIsStartOfTheOneAhead()
    {
        var ended = Utc.Absence(Now.AddHours(-3), Now);
        var ahead = Utc.Absence(Now.AddHours(4), Now.AddHours(8));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [ended, ahead], Now);

        Assert.Null(result.Absence);
        Assert.Equal(ahead.StartUtc, result.ValidUntil);
    }

    [Fact]
    public void For_AbsenceStartingExactlyNow_RunningAndChatClosed()
    {
        var starting = Utc.Absence(Now, Now.AddHours(2), "Krank");

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [starting], Now);

        Assert.Same(starting, result.Absence);
        Assert.Equal(starting.EndUtc, result.ValidUntil);
        Assert.False(result.CanChat);
        Assert.False(result.ShownOnline);
        Assert.True(result.CanSendMailRequest);
        Assert.True(result.CanBook);
    }

    [Fact]
    public void For_OneTickBeforeAbsenceStarts_NotRunningAndValidUntilIsItsStart()
    {
        var starting = Utc.Absence(Now.AddTicks(1), Now.AddHours(2));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [starting], Now);

        Assert.Null(result.Absence);
        Assert.Equal(starting.StartUtc, result.ValidUntil);
        Assert.True(result.CanChat);
    }

    [Fact]
    public void For_BackToBackAbsences_AbsenceIsTheRunningOneAndValidUntilItsEnd()
    {
        var first = Utc.Absence(Now.AddHours(-1), Now.AddHours(1), "erste");
        var second = Utc.Absence(Now.AddHours(1), Now.AddHours(3), "zweite");

        var during = Availability.For(OpenAndOnline, isRegularClient: false, [second, first], Now);
        var atHandOver = Availability.For(OpenAndOnline, isRegularClient: false, [second, first], first.EndUtc);

        Assert.Same(first, during.Absence);
        Assert.Equal(first.EndUtc, during.ValidUntil);
        Assert.Same(second, atHandOver.Absence);
        Assert.Equal(second.EndUtc, atHandOver.ValidUntil);
        Assert.False(atHandOver.CanChat);
    }

    [Fact]
    public void For_AfterAbsenceEnds_OwnChatSettingAppliesAgain()
    {
        var status = new AccountStatus(RegularClientsOnly: false, ChatMode.NotOnline, MailMode.NoNewRequests, 10);
        var absence = Utc.Absence(Now.AddHours(-1), Now.AddHours(1));

        var during = Availability.For(status, isRegularClient: false, [absence], Now);
        var after = Availability.For(status, isRegularClient: false, [absence], absence.EndUtc);

        Assert.False(during.CanChat);
        Assert.True(after.CanChat);
        Assert.False(after.ShownOnline);
        Assert.Equal(ChatMode.NotOnline, status.Chat);
    }

    [Fact]
    public void For_UtcInput_ValidUntilIsUtc()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(5));

        var result = Availability.For(OpenAndOnline, isRegularClient: false, [running], Now);

        Assert.Equal(DateTimeKind.Utc, result.ValidUntil!.Value.Kind);
    }

    [Fact]
    public void For_AbsencesAsOneShotSequence_SameAnswerAsForAList()
    {
        var running = Utc.Absence(Now.AddHours(-1), Now.AddHours(5));
        var future = Utc.Absence(Now.AddDays(1), Now.AddDays(2));

        var fromList = Availability.For(OpenAndOnline, isRegularClient: false, [running, future], Now);
        var fromSequence = Availability.For(OpenAndOnline, isRegularClient: false, OneShot(running, future), Now);

        Assert.Equal(fromList, fromSequence);
        Assert.Same(running, fromSequence.Absence);
        Assert.Equal(running.EndUtc, fromSequence.ValidUntil);
    }

    [Fact]
    public void For_NullStatus_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Availability.For(null!, isRegularClient: false, [], Now));
    }

    /// <summary>A sequence that can be walked only once, as a lazily evaluated query can be.</summary>
    private static IEnumerable<AbsencePeriod> OneShot(params AbsencePeriod[] items)
    {
        var walked = false;
        return Walk();

        IEnumerable<AbsencePeriod> Walk()
        {
            if (walked)
            {
                throw new InvalidOperationException("Enumerated twice.");
            }

            walked = true;
            foreach (var item in items)
            {
                yield return item;
            }
        }
    }
}
