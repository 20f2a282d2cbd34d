using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>The counsellor ends a chat; from then on nobody can write in it, and the client sees it is closed.</summary>
public sealed class CloseConversation(LotseDb db, TimeProvider clock, AuditLog audit)
{
    /// <summary>True when this call closed it; false when it was closed already (closing twice is harmless).</summary>
    public async Task<bool> CloseAsync(ChatMember member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.Side != ChatSide.Counsellor)
        {
            throw new InvalidOperationException("Only the counsellor closes a conversation.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // The close and its audit entry commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var closed = await db.Conversations
            .Where(c => c.Id == member.ConversationId && c.CounsellorId == member.Caller.Id && c.ClosedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedUtc, now), cancellationToken);
        if (closed != 1)
        {
            return false;
        }

        await audit.RecordAsync(AuditAction.ChatConversationClosed, AuditTarget.Of(AuditTargetType.Conversation, member.ConversationId), null, "Chat beendet", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
