using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Privacy;

public abstract record ClientDeletion;

/// <param name="CancelledAppointments">Upcoming appointments whose counsellor was told (without time or name).</param>
public sealed record ClientDeleted(int CancelledAppointments) : ClientDeletion;

public sealed record ClientNotFound : ClientDeletion;

/// <summary>Retention only: the client came back (was active, or gave an e-mail address) after the job picked them.</summary>
public sealed record ClientNoLongerDue : ClientDeletion;

/// <summary>
/// Deletes an advice seeker and everything they left, at once and in one transaction: the only deletion function, used
/// by "Konto löschen" and by retention. Afterwards no table holds their client id, user id, nickname, e-mail address or
/// anything they or their counsellors wrote (proved by <c>AccountDeletionTests</c>, which scans every table of the model).
/// <list type="bullet">
/// <item>mail threads with their messages and notifications (an open request counted against a counsellor's N is gone,
/// so the slot frees with it: open requests are counted, not stored);</item>
/// <item>chat conversations with their messages;</item>
/// <item>appointments; for each one not over yet and requested or confirmed, the counsellor gets a notification that
/// names neither time nor person (<see cref="NotificationOutbox.AddAccountDeletedAsync"/>);</item>
/// <item>counselling relations (regular-client marks), notifications of the client and the counsellors' notifications
/// about the client's appointments and threads;</item>
/// <item>the client row and the Identity user with roles, claims, logins and tokens.</item>
/// </list>
/// Rows that other parts of Lotse add for a user and that reference the Identity user cascade with it in the database.
/// </summary>
public sealed class DeleteClientData(LotseDb db, NotificationOutbox outbox, TimeProvider clock, Security.SessionRevocations revocations, Infrastructure.ChangeStamps changes, ILogger<DeleteClientData> logger)
{
    /// <param name="inactiveBefore">
    /// Retention: delete only if the client is still anonymous and was last active before this instant, checked under the
    /// same lock as the deletion, so that a person signing in at that moment keeps their account.
    /// </param>
    public async Task<ClientDeletion> DeleteAsync(Guid clientId, DateTime? inactiveBefore, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(ct => DeleteInTransactionAsync(clientId, inactiveBefore, ct), cancellationToken);
        if (result is ClientDeleted deleted)
        {
            // Ids only, never a nickname: the log must not outlive the account with the person's name in it.
            logger.LogInformation("Client account deleted ({Reason}); {Appointments} upcoming appointment(s) cancelled.", inactiveBefore is null ? "by the client" : "retention", deleted.CancelledAppointments);
        }

        return result;
    }

    /// <summary>Mail threads with their messages and the notifications that point to them. The caller holds the transaction.</summary>
    internal static async Task<int> DeleteMailThreadsAsync(LotseDb db, IQueryable<MailThread> threads, CancellationToken cancellationToken)
    {
        await db.Notifications.Where(n => threads.Any(t => t.Id == n.MailThreadId)).ExecuteDeleteAsync(cancellationToken);
        await db.MailMessages.Where(m => threads.Any(t => t.Id == m.ThreadId)).ExecuteDeleteAsync(cancellationToken);
        return await threads.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Chat conversations with their messages. The caller holds the transaction.</summary>
    internal static async Task<int> DeleteConversationsAsync(LotseDb db, IQueryable<Conversation> conversations, CancellationToken cancellationToken)
    {
        await db.ChatMessages.Where(m => conversations.Any(c => c.Id == m.ConversationId)).ExecuteDeleteAsync(cancellationToken);
        return await conversations.ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<ClientDeletion> DeleteInTransactionAsync(Guid clientId, DateTime? inactiveBefore, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The client's row is locked first (PostgreSQL; SQLite's IMMEDIATE transaction excludes every other writer): a
        // message, booking or chat written at this moment either committed before, and is deleted with the rest, or waits
        // and then fails, because the client it refers to is gone.
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Clients\" WHERE \"Id\" = {clientId} FOR UPDATE", cancellationToken);
        }

        var client = await db.Clients.AsNoTracking()
            .Where(c => c.Id == clientId)
            .Select(c => new { c.UserId, c.LastActiveUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (client is null)
        {
            return new ClientNotFound();
        }

        var userId = client.UserId;
        if (inactiveBefore is { } cutoff)
        {
            var hasEmail = await db.Users.AnyAsync(u => u.Id == userId && u.Email != null && u.Email != "", cancellationToken);
            if (hasEmail || client.LastActiveUtc >= cutoff)
            {
                return new ClientNoLongerDue();
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = await db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == clientId && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed) && a.EndUtc > now)
            .Select(a => a.CounsellorId)
            .ToListAsync(cancellationToken);
        foreach (var counsellorId in upcoming)
        {
            await outbox.AddAccountDeletedAsync(counsellorId, cancellationToken);
        }

        var appointments = db.Appointments.Where(a => a.ClientId == clientId);
        await db.Notifications
            .Where(n => n.UserId == userId || appointments.Any(a => a.Id == n.AppointmentId))
            .ExecuteDeleteAsync(cancellationToken);
        await DeleteMailThreadsAsync(db, db.MailThreads.Where(t => t.ClientId == clientId), cancellationToken);
        await DeleteConversationsAsync(db, db.Conversations.Where(c => c.ClientId == clientId), cancellationToken);
        await appointments.ExecuteDeleteAsync(cancellationToken);
        await db.CounsellingRelations.Where(r => r.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        await db.Clients.Where(c => c.Id == clientId).ExecuteDeleteAsync(cancellationToken);

        await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.AgencyMemberships.Where(m => m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);

        // The counsellors' notifications (added above, tracked) are saved with the deletion, never without it.
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Their sessions went with the user row (cascade); this closes their open pages' live connections on every
        // instance at once and forgets cached session checks.
        await revocations.RevokeUserAsync(userId, cancellationToken);
        // The bulk deletes above passed no change tracker: the client's name leaves counsellors' cached dashboards now.
        await changes.ChangedEverywhereAsync();
        return new ClientDeleted(upcoming.Count);
    }
}
