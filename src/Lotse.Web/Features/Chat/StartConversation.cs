using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Web.Data;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Counsellors;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Chat;

public abstract record StartResult;

public sealed record ConversationStarted(Guid ConversationId, bool IsNew) : StartResult;

public sealed record StartRefused(ChatVerdict Verdict, CounsellorAvailabilityView Availability) : StartResult;

public sealed record StartCounsellorNotFound : StartResult;

/// <summary>
/// A client opens a chat with a counsellor: the open conversation they already have with this counsellor, or a new
/// one, and only when <see cref="ChatRules.ClientMayStart"/> allows it (the same availability the profile page shows).
/// </summary>
public sealed class StartConversation(LotseDb db, LoadClientAvailability availability, CounsellorAgencies agencies, TimeProvider clock, AuditLog audit)
{
    public async Task<StartResult> StartAsync(Guid clientId, Guid counsellorId, CancellationToken cancellationToken)
    {
        var view = await availability.LoadForClientAsync(counsellorId, clientId, cancellationToken);
        if (view is null)
        {
            return new StartCounsellorNotFound();
        }

        var verdict = ChatRules.ClientMayStart(view.Availability);
        if (verdict != ChatVerdict.Allowed)
        {
            return new StartRefused(verdict, view);
        }

        // Serialised per counsellor, so two clicks at once (two tabs) still give the client one open conversation.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCounsellorAsync(counsellorId, cancellationToken);
        var open = await db.Conversations.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.CounsellorId == counsellorId && c.ClosedUtc == null)
            .OrderByDescending(c => c.CreatedUtc)
            .Select(c => (Guid?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (open is { } existing)
        {
            await transaction.CommitAsync(cancellationToken);
            return new ConversationStarted(existing, IsNew: false);
        }

        // An agency closed for new requests keeps its open chats (above) but starts no new one.
        if (view.Closure is not null)
        {
            return new StartRefused(ChatVerdict.AgencyClosed, view);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var conversation = new Conversation(Guid.NewGuid(), counsellorId, clientId, now);
        db.Conversations.Add(conversation);
        // A chat is contact (decision 3): from now on the counsellor may mark this client as Stammklient:in.
        await db.EnsureRelationAsync(counsellorId, clientId, now, cancellationToken);
        // The client is an advice seeker of no agency: the entry belongs to the counsellor's agency, where its admin sees it.
        await audit.RecordAsync(AuditAction.ChatConversationStarted, AuditTarget.Of(AuditTargetType.Conversation, conversation.Id),
            (await agencies.OfAsync(counsellorId, cancellationToken))?.Id, "Chat mit Berater:in begonnen", cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ConversationStarted(conversation.Id, IsNew: true);
    }
}
