using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

/// <summary>The counsellor ends a chat; from then on nobody can write in it, and the client sees it is closed.</summary>
public sealed class CloseConversation(LotseDb db, TimeProvider clock)
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
        var closed = await db.Conversations
            .Where(c => c.Id == member.ConversationId && c.CounsellorId == member.Caller.Id && c.ClosedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedUtc, now), cancellationToken);
        return closed == 1;
    }
}
