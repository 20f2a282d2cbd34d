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
/// Sends one chat message: checks the text and whether this side may write now, then hands it to
/// <see cref="ChatMessageBatcher"/>, which stores it exactly once per (conversation, side, client message id) and only
/// into an open conversation (decision 19). The caller acknowledges and broadcasts only what this returns, so nothing is
/// acknowledged that is not stored.
/// </summary>
public sealed class SendMessage(LoadClientAvailability availability, ReadChatMessages read, ChatMessageBatcher batcher)
{
    public async Task<SendResult> SendAsync(ChatMember member, Guid clientMessageId, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var checkedText = ChatRules.CheckText(text);
        if (!checkedText.IsValid)
        {
            return new SendInvalid(checkedText.Problem);
        }

        if (await RefusalAsync(member, cancellationToken) is { } refusal)
        {
            // A retry of a stored message is answered with that message whatever has changed since (closed, status):
            // the sender only lost the acknowledgement, the message itself was accepted.
            return await read.FindAsync(member, clientMessageId, cancellationToken) is { } stored ? new MessageStored(stored, IsNew: false) : refusal;
        }

        // A retry that is still allowed is found inside the lock that stores the batch; looking it up here as well would
        // cost every new message (nearly every send) one more query.
        return await batcher.SubmitAsync(new PendingChatMessage(member, clientMessageId, checkedText.Text), cancellationToken);
    }

    private async Task<SendRefused?> RefusalAsync(ChatMember member, CancellationToken cancellationToken)
    {
        if (member.Side == ChatSide.Client)
        {
            // Every message of a client asks this: the cheap check first, and the whole view (the agency's terms, for the
            // text that explains a refusal) only when the answer is no.
            var current = await availability.ForChatMessageAsync(member.CounsellorId, member.ClientId, cancellationToken);
            var verdict = current is null ? ChatVerdict.NotReachable : ChatRules.ClientMayWrite(current, member.IsClosed);
            return verdict == ChatVerdict.Allowed
                ? null
                : new SendRefused(verdict, await availability.LoadForClientAsync(member.CounsellorId, member.ClientId, cancellationToken));
        }

        return ChatRules.CounsellorMayWrite(member.IsClosed) is var counsellorVerdict && counsellorVerdict != ChatVerdict.Allowed
            ? new SendRefused(counsellorVerdict, null)
            : null;
    }
}
