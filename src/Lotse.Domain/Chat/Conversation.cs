namespace Lotse.Domain.Chat;

/// <summary>A live chat between one client and one counsellor. It stays until closed; both sides see its history.</summary>
public sealed class Conversation
{
    private Conversation()
    {
    }

    public Conversation(Guid id, Guid counsellorId, Guid clientId, DateTime createdUtc)
    {
        Id = id;
        CounsellorId = counsellorId;
        ClientId = clientId;
        CreatedUtc = createdUtc;
        LastMessageUtc = createdUtc;
    }

    public Guid Id { get; private set; }

    public Guid CounsellorId { get; private set; }

    public Guid ClientId { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public DateTime LastMessageUtc { get; private set; }

    /// <summary>Set when the counsellor closes the chat; the client sees that it is closed.</summary>
    public DateTime? ClosedUtc { get; private set; }

    /// <summary>Highest message id the counsellor has read (read receipts and unread counts).</summary>
    public long CounsellorReadUpTo { get; private set; }

    /// <summary>Highest message id the client has read.</summary>
    public long ClientReadUpTo { get; private set; }

    public bool IsClosed => ClosedUtc is not null;

    public void Close(DateTime nowUtc) => ClosedUtc ??= nowUtc;

    public void Touch(DateTime nowUtc)
    {
        if (nowUtc > LastMessageUtc)
        {
            LastMessageUtc = nowUtc;
        }
    }

    /// <summary>Read markers only move forward, so a late, stale receipt cannot un-read messages.</summary>
    public void MarkRead(ChatSide reader, long upToMessageId)
    {
        if (reader == ChatSide.Counsellor)
        {
            CounsellorReadUpTo = Math.Max(CounsellorReadUpTo, upToMessageId);
        }
        else
        {
            ClientReadUpTo = Math.Max(ClientReadUpTo, upToMessageId);
        }
    }
}

public enum ChatSide
{
    Counsellor,
    Client,
}

/// <summary>
/// One chat message. <see cref="ClientMessageId"/> is chosen by the sender; a retry with the same id is the
/// same message (unique index), so a lost acknowledgement never creates a duplicate.
/// </summary>
public sealed class ChatMessage
{
    public const int MaxLength = 4000;

    private ChatMessage()
    {
    }

    public ChatMessage(Guid conversationId, ChatSide sender, Guid clientMessageId, string body, DateTime sentUtc)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length is 0 or > MaxLength)
        {
            throw new ArgumentException("A chat message has 1 to 4000 characters.", nameof(body));
        }

        ConversationId = conversationId;
        Sender = sender;
        ClientMessageId = clientMessageId;
        Body = body;
        SentUtc = sentUtc;
    }

    /// <summary>Database-assigned, increasing: the order of messages and the "since" for catching up.</summary>
    public long Id { get; private set; }

    public Guid ConversationId { get; private set; }

    public ChatSide Sender { get; private set; }

    public Guid ClientMessageId { get; private set; }

    public string Body { get; private set; } = "";

    public DateTime SentUtc { get; private set; }
}
