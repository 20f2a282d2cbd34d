using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>Issue 8: a disabled counsellor's open requests go to the agency's fallback, or to the queue.</summary>
public sealed class MailHandOverTests
{
    private static readonly DateTime Now = Utc.Now;
    private static readonly Guid Disabled = Guid.NewGuid();
    private static readonly Guid Fallback = Guid.NewGuid();

    private static CounsellorLoad Load(Guid id, MailMode mail = MailMode.Unlimited, AbsencePeriod[]? absences = null) =>
        new(id, new AccountStatus(false, ChatMode.Online, mail, 1), 5, absences ?? [], null);

    private static MailThread OpenThread(Guid counsellor) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), counsellor, "Betreff",
            new RoutingDecision(counsellor, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None), Guid.NewGuid(), Now);

    [Fact]
    public void HandOver_AgencyFallbackPresent_GoesToFallbackWhateverTheirMailMode()
    {
        var decision = MailRouter.HandOver(Disabled, Fallback, [Load(Fallback, MailMode.NoNewRequests)], Now);

        Assert.Equal(new RoutingDecision(Fallback, RouteKind.AgencyFallback, RouteReason.CounsellorDisabled, Disabled, QueueCause.None), decision);
    }

    [Fact]
    public void HandOver_NoAgencyFallback_GoesToQueue()
    {
        var decision = MailRouter.HandOver(Disabled, null, [], Now);

        Assert.Equal(new RoutingDecision(null, RouteKind.Queue, RouteReason.CounsellorDisabled, Disabled, QueueCause.NoFallback), decision);
    }

    [Fact]
    public void HandOver_DisabledPersonIsTheFallback_GoesToQueue()
    {
        var decision = MailRouter.HandOver(Disabled, Disabled, [Load(Disabled)], Now);

        Assert.Null(decision.CounsellorId);
        Assert.Equal(QueueCause.NoFallback, decision.QueueCause);
    }

    [Fact]
    public void HandOver_FallbackAbsent_GoesToQueue()
    {
        var away = Utc.Absence(Now.AddDays(-1), Now.AddDays(1));

        var decision = MailRouter.HandOver(Disabled, Fallback, [Load(Fallback, absences: [away])], Now);

        Assert.Equal(RouteKind.Queue, decision.Kind);
        Assert.Equal(QueueCause.FallbackAbsent, decision.QueueCause);
    }

    [Fact]
    public void ThreadHandOver_ToFallback_ThreadBelongsToFallbackAndKeepsItsState()
    {
        var thread = OpenThread(Disabled);
        thread.Wrote(MailSide.Client, 1, Now);
        thread.Wrote(MailSide.Counsellor, 2, Now);
        var version = thread.Version;

        thread.HandOver(MailRouter.HandOver(Disabled, Fallback, [Load(Fallback)], Now));

        Assert.Equal(Fallback, thread.CounsellorId);
        Assert.Equal(RouteKind.AgencyFallback, thread.RouteKind);
        Assert.Equal(RouteReason.CounsellorDisabled, thread.RouteReason);
        Assert.Equal(Disabled, thread.ForwardedFromId);
        Assert.Equal(MailThreadState.InProgress, thread.State);
        Assert.True(thread.Version > version);
    }

    [Fact]
    public void ThreadHandOver_ToQueue_ThreadWaitsInQueueAndCanBeTaken()
    {
        var thread = OpenThread(Disabled);

        thread.HandOver(MailRouter.HandOver(Disabled, null, [], Now));

        Assert.True(thread.IsInQueue);
        Assert.False(thread.IsOpenRequest);
        thread.Take(Fallback, Now);
        Assert.Equal(Fallback, thread.CounsellorId);
    }

    [Fact]
    public void ThreadHandOver_ClosedThread_Refused()
    {
        var thread = OpenThread(Disabled);
        thread.Close(Now);

        Assert.Throws<InvalidOperationException>(() => thread.HandOver(MailRouter.HandOver(Disabled, null, [], Now)));
        Assert.Equal(Disabled, thread.CounsellorId);
    }

    [Fact]
    public void ThreadHandOver_DecisionFromSomeoneElse_Refused()
    {
        var thread = OpenThread(Disabled);

        Assert.Throws<ArgumentException>(() => thread.HandOver(MailRouter.HandOver(Guid.NewGuid(), Fallback, [Load(Fallback)], Now)));
        Assert.Equal(Disabled, thread.CounsellorId);
    }
}
