using System.Text;

namespace Lotse.Domain;

/// <summary>How every message text (chat, mail) is stored: plain text, shown as text and never as markup.</summary>
public static class PlainText
{
    /// <summary>
    /// Line breaks become "\n" (so a CRLF counts once, and the Unicode line and paragraph separators are breaks too);
    /// other control characters, direction overrides and zero-width spaces are dropped: they have no place in a message
    /// and could disguise what is shown (a reversed link, an invisible word). The whole is trimmed. Nothing else changes;
    /// joiners stay, since emoji need them.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c is '\u0085' or '\u2028' or '\u2029')
            {
                builder.Append('\n');
            }
            else if (c is '\n' or '\t' || !(char.IsControl(c) || IsHiddenFormatting(c)))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    private static bool IsHiddenFormatting(char c) =>
        c is '\u200B' or '\u200E' or '\u200F' or '\u061C' or '\uFEFF' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
