using Lotse.Domain.Accounts;

namespace Lotse.Domain.Chat;

/// <summary>Whether a side may start or write in a chat now, and if not, why (each reason has its own text for the client).</summary>
public enum ChatVerdict
{
    Allowed,

    /// <summary>The counsellor closed this conversation.</summary>
    Closed,

    /// <summary>The counsellor is absent; the client sees the absence note.</summary>
    Absent,

    /// <summary>The regular-clients toggle is on and this client is not one of them.</summary>
    OnlyRegularClients,

    /// <summary>The counsellor's agency takes no new requests; conversations already open go on.</summary>
    AgencyClosed,

    /// <summary>Chat mode "Nicht anwählbar".</summary>
    NotReachable,
}

/// <summary>Why a message text cannot be sent.</summary>
public enum ChatTextProblem
{
    None,
    Empty,
    TooLong,
}

/// <summary>A message text as it will be stored, or the problem that keeps it from being sent.</summary>
public sealed record ChatText(string Text, ChatTextProblem Problem)
{
    public bool IsValid => Problem == ChatTextProblem.None;
}

/// <summary>
/// The rules of live chat. Who may write follows <see cref="Availability.For"/> for the client (a counsellor shown
/// "Nicht Online" still receives; "Nicht anwählbar", an absence or the regular-clients toggle stop new messages), while
/// the counsellor may always answer in an open conversation of theirs, whatever their own status.
/// </summary>
public static class ChatRules
{
    /// <summary>May this client open a chat with the counsellor whose availability (for this client) is given?</summary>
    public static ChatVerdict ClientMayStart(ClientAvailability availability)
    {
        ArgumentNullException.ThrowIfNull(availability);
        if (availability.CanChat)
        {
            return ChatVerdict.Allowed;
        }

        // The same order the profile page explains it in: an absence first (it has a note and an end), then the toggle.
        if (availability.Absence is not null)
        {
            return ChatVerdict.Absent;
        }

        return availability.OnlyRegularClients ? ChatVerdict.OnlyRegularClients : ChatVerdict.NotReachable;
    }

    /// <summary>May the client write in this conversation now? Closed wins: a closed chat stays closed whatever the status.</summary>
    public static ChatVerdict ClientMayWrite(ClientAvailability availability, bool conversationClosed) =>
        conversationClosed ? ChatVerdict.Closed : ClientMayStart(availability);

    /// <summary>The counsellor answers in any open conversation of theirs, even while "Nicht anwählbar" or absent.</summary>
    public static ChatVerdict CounsellorMayWrite(bool conversationClosed) =>
        conversationClosed ? ChatVerdict.Closed : ChatVerdict.Allowed;

    /// <summary>
    /// Plain text (<see cref="PlainText.Normalize"/>), 1 to <see cref="ChatMessage.MaxLength"/> characters.
    /// </summary>
    public static ChatText CheckText(string? text)
    {
        var normalized = PlainText.Normalize(text);
        return normalized.Length switch
        {
            0 => new ChatText("", ChatTextProblem.Empty),
            > ChatMessage.MaxLength => new ChatText("", ChatTextProblem.TooLong),
            _ => new ChatText(normalized, ChatTextProblem.None),
        };
    }

    /// <summary>A message is unread by <paramref name="reader"/> when the other side wrote it after the reader's read marker.</summary>
    public static bool IsUnread(ChatSide reader, long readUpTo, ChatSide sender, long messageId) =>
        sender != reader && messageId > readUpTo;

    public static int UnreadCount(ChatSide reader, long readUpTo, IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Count(m => IsUnread(reader, readUpTo, m.Sender, m.Id));
    }

    /// <summary>
    /// The read marker a reader asks for, kept within the messages that exist: a marker beyond the newest message
    /// would mark messages as read before they are written.
    /// </summary>
    public static long ReadMarker(long requestedUpTo, long newestMessageId) =>
        Math.Clamp(requestedUpTo, 0, Math.Max(newestMessageId, 0));

    public static ChatSide Other(ChatSide side) => side == ChatSide.Counsellor ? ChatSide.Client : ChatSide.Counsellor;
}

/// <summary>
/// At most <see cref="Limit"/> sends per <see cref="Window"/> (sliding), for one connection. Not thread-safe: SignalR
/// runs one invocation per connection at a time, which is the only place this is used.
/// </summary>
public sealed class ChatRateLimit(int limit, TimeSpan window)
{
    private readonly Queue<DateTime> _taken = new();

    public int Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit));

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window));

    /// <summary>Takes one slot at <paramref name="now"/>; false (and nothing taken) when the window is full.</summary>
    public bool TryTake(DateTime now)
    {
        while (_taken.Count > 0 && now - _taken.Peek() >= Window)
        {
            _taken.Dequeue();
        }

        if (_taken.Count >= Limit)
        {
            return false;
        }

        _taken.Enqueue(now);
        return true;
    }
}
