using Lotse.Domain.Accounts;
using Lotse.Domain.Chat;

namespace Lotse.Domain.Tests.Chat;

/// <summary>Who may write in a chat, what a message may contain, unread counts and read markers.</summary>
public sealed class ChatRulesTests
{
    private static readonly DateTime Now = Utc.Now;

    private static ClientAvailability For(bool regularOnly, ChatMode chat, bool isRegular = false, bool absent = false) =>
        Availability.For(
            new AccountStatus(regularOnly, chat, MailMode.Unlimited, 10),
            isRegular,
            absent ? [Utc.Absence(Now.AddHours(-1), Now.AddHours(2), "Fortbildung")] : [],
            Now);

    [Theory]
    [InlineData(ChatMode.Online)]
    [InlineData(ChatMode.NotOnline)]
    public void ClientMayStart_Reachable_Allowed(ChatMode mode) =>
        Assert.Equal(ChatVerdict.Allowed, ChatRules.ClientMayStart(For(regularOnly: false, mode)));

    [Fact]
    public void ClientMayStart_NotReachable_NotReachable() =>
        Assert.Equal(ChatVerdict.NotReachable, ChatRules.ClientMayStart(For(regularOnly: false, ChatMode.NotReachable)));

    [Fact]
    public void ClientMayStart_ToggleOnAndNotRegular_OnlyRegularClients() =>
        Assert.Equal(ChatVerdict.OnlyRegularClients, ChatRules.ClientMayStart(For(regularOnly: true, ChatMode.Online)));

    [Fact]
    public void ClientMayStart_ToggleOnAndRegular_Allowed() =>
        Assert.Equal(ChatVerdict.Allowed, ChatRules.ClientMayStart(For(regularOnly: true, ChatMode.NotOnline, isRegular: true)));

    [Fact]
    public void ClientMayStart_Absent_AbsentEvenWhenAlsoOnlyRegular() =>
        Assert.Equal(ChatVerdict.Absent, ChatRules.ClientMayStart(For(regularOnly: true, ChatMode.Online, absent: true)));

    [Fact]
    public void ClientMayWrite_ClosedConversation_ClosedWhateverTheStatus()
    {
        Assert.Equal(ChatVerdict.Closed, ChatRules.ClientMayWrite(For(regularOnly: false, ChatMode.Online), conversationClosed: true));
        Assert.Equal(ChatVerdict.Closed, ChatRules.ClientMayWrite(For(regularOnly: false, ChatMode.NotReachable), conversationClosed: true));
    }

    [Fact]
    public void ClientMayWrite_OpenAndNotOnline_AllowedSoTheMessageWaits() =>
        Assert.Equal(ChatVerdict.Allowed, ChatRules.ClientMayWrite(For(regularOnly: false, ChatMode.NotOnline), conversationClosed: false));

    [Fact]
    public void ClientMayWrite_OpenButCounsellorNowNotReachable_NotReachable() =>
        Assert.Equal(ChatVerdict.NotReachable, ChatRules.ClientMayWrite(For(regularOnly: false, ChatMode.NotReachable), conversationClosed: false));

    [Fact]
    public void CounsellorMayWrite_Open_AllowedAndClosed_Closed()
    {
        Assert.Equal(ChatVerdict.Allowed, ChatRules.CounsellorMayWrite(conversationClosed: false));
        Assert.Equal(ChatVerdict.Closed, ChatRules.CounsellorMayWrite(conversationClosed: true));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    [InlineData("\u0000\u0007")]
    public void CheckText_NothingToSay_Empty(string? text) =>
        Assert.Equal(ChatTextProblem.Empty, ChatRules.CheckText(text).Problem);

    [Fact]
    public void CheckText_ExactlyMaxAfterTrimming_Valid()
    {
        var text = "  " + new string('a', ChatMessage.MaxLength) + "\n ";

        var result = ChatRules.CheckText(text);

        Assert.True(result.IsValid);
        Assert.Equal(ChatMessage.MaxLength, result.Text.Length);
    }

    [Fact]
    public void CheckText_OneOverMax_TooLong() =>
        Assert.Equal(ChatTextProblem.TooLong, ChatRules.CheckText(new string('a', ChatMessage.MaxLength + 1)).Problem);

    [Fact]
    public void CheckText_CrLf_CountsOnceAsNewline()
    {
        var text = string.Concat(Enumerable.Repeat("a\r\n", ChatMessage.MaxLength / 2)).TrimEnd();

        var result = ChatRules.CheckText(text);

        Assert.True(result.IsValid);
        Assert.DoesNotContain('\r', result.Text);
        Assert.Equal("a\na", result.Text[..3]);
    }

    [Fact]
    public void CheckText_MarkupAndLinks_KeptAsPlainText()
    {
        const string text = "<b>Hallo</b> https://example.org/?a=1&b=2";

        Assert.Equal(text, ChatRules.CheckText(text).Text);
    }

    [Fact]
    public void CheckText_ControlCharacters_Dropped() =>
        Assert.Equal("ab\tc", ChatRules.CheckText("a\u0000b\tc\u001b").Text);

    [Fact]
    public void UnreadCount_OtherSideAfterMarker_CountsOnlyThose()
    {
        var conversation = Guid.NewGuid();
        var messages = new[]
        {
            Message(conversation, 1, ChatSide.Client),
            Message(conversation, 2, ChatSide.Counsellor),
            Message(conversation, 3, ChatSide.Client),
            Message(conversation, 4, ChatSide.Client),
        };

        Assert.Equal(2, ChatRules.UnreadCount(ChatSide.Counsellor, readUpTo: 1, messages));
        Assert.Equal(0, ChatRules.UnreadCount(ChatSide.Client, readUpTo: 0, messages.Where(m => m.Sender == ChatSide.Client)));
        Assert.Equal(1, ChatRules.UnreadCount(ChatSide.Client, readUpTo: 0, messages));
    }

    [Theory]
    [InlineData(5, 10, 5)]
    [InlineData(12, 10, 10)]
    [InlineData(-3, 10, 0)]
    [InlineData(4, 0, 0)]
    public void ReadMarker_Requested_KeptWithinExistingMessages(long requested, long newest, long expected) =>
        Assert.Equal(expected, ChatRules.ReadMarker(requested, newest));

    [Fact]
    public void Conversation_MarkRead_NeverMovesBack()
    {
        var conversation = new Conversation(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);

        conversation.MarkRead(ChatSide.Client, 7);
        conversation.MarkRead(ChatSide.Client, 3);

        Assert.Equal(7, conversation.ClientReadUpTo);
        Assert.Equal(0, conversation.CounsellorReadUpTo);
    }

    [Fact]
    public void RateLimit_TenInTenSeconds_EleventhRefusedUntilTheFirstLeavesTheWindow()
    {
        var limit = new ChatRateLimit(10, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limit.TryTake(Now.AddMilliseconds(i * 100)));
        }

        Assert.False(limit.TryTake(Now.AddSeconds(5)));
        Assert.False(limit.TryTake(Now.AddSeconds(9.9)));
        Assert.True(limit.TryTake(Now.AddSeconds(10)));
        Assert.False(limit.TryTake(Now.AddSeconds(10)));
    }

    private static ChatMessage Message(Guid conversation, long id, ChatSide sender)
    {
        var message = new ChatMessage(conversation, sender, Guid.NewGuid(), "Hallo", Now);
        // The database assigns the id; here the test does, through the same private setter EF Core uses.
        typeof(ChatMessage).GetProperty(nameof(ChatMessage.Id))!.SetValue(message, id);
        return message;
    }
}
