using Lotse.Domain.Chat;
using Lotse.Web.Features.Counsellors;

namespace Lotse.Web.Features.Chat;

public abstract record SendResult;

/// <summary>Stored. <paramref name="IsNew"/> is false for a retry of a message stored before: nothing is broadcast again.</summary>
public sealed record MessageStored(ChatMessageView Message, bool IsNew) : SendResult;

/// <summary>The rules do not let this side write now; <paramref name="Availability"/> explains it to a client.</summary>
public sealed record SendRefused(ChatVerdict Verdict, CounsellorAvailabilityView? Availability) : SendResult;

public sealed record SendInvalid(ChatTextProblem Problem) : SendResult;

/// <summary>
/// Sends one chat message: checks the text, then hands it to <see cref="ChatMessageBatcher"/>, which stores it exactly once
/// per (conversation, side, client message id), only into an open conversation and only when the rules let this side
/// write now (decision 19). The caller acknowledges and broadcasts only what this returns, so nothing is acknowledged
/// that is not stored.
/// </summary>
public sealed class SendMessage(ChatMessageBatcher batcher)
{
    public async Task<SendResult> SendAsync(ChatMember member, Guid clientMessageId, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var checkedText = ChatRules.CheckText(text);
        return checkedText.IsValid
            ? await batcher.SubmitAsync(new PendingChatMessage(member, clientMessageId, checkedText.Text), cancellationToken)
            : new SendInvalid(checkedText.Problem);
    }
}
