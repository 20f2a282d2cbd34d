using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>The read receipt the other side gets: <paramref name="Reader"/> ("counsellor"/"client") has read up to <paramref name="UpToId"/>.</summary>
public sealed record ChatReadReceipt(Guid ConversationId, string Reader, long UpToId);

/// <summary>
/// Moves the caller's read marker forward (never back, never beyond the newest message). Returns the receipt to send,
/// or null when nothing changed, so a repeated receipt is not broadcast again.
/// </summary>
public sealed class MarkRead(LotseDb db)
{
    public async Task<ChatReadReceipt?> MarkAsync(ChatMember member, long upToId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        var newest = await db.ChatMessages
            .Where(m => m.ConversationId == member.ConversationId)
            .MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var marker = ChatRules.ReadMarker(upToId, newest);

        // A conditional update, so that two tabs marking at once can only move the marker forward.
        var changed = member.Side == ChatSide.Counsellor
            ? await db.Conversations
                .Where(c => c.Id == member.ConversationId && c.CounsellorReadUpTo < marker)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.CounsellorReadUpTo, marker), cancellationToken)
            : await db.Conversations
                .Where(c => c.Id == member.ConversationId && c.ClientReadUpTo < marker)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClientReadUpTo, marker), cancellationToken);
        return changed == 0 ? null : new ChatReadReceipt(member.ConversationId, ChatSides.Name(member.Side), marker);
    }
}
