namespace Lotse.Domain.Tests.Mail;

/// <summary>How every message text is stored: line breaks as "\n", no control characters, trimmed, nothing else touched.</summary>
public sealed class PlainTextTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n")]
    public void Normalize_NothingThere_EmptyString(string? text) => Assert.Equal("", PlainText.Normalize(text));

    [Theory]
    [InlineData("a\rb", "a\nb")]
    [InlineData("a\r\nb", "a\nb")]
    [InlineData("a\nb", "a\nb")]
    [InlineData("a\n\rb", "a\n\nb")]
    [InlineData("a\r\r\nb", "a\n\nb")]
    [InlineData("a\r\n\r\nb", "a\n\nb")]
    public void Normalize_LineBreaks_EachBecomesOneNewline(string text, string expected) =>
        Assert.Equal(expected, PlainText.Normalize(text));

    [Fact]
    public void Normalize_InnerTab_Kept() => Assert.Equal("Name:\tWert", PlainText.Normalize("Name:\tWert"));

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u0007b")]
    [InlineData("a\u0008b")]
    [InlineData("a\u000bb")]
    [InlineData("a\u000cb")]
    [InlineData("a\u001bb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u009bb")]
    public void Normalize_OtherControlCharacter_Dropped(string text) => Assert.Equal("ab", PlainText.Normalize(text));

    [Theory]
    [InlineData("a\u0085b")]
    [InlineData("a\u2028b")]
    [InlineData("a\u2029b")]
    public void Normalize_UnicodeLineSeparator_BecomesLineBreak(string text) => Assert.Equal("a\nb", PlainText.Normalize(text));

    [Theory]
    [InlineData("a\u202Eb")]
    [InlineData("a\u202Ab")]
    [InlineData("a\u2066b")]
    [InlineData("a\u2069b")]
    [InlineData("a\u200Bb")]
    [InlineData("a\u200Fb")]
    [InlineData("a\uFEFFb")]
    public void Normalize_DirectionOverrideOrZeroWidthSpace_Dropped(string text) => Assert.Equal("ab", PlainText.Normalize(text));

    [Fact]
    public void Normalize_ZeroWidthJoinerInEmoji_Kept() =>
        Assert.Equal("\U0001F469\u200D\U0001F4BB", PlainText.Normalize("\U0001F469\u200D\U0001F4BB"));

    [Fact]
    public void Normalize_AnsiEscapeSequence_OnlyTheEscapeDropped() =>
        Assert.Equal("[31mrot", PlainText.Normalize("\u001b[31mrot"));

    [Fact]
    public void Normalize_SurroundingWhitespace_TrimmedInnerKept() =>
        Assert.Equal("Guten  Tag,\n\n  wie geht's", PlainText.Normalize(" \t\r\n Guten  Tag,\r\n\r\n  wie geht's \n\t "));

    [Fact]
    public void Normalize_ControlCharacterBetweenSpacesAtTheEdge_TrimmedAfterDropping() =>
        Assert.Equal("x", PlainText.Normalize(" \u0000 x \u0007 "));

    [Theory]
    [InlineData("<b>fett</b> &amp; <script>alert(1)</script>")]
    [InlineData("Grüße aus Köln – schöne Zeit 👋 ✓")]
    [InlineData("https://example.org/?a=1&b=2")]
    public void Normalize_MarkupAndUnicode_Unchanged(string text) => Assert.Equal(text, PlainText.Normalize(text));
}
