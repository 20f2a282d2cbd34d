using Lotse.Domain.Chat;
using Lotse.Domain.Mail;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// The one place where the data export reads what people wrote. Message bodies are stored as they are today; when they
/// are encrypted at rest (issue 7, sec-crypto), the decryption goes here and the export needs nothing else. Each
/// overload gets the whole stored message, so that a key or associated data bound to its ids is at hand.
/// </summary>
public sealed class ClientContentReader
{
    public string Body(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Body;
    }

    public string Body(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Body;
    }
}
