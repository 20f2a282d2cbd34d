namespace Lotse.Domain.Mail;

/// <summary>The states of a mail thread as counsellors and clients see them.</summary>
public enum MailThreadState
{
    /// <summary>"offen": no answer from the counsellor yet.</summary>
    Open,

    /// <summary>"in Bearbeitung": the counsellor has answered (taking a request from the queue leaves it "offen" until then).</summary>
    InProgress,

    /// <summary>"abgeschlossen": closed by the counsellor; frees a capacity slot at once.</summary>
    Closed,

    /// <summary>"archiviert": closed and put away by the counsellor.</summary>
    Archived,
}

public enum MailSide
{
    Client,
    Counsellor,
}

/// <summary>
/// A mail counselling conversation: the client's request and every follow-up. It belongs to one counsellor from
/// routing on (or to nobody while it waits in the agency's queue), and its follow-ups always reach that counsellor.
/// </summary>
public sealed class MailThread
{
    public const int MaxSubjectLength = 150;

    private MailThread()
    {
    }

    public MailThread(Guid id, Guid agencyId, Guid clientId, Guid? addressedCounsellorId, string subject, RoutingDecision decision, Guid requestKey, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Id = id;
        AgencyId = agencyId;
        ClientId = clientId;
        AddressedCounsellorId = addressedCounsellorId;
        Subject = subject;
        CounsellorId = decision.CounsellorId;
        RouteKind = decision.Kind;
        RouteReason = decision.Reason;
        QueueCause = decision.QueueCause;
        ForwardedFromId = decision.ForwardedFromId;
        RequestKey = requestKey;
        CreatedUtc = nowUtc;
        LastMessageUtc = nowUtc;
        AwaitingReplySinceUtc = nowUtc;
        State = MailThreadState.Open;
    }

    public Guid Id { get; private set; }

    public Guid AgencyId { get; private set; }

    public Guid ClientId { get; private set; }

    /// <summary>The counsellor the client wrote to; null for a request to the agency.</summary>
    public Guid? AddressedCounsellorId { get; private set; }

    /// <summary>Who answers; null while the thread waits in the agency's unassigned queue.</summary>
    public Guid? CounsellorId { get; private set; }

    public string Subject { get; private set; } = "";

    public MailThreadState State { get; private set; }

    public RouteKind RouteKind { get; private set; }

    public RouteReason RouteReason { get; private set; }

    public QueueCause QueueCause { get; private set; }

    public Guid? ForwardedFromId { get; private set; }

    /// <summary>The client's own id for the request, so that a repeated submit creates no second thread.</summary>
    public Guid RequestKey { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public DateTime LastMessageUtc { get; private set; }

    /// <summary>Since when the client's newest message waits for the counsellor's answer; null when answered.</summary>
    public DateTime? AwaitingReplySinceUtc { get; private set; }

    public DateTime? ClosedUtc { get; private set; }

    public DateTime? TakenUtc { get; private set; }

    public long LastClientMessageId { get; private set; }

    public long LastCounsellorMessageId { get; private set; }

    public long ClientReadUpTo { get; private set; }

    public long CounsellorReadUpTo { get; private set; }

    /// <summary>Concurrency token: rises with every change, so two changes racing each other cannot both win.</summary>
    public int Version { get; private set; }

    /// <summary>Open requests count against the counsellor's N until they are closed.</summary>
    public bool IsOpenRequest => CounsellorId is not null && State is MailThreadState.Open or MailThreadState.InProgress;

    public bool IsClosed => State is MailThreadState.Closed or MailThreadState.Archived;

    public bool IsInQueue => CounsellorId is null;

    /// <summary>Overdue: the client waits for an answer longer than the agency's response target.</summary>
    public bool IsOverdue(TimeSpan responseTarget, DateTime now) => MailRules.IsOverdue(State, AwaitingReplySinceUtc, responseTarget, now);

    public bool IsUnreadFor(MailSide reader) => reader == MailSide.Counsellor
        ? LastClientMessageId > CounsellorReadUpTo
        : LastCounsellorMessageId > ClientReadUpTo;

    /// <summary>Records a stored message (its id comes from the database) on the thread.</summary>
    public void Wrote(MailSide sender, long messageId, DateTime nowUtc)
    {
        if (IsClosed)
        {
            throw new InvalidOperationException("A closed thread takes no messages.");
        }

        if (sender == MailSide.Counsellor && IsInQueue)
        {
            throw new InvalidOperationException("A thread in the queue is answered only after a counsellor took it.");
        }

        LastMessageUtc = nowUtc;
        Version++;
        if (sender == MailSide.Client)
        {
            LastClientMessageId = messageId;
            AwaitingReplySinceUtc ??= nowUtc;
            return;
        }

        LastCounsellorMessageId = messageId;
        CounsellorReadUpTo = Math.Max(CounsellorReadUpTo, LastClientMessageId);
        AwaitingReplySinceUtc = null;
        State = MailThreadState.InProgress;
    }

    /// <summary>A counsellor of the agency takes the thread from the unassigned queue.</summary>
    public void Take(Guid counsellorId, DateTime nowUtc)
    {
        if (!IsInQueue)
        {
            throw new InvalidOperationException("Only a thread in the queue can be taken.");
        }

        CounsellorId = counsellorId;
        TakenUtc = nowUtc;
        Version++;
    }

    /// <summary>
    /// An open request leaves its counsellor (their account was disabled) for the decision of
    /// <see cref="MailRouter.HandOver"/>: another counsellor or the agency's queue. Its messages and state stay.
    /// </summary>
    public void HandOver(RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!IsOpenRequest)
        {
            throw new InvalidOperationException("Only an open request of a counsellor is handed over.");
        }

        if (decision.ForwardedFromId != CounsellorId || decision.CounsellorId == CounsellorId)
        {
            throw new ArgumentException("A hand-over goes from the thread's counsellor to someone else.", nameof(decision));
        }

        CounsellorId = decision.CounsellorId;
        RouteKind = decision.Kind;
        RouteReason = decision.Reason;
        QueueCause = decision.QueueCause;
        ForwardedFromId = decision.ForwardedFromId;
        TakenUtc = null;
        Version++;
    }

    public void Close(DateTime nowUtc)
    {
        if (IsClosed)
        {
            return;
        }

        State = MailThreadState.Closed;
        ClosedUtc = nowUtc;
        AwaitingReplySinceUtc = null;
        Version++;
    }

    public void Archive()
    {
        if (!IsClosed)
        {
            throw new InvalidOperationException("Only a closed thread can be archived.");
        }

        if (State == MailThreadState.Archived)
        {
            return;
        }

        State = MailThreadState.Archived;
        Version++;
    }

    public void MarkRead(MailSide reader, long upToMessageId)
    {
        if (reader == MailSide.Counsellor)
        {
            CounsellorReadUpTo = Math.Max(CounsellorReadUpTo, Math.Min(upToMessageId, LastClientMessageId));
        }
        else
        {
            ClientReadUpTo = Math.Max(ClientReadUpTo, Math.Min(upToMessageId, LastCounsellorMessageId));
        }
    }
}

/// <summary>One message of a thread. The body is plain text.</summary>
public sealed class MailMessage
{
    public const int MaxLength = 20_000;

    private MailMessage()
    {
    }

    public MailMessage(Guid threadId, MailSide sender, string body, Guid requestKey, DateTime sentUtc)
    {
        ThreadId = threadId;
        Sender = sender;
        Body = body;
        RequestKey = requestKey;
        SentUtc = sentUtc;
    }

    public long Id { get; private set; }

    public Guid ThreadId { get; private set; }

    public MailSide Sender { get; private set; }

    public string Body { get; private set; } = "";

    /// <summary>The sender's own id for the message, unique per thread: a repeated submit stores nothing twice.</summary>
    public Guid RequestKey { get; private set; }

    public DateTime SentUtc { get; private set; }
}
