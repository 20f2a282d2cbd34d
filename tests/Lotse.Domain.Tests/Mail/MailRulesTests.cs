using Lotse.Domain.Mail;

namespace Lotse.Domain.Tests.Mail;

/// <summary>What a mail request and a follow-up may contain, and when an unanswered request is overdue.</summary>
public sealed class MailRulesTests
{
    private static readonly DateTime Now = Utc.Now;
    private const string Body = "Ich weiß nicht mehr weiter.";

    // ---- Subject ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t \n")]
    [InlineData("\u0000\u0007")]
    public void CheckRequest_NoSubject_EmptySubject(string? subject)
    {
        var result = MailRules.CheckRequest(subject, Body);

        Assert.Equal(MailTextProblem.EmptySubject, result.Problem);
        Assert.False(result.IsValid);
        Assert.Equal("", result.Subject);
        Assert.Equal("", result.Body);
    }

    [Fact]
    public void CheckRequest_SubjectOf150_Valid()
    {
        var subject = new string('s', MailThread.MaxSubjectLength);

        var result = MailRules.CheckRequest(subject, Body);

        Assert.True(result.IsValid);
        Assert.Equal(subject, result.Subject);
        Assert.Equal(150, MailThread.MaxSubjectLength);
    }

    [Fact]
    public void CheckRequest_SubjectOf151_SubjectTooLong()
    {
        var result = MailRules.CheckRequest(new string('s', MailThread.MaxSubjectLength + 1), Body);

        Assert.Equal(MailTextProblem.SubjectTooLong, result.Problem);
        Assert.Equal("", result.Subject);
    }

    [Fact]
    public void CheckRequest_SubjectOf150AfterTrimming_Valid()
    {
        var result = MailRules.CheckRequest("  " + new string('s', MailThread.MaxSubjectLength) + " \r\n", Body);

        Assert.True(result.IsValid);
        Assert.Equal(MailThread.MaxSubjectLength, result.Subject.Length);
    }

    [Fact]
    public void CheckRequest_SubjectWithLineBreaks_OneLine()
    {
        var result = MailRules.CheckRequest("Erste Zeile\r\nzweite Zeile \n\n  dritte\rvierte ", Body);

        Assert.True(result.IsValid);
        Assert.Equal("Erste Zeile zweite Zeile dritte vierte", result.Subject);
    }

    [Fact]
    public void CheckRequest_SubjectLongOnlyThroughLineBreaks_ValidAfterJoining()
    {
        // 75 + 74 characters on two lines with a CRLF between them: 151 as typed, 150 as one line.
        var subject = new string('a', 75) + "\r\n" + new string('b', 74);

        var result = MailRules.CheckRequest(subject, Body);

        Assert.True(result.IsValid);
        Assert.Equal(150, result.Subject.Length);
        Assert.Equal(' ', result.Subject[75]);
    }

    [Fact]
    public void CheckRequest_SubjectWithMarkup_KeptAsText() =>
        Assert.Equal("<i>Hilfe</i> & mehr", MailRules.CheckRequest("<i>Hilfe</i> & mehr", Body).Subject);

    [Fact]
    public void CheckRequest_EmptySubjectAndEmptyBody_SubjectReportedFirst() =>
        Assert.Equal(MailTextProblem.EmptySubject, MailRules.CheckRequest(" ", " ").Problem);

    // ---- Body ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    [InlineData("\u0000\u001b")]
    public void CheckRequest_NoBody_EmptyText(string? body) =>
        Assert.Equal(MailTextProblem.EmptyText, MailRules.CheckRequest("Betreff", body).Problem);

    [Fact]
    public void CheckRequest_BodyOf20000_Valid()
    {
        var body = new string('b', MailMessage.MaxLength);

        var result = MailRules.CheckRequest("Betreff", body);

        Assert.True(result.IsValid);
        Assert.Equal(body, result.Body);
        Assert.Equal(20_000, MailMessage.MaxLength);
    }

    [Fact]
    public void CheckRequest_BodyOf20001_TextTooLong()
    {
        var result = MailRules.CheckRequest("Betreff", new string('b', MailMessage.MaxLength + 1));

        Assert.Equal(MailTextProblem.TextTooLong, result.Problem);
        Assert.Equal("", result.Body);
    }

    [Fact]
    public void CheckFollowUp_CrLf_CountsOnce()
    {
        // 29,999 characters as sent; 20,000 once every CRLF is one "\n".
        var body = string.Concat(Enumerable.Repeat("a\r\n", 9_999)) + "aa";

        var result = MailRules.CheckFollowUp(body);

        Assert.True(result.IsValid);
        Assert.Equal(MailMessage.MaxLength, result.Body.Length);
        Assert.DoesNotContain('\r', result.Body);
        Assert.Equal(MailTextProblem.TextTooLong, MailRules.CheckFollowUp(body + "a").Problem);
    }

    [Fact]
    public void CheckFollowUp_ControlCharacters_DroppedAndNotCounted()
    {
        var body = "\u0007" + new string('a', MailMessage.MaxLength / 2) + "\u0000\u001b" + new string('b', MailMessage.MaxLength / 2) + "\u007f";

        var result = MailRules.CheckFollowUp(body);

        Assert.True(result.IsValid);
        Assert.Equal(new string('a', MailMessage.MaxLength / 2) + new string('b', MailMessage.MaxLength / 2), result.Body);
    }

    [Fact]
    public void CheckFollowUp_Html_KeptAsLiteralText()
    {
        // Not stripped: the page shows it encoded, so the client sees exactly what they typed.
        const string body = "<script>alert('x')</script>\n<b>fett</b> &amp; <a href=\"https://example.org\">Link</a>";

        Assert.Equal(body, MailRules.CheckFollowUp(body).Body);
    }

    [Fact]
    public void CheckFollowUp_Valid_NoSubjectAndTrimmedBody()
    {
        var result = MailRules.CheckFollowUp("  Danke für Ihre Antwort.\r\n\r\nBis bald\t\n ");

        Assert.True(result.IsValid);
        Assert.Equal("", result.Subject);
        Assert.Equal("Danke für Ihre Antwort.\n\nBis bald", result.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\t\r\n")]
    public void CheckFollowUp_NothingToSay_EmptyText(string? body) =>
        Assert.Equal(MailTextProblem.EmptyText, MailRules.CheckFollowUp(body).Problem);

    [Fact]
    public void CheckFollowUp_OneOverMax_TextTooLong() =>
        Assert.Equal(MailTextProblem.TextTooLong, MailRules.CheckFollowUp(new string('a', MailMessage.MaxLength + 1)).Problem);

    // ---- Overdue ----

    [Theory]
    [InlineData(MailThreadState.Open)]
    [InlineData(MailThreadState.InProgress)]
    public void IsOverdue_Waiting_ExactlyAtTargetNotOverdueOneTickAfterOverdue(MailThreadState state)
    {
        var target = MailRules.DefaultResponseTarget;

        Assert.False(MailRules.IsOverdue(state, Now, target, Now.Add(target)));
        Assert.True(MailRules.IsOverdue(state, Now, target, Now.Add(target).AddTicks(1)));
    }

    [Theory]
    [InlineData(MailThreadState.Closed)]
    [InlineData(MailThreadState.Archived)]
    public void IsOverdue_ClosedOrArchived_NeverOverdue(MailThreadState state) =>
        Assert.False(MailRules.IsOverdue(state, Now, TimeSpan.FromHours(1), Now.AddYears(1)));

    [Fact]
    public void IsOverdue_NotAwaitingAReply_NotOverdue() =>
        Assert.False(MailRules.IsOverdue(MailThreadState.InProgress, null, TimeSpan.FromHours(1), Now.AddYears(1)));

    [Fact]
    public void IsOverdue_BeforeTheWaitBegan_NotOverdue() =>
        Assert.False(MailRules.IsOverdue(MailThreadState.Open, Now, TimeSpan.FromHours(1), Now.AddHours(-5)));

    [Fact]
    public void Limits_ResponseTarget_OneHourToTwoWeeksDefault48Hours()
    {
        Assert.Equal(1, MailRules.MinResponseTargetHours);
        Assert.Equal(336, MailRules.MaxResponseTargetHours);
        Assert.Equal(TimeSpan.FromHours(48), MailRules.DefaultResponseTarget);
    }
}
