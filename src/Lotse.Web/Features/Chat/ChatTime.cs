using System.Globalization;
using Lotse.Web.Infrastructure;

namespace Lotse.Web.Features.Chat;

/// <summary>
/// When a message was sent, short, in Berlin time: "14:03" today, "24.11., 14:03" before. chat.js writes new messages
/// the same way (Intl with Europe/Berlin), so both look alike.
/// </summary>
public static class ChatTime
{
    public static string Text(DateTime sentUtc, DateTime nowUtc)
    {
        var sent = BerlinTime.ToLocal(sentUtc);
        var today = BerlinTime.ToLocal(nowUtc).Date;
        var clock = sent.ToString("HH:mm", CultureInfo.InvariantCulture);
        return sent.Date == today ? clock : sent.ToString("dd.MM.", CultureInfo.InvariantCulture) + ", " + clock;
    }
}
