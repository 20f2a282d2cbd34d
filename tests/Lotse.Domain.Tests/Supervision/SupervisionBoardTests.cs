using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Domain.Supervision;

namespace Lotse.Domain.Tests.Supervision;

/// <summary>What the agency admin's live supervision page shows for each counsellor, the queue and today's forwardings.</summary>
public sealed class SupervisionBoardTests
{
    private static readonly DateTime Now = Utc.Now;
    private static readonly TimeSpan Target = TimeSpan.FromHours(48);

    private static CounsellorOnBoard Counsellor(string name, AccountStatus status, int open = 0, bool connected = true, bool absent = false, Guid? id = null) =>
        new(
            new CounsellorLoad(id ?? Guid.NewGuid(), status, open, absent ? [Utc.Absence(Now.AddHours(-1), Now.AddDays(2))] : [], null),
            name,
            connected,
            null);

    [Fact]
    public void Build_OnlineAndConnected_ShownOnline()
    {
        var view = SupervisionBoard.Build([Counsellor("anna", new(false, ChatMode.Online, MailMode.Unlimited, 10))], [], [], Target, Now);

        Assert.True(view.Counsellors.Single().ShownOnline);
    }

    [Fact]
    public void Build_OnlineWithoutConnection_NotShownOnline()
    {
        var view = SupervisionBoard.Build([Counsellor("anna", new(false, ChatMode.Online, MailMode.Unlimited, 10), connected: false)], [], [], Target, Now);

        Assert.False(view.Counsellors.Single().ShownOnline);
    }

    [Fact]
    public void Build_OnlineButAbsent_NotShownOnlineAndAbsenceShown()
    {
        var view = SupervisionBoard.Build([Counsellor("anna", new(false, ChatMode.Online, MailMode.Unlimited, 10), absent: true)], [], [], Target, Now);

        var line = view.Counsellors.Single();
        Assert.False(line.ShownOnline);
        Assert.NotNull(line.Absence);
    }

    [Fact]
    public void Build_ByCapacityWithNOpen_AtCapacity()
    {
        var view = SupervisionBoard.Build(
            [Counsellor("anna", new(false, ChatMode.NotOnline, MailMode.ByCapacity, 3), open: 3), Counsellor("ben", new(false, ChatMode.NotOnline, MailMode.ByCapacity, 3), open: 2)],
            [], [], Target, Now);

        Assert.True(view.Counsellors.Single(c => c.Name == "anna").AtCapacity);
        Assert.False(view.Counsellors.Single(c => c.Name == "ben").AtCapacity);
        Assert.Equal(3, view.Counsellors.Single(c => c.Name == "anna").OpenRequests);
    }

    [Fact]
    public void Build_OverdueThreads_CountedPerCounsellorAndInTheQueue()
    {
        var anna = Guid.NewGuid();
        var view = SupervisionBoard.Build(
            [Counsellor("anna", AccountStatus.Initial, open: 3, id: anna)],
            [
                new OpenThreadRow(anna, MailThreadState.Open, Now.AddHours(-50), Now.AddHours(-50)),
                new OpenThreadRow(anna, MailThreadState.InProgress, Now.AddHours(-60), Now.AddHours(-49)),
                new OpenThreadRow(anna, MailThreadState.InProgress, Now.AddHours(-60), null),
                new OpenThreadRow(anna, MailThreadState.Closed, Now.AddHours(-90), Now.AddHours(-90)),
                new OpenThreadRow(null, MailThreadState.Open, Now.AddHours(-72), Now.AddHours(-72)),
                new OpenThreadRow(null, MailThreadState.Open, Now.AddHours(-1), Now.AddHours(-1)),
            ],
            [], Target, Now);

        Assert.Equal(2, view.Counsellors.Single().Overdue);
        Assert.Equal(2, view.QueueLength);
        Assert.Equal(Now.AddHours(-72), view.OldestWaitingSinceUtc);
        Assert.Equal(1, view.QueueOverdue);
    }

    [Fact]
    public void Build_EmptyQueue_NoOldestWaiting()
    {
        var view = SupervisionBoard.Build([], [], [], Target, Now);

        Assert.Equal(0, view.QueueLength);
        Assert.Null(view.OldestWaitingSinceUtc);
    }

    [Fact]
    public void Build_ForwardedToday_NewestFirstGroupedByReasonWithoutDirectRequests()
    {
        var view = SupervisionBoard.Build([], [],
            [
                new ForwardedRow(Now.AddHours(-3), RouteKind.AgencyFallback, RouteReason.Absent, QueueCause.None, Guid.NewGuid(), Guid.NewGuid()),
                new ForwardedRow(Now.AddHours(-1), RouteKind.Queue, RouteReason.CapacityFull, QueueCause.NoFallback, Guid.NewGuid(), null),
                new ForwardedRow(Now.AddHours(-2), RouteKind.PersonalFallback, RouteReason.Absent, QueueCause.None, Guid.NewGuid(), Guid.NewGuid()),
                new ForwardedRow(Now.AddHours(-2), RouteKind.Counsellor, RouteReason.FreeSlot, QueueCause.None, null, Guid.NewGuid()),
            ],
            Target, Now);

        Assert.Equal([RouteKind.Queue, RouteKind.PersonalFallback, RouteKind.AgencyFallback], view.ForwardedToday.Select(f => f.Kind));
        Assert.Equal([(RouteReason.CapacityFull, 1), (RouteReason.Absent, 2)], view.ForwardedByReason);
    }
}
