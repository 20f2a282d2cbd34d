using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>A mail thread's life: open, answered, closed, archived; the queue; overdue; unread on each side.</summary>
public sealed class MailThreadTests
{
    private static readonly DateTime Now = Utc.Now;
    private static readonly TimeSpan Target = TimeSpan.FromHours(48);

    private static readonly Guid Agency = Guid.NewGuid();
    private static readonly Guid Client = Guid.NewGuid();
    private static readonly Guid Counsellor = Guid.NewGuid();
    private static readonly Guid Fallback = Guid.NewGuid();

    private static readonly RoutingDecision Taken =
        new(Counsellor, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None);

    private static readonly RoutingDecision Queued =
        new(null, RouteKind.Queue, RouteReason.Absent, Counsellor, QueueCause.FallbackAbsent);

    private static MailThread NewThread(RoutingDecision? decision = null) =>
        new(Guid.NewGuid(), Agency, Client, Counsellor, "Sorgen um meinen Sohn", decision ?? Taken, Guid.NewGuid(), Now);

    /// <summary>A thread with the client's request stored as message 1, as the web layer creates it.</summary>
    private static MailThread WithRequest(RoutingDecision? decision = null)
    {
        var thread = NewThread(decision);
        thread.Wrote(MailSide.Client, 1, Now);
        return thread;
    }

    // ---- Creation ----

    [Fact]
    public void Constructor_Decision_CopiedOntoThreadWhichStartsOpen()
    {
        var forwarded = new RoutingDecision(Fallback, RouteKind.PersonalFallback, RouteReason.CapacityFull, Counsellor, QueueCause.None);
        var requestKey = Guid.NewGuid();

        var thread = new MailThread(Guid.NewGuid(), Agency, Client, Counsellor, "Betreff", forwarded, requestKey, Now);

        Assert.Equal(Agency, thread.AgencyId);
        Assert.Equal(Client, thread.ClientId);
        Assert.Equal(Counsellor, thread.AddressedCounsellorId);
        Assert.Equal(Fallback, thread.CounsellorId);
        Assert.Equal(RouteKind.PersonalFallback, thread.RouteKind);
        Assert.Equal(RouteReason.CapacityFull, thread.RouteReason);
        Assert.Equal(QueueCause.None, thread.QueueCause);
        Assert.Equal(Counsellor, thread.ForwardedFromId);
        Assert.Equal(requestKey, thread.RequestKey);
        Assert.Equal("Betreff", thread.Subject);
        Assert.Equal(MailThreadState.Open, thread.State);
        Assert.Equal(Now, thread.CreatedUtc);
        Assert.Equal(Now, thread.LastMessageUtc);
        Assert.Equal(Now, thread.AwaitingReplySinceUtc);
        Assert.Null(thread.ClosedUtc);
        Assert.Null(thread.TakenUtc);
        Assert.True(thread.IsOpenRequest);
        Assert.False(thread.IsInQueue);
        Assert.False(thread.IsClosed);
    }

    [Fact]
    public void Constructor_QueueDecision_InQueueAndCountsAgainstNobody()
    {
        var thread = NewThread(Queued);

        Assert.True(thread.IsInQueue);
        Assert.Null(thread.CounsellorId);
        Assert.False(thread.IsOpenRequest);
        Assert.Equal(QueueCause.FallbackAbsent, thread.QueueCause);
        Assert.Equal(MailThreadState.Open, thread.State);
    }

    [Fact]
    public void Constructor_NullDecision_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new MailThread(Guid.NewGuid(), Agency, Client, null, "Betreff", null!, Guid.NewGuid(), Now));

    // ---- Writing ----

    [Fact]
    public void Wrote_CounsellorReplies_InProgressAndNoLongerAwaiting()
    {
        var thread = WithRequest();

        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(3));

        Assert.Equal(MailThreadState.InProgress, thread.State);
        Assert.Null(thread.AwaitingReplySinceUtc);
        Assert.Equal(Now.AddHours(3), thread.LastMessageUtc);
        Assert.Equal(2, thread.LastCounsellorMessageId);
        Assert.True(thread.IsOpenRequest);
    }

    [Fact]
    public void Wrote_ClientFollowUpBeforeAnyReply_StaysOpenAndKeepsTheFirstWait()
    {
        var thread = WithRequest();

        thread.Wrote(MailSide.Client, 2, Now.AddHours(5));

        Assert.Equal(MailThreadState.Open, thread.State);
        Assert.Equal(Now, thread.AwaitingReplySinceUtc);
        Assert.Equal(Now.AddHours(5), thread.LastMessageUtc);
        Assert.Equal(2, thread.LastClientMessageId);
    }

    [Fact]
    public void Wrote_ClientFollowUpAfterReply_AwaitingSinceTheFollowUpAndStillInProgress()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(1));

        thread.Wrote(MailSide.Client, 3, Now.AddHours(10));
        thread.Wrote(MailSide.Client, 4, Now.AddHours(20));

        Assert.Equal(Now.AddHours(10), thread.AwaitingReplySinceUtc);
        Assert.Equal(MailThreadState.InProgress, thread.State);
    }

    [Theory]
    [InlineData(MailSide.Client)]
    [InlineData(MailSide.Counsellor)]
    public void Wrote_ClosedThread_ThrowsAndChangesNothing(MailSide sender)
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));
        var version = thread.Version;

        Assert.Throws<InvalidOperationException>(() => thread.Wrote(sender, 9, Now.AddHours(2)));

        Assert.Equal(MailThreadState.Closed, thread.State);
        Assert.Equal(version, thread.Version);
        Assert.Equal(Now, thread.LastMessageUtc);
        Assert.Equal(1, thread.LastClientMessageId);
    }

    [Theory]
    [InlineData(MailSide.Client)]
    [InlineData(MailSide.Counsellor)]
    public void Wrote_ArchivedThread_Throws(MailSide sender)
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));
        thread.Archive();

        Assert.Throws<InvalidOperationException>(() => thread.Wrote(sender, 9, Now.AddHours(2)));
        Assert.Equal(MailThreadState.Archived, thread.State);
    }

    // ---- Close and archive ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Close_OpenOrInProgress_ClosedAndFreesTheSlot(bool answered)
    {
        var thread = WithRequest();
        if (answered)
        {
            thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(1));
        }

        thread.Close(Now.AddHours(2));

        Assert.Equal(MailThreadState.Closed, thread.State);
        Assert.True(thread.IsClosed);
        Assert.False(thread.IsOpenRequest);
        Assert.Equal(Now.AddHours(2), thread.ClosedUtc);
        Assert.Null(thread.AwaitingReplySinceUtc);
        Assert.Equal(Counsellor, thread.CounsellorId);
    }

    [Fact]
    public void Close_Twice_SecondIsNoChange()
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));
        var version = thread.Version;

        thread.Close(Now.AddHours(5));

        Assert.Equal(Now.AddHours(1), thread.ClosedUtc);
        Assert.Equal(version, thread.Version);
    }

    [Fact]
    public void Archive_Twice_SecondChangesNothing()
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));
        thread.Archive();
        var version = thread.Version;

        thread.Archive();

        Assert.Equal(version, thread.Version);
        Assert.Equal(MailThreadState.Archived, thread.State);
    }

    [Fact]
    public void Wrote_CounsellorOnQueuedThread_ThrowsAndNothingChanges()
    {
        var thread = NewThread(Queued);
        var version = thread.Version;

        Assert.Throws<InvalidOperationException>(() => thread.Wrote(MailSide.Counsellor, 7, Now.AddHours(1)));

        Assert.Equal(MailThreadState.Open, thread.State);
        Assert.Equal(version, thread.Version);
        Assert.Equal(0, thread.LastCounsellorMessageId);
    }

    [Fact]
    public void Archive_Closed_Archived()
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));

        thread.Archive();

        Assert.Equal(MailThreadState.Archived, thread.State);
        Assert.True(thread.IsClosed);
        Assert.False(thread.IsOpenRequest);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Archive_NotClosed_ThrowsAndStateUnchanged(bool answered)
    {
        var thread = WithRequest();
        if (answered)
        {
            thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(1));
        }

        var state = thread.State;
        var version = thread.Version;

        Assert.Throws<InvalidOperationException>(thread.Archive);

        Assert.Equal(state, thread.State);
        Assert.Equal(version, thread.Version);
        Assert.True(thread.IsOpenRequest);
    }

    // ---- Queue ----

    [Fact]
    public void Take_FromQueue_AssignedAndNowCountsAsOpenRequest()
    {
        var thread = WithRequest(Queued);
        var version = thread.Version;

        thread.Take(Fallback, Now.AddHours(4));

        Assert.Equal(Fallback, thread.CounsellorId);
        Assert.Equal(Now.AddHours(4), thread.TakenUtc);
        Assert.False(thread.IsInQueue);
        Assert.True(thread.IsOpenRequest);
        Assert.True(thread.Version > version);
        // The route shows how the request arrived; taking it does not rewrite that history.
        Assert.Equal(RouteKind.Queue, thread.RouteKind);
    }

    [Fact]
    public void Take_AssignedThread_ThrowsAndKeepsTheCounsellor()
    {
        var thread = WithRequest();

        Assert.Throws<InvalidOperationException>(() => thread.Take(Fallback, Now));

        Assert.Equal(Counsellor, thread.CounsellorId);
        Assert.Null(thread.TakenUtc);
    }

    [Fact]
    public void Take_AlreadyTakenFromQueue_SecondTakeThrows()
    {
        var thread = WithRequest(Queued);
        thread.Take(Fallback, Now.AddHours(1));

        Assert.Throws<InvalidOperationException>(() => thread.Take(Counsellor, Now.AddHours(2)));

        Assert.Equal(Fallback, thread.CounsellorId);
        Assert.Equal(Now.AddHours(1), thread.TakenUtc);
    }

    // ---- Overdue ----

    [Fact]
    public void IsOverdue_UnansweredRequest_FromCreationOnExactlyAfterTheTarget()
    {
        var thread = WithRequest();

        Assert.False(thread.IsOverdue(Target, Now.Add(Target)));
        Assert.True(thread.IsOverdue(Target, Now.Add(Target).AddTicks(1)));
    }

    [Fact]
    public void IsOverdue_Answered_NotOverdueHoweverLong()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(47));

        Assert.False(thread.IsOverdue(Target, Now.AddDays(30)));
    }

    [Fact]
    public void IsOverdue_FollowUpAfterReply_CountsFromTheFollowUp()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(1));
        var followUp = Now.AddDays(3);

        thread.Wrote(MailSide.Client, 3, followUp);

        Assert.False(thread.IsOverdue(Target, followUp.Add(Target)));
        Assert.True(thread.IsOverdue(Target, followUp.Add(Target).AddTicks(1)));
    }

    [Fact]
    public void IsOverdue_ClosedOrArchived_NeverOverdue()
    {
        var thread = WithRequest();
        thread.Close(Now.AddHours(1));
        Assert.False(thread.IsOverdue(Target, Now.AddDays(30)));

        thread.Archive();
        Assert.False(thread.IsOverdue(Target, Now.AddDays(30)));
    }

    [Fact]
    public void IsOverdue_WaitingInQueue_Overdue()
    {
        // A request nobody has taken still waits for an answer: supervision must see it.
        var thread = WithRequest(Queued);

        Assert.True(thread.IsOverdue(Target, Now.Add(Target).AddMinutes(1)));
    }

    // ---- Unread and read markers ----

    [Fact]
    public void IsUnreadFor_ClientWrote_UnreadForCounsellorOnly()
    {
        var thread = WithRequest();

        Assert.True(thread.IsUnreadFor(MailSide.Counsellor));
        Assert.False(thread.IsUnreadFor(MailSide.Client));
    }

    [Fact]
    public void MarkRead_CounsellorReadsTheRequest_NoLongerUnread()
    {
        var thread = WithRequest();

        thread.MarkRead(MailSide.Counsellor, 1);

        Assert.False(thread.IsUnreadFor(MailSide.Counsellor));
        Assert.Equal(1, thread.CounsellorReadUpTo);
    }

    [Fact]
    public void Wrote_CounsellorReplies_ClientsMessagesCountAsReadAndReplyUnreadForClient()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Client, 2, Now.AddMinutes(5));

        thread.Wrote(MailSide.Counsellor, 3, Now.AddHours(1));

        Assert.False(thread.IsUnreadFor(MailSide.Counsellor));
        Assert.Equal(2, thread.CounsellorReadUpTo);
        Assert.True(thread.IsUnreadFor(MailSide.Client));
    }

    [Fact]
    public void MarkRead_BeyondTheOtherSidesLastMessage_CappedSoALaterMessageIsUnread()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(1));

        thread.MarkRead(MailSide.Client, 1_000);

        Assert.Equal(2, thread.ClientReadUpTo);
        Assert.False(thread.IsUnreadFor(MailSide.Client));

        thread.Wrote(MailSide.Counsellor, 5, Now.AddHours(2));

        Assert.True(thread.IsUnreadFor(MailSide.Client));
    }

    [Fact]
    public void MarkRead_CounsellorBeyondLastClientMessage_CappedAtTheClientsLastMessage()
    {
        var thread = WithRequest();

        thread.MarkRead(MailSide.Counsellor, 50);
        thread.Wrote(MailSide.Client, 7, Now.AddHours(1));

        Assert.Equal(1, thread.CounsellorReadUpTo);
        Assert.True(thread.IsUnreadFor(MailSide.Counsellor));
    }

    [Fact]
    public void MarkRead_OlderMarker_NeverMovesBack()
    {
        var thread = WithRequest();
        thread.Wrote(MailSide.Client, 4, Now.AddMinutes(1));
        thread.MarkRead(MailSide.Counsellor, 4);

        thread.MarkRead(MailSide.Counsellor, 1);

        Assert.Equal(4, thread.CounsellorReadUpTo);
        Assert.False(thread.IsUnreadFor(MailSide.Counsellor));
    }

    [Fact]
    public void MarkRead_NothingFromTheOtherSide_StaysZero()
    {
        var thread = NewThread();

        thread.MarkRead(MailSide.Client, 10);
        thread.MarkRead(MailSide.Counsellor, 10);

        Assert.Equal(0, thread.ClientReadUpTo);
        Assert.Equal(0, thread.CounsellorReadUpTo);
    }

    // ---- Version ----

    [Fact]
    public void Version_EveryChange_Rises()
    {
        var thread = NewThread(Queued);
        var seen = new List<int> { thread.Version };

        thread.Wrote(MailSide.Client, 1, Now);
        seen.Add(thread.Version);
        thread.Take(Counsellor, Now.AddHours(1));
        seen.Add(thread.Version);
        thread.Wrote(MailSide.Counsellor, 2, Now.AddHours(2));
        seen.Add(thread.Version);
        thread.Wrote(MailSide.Client, 3, Now.AddHours(3));
        seen.Add(thread.Version);
        thread.Close(Now.AddHours(4));
        seen.Add(thread.Version);
        thread.Archive();
        seen.Add(thread.Version);

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"Version did not rise at step {i}: {string.Join(", ", seen)}");
        }
    }
}
