using System.Data.Common;
using System.Runtime.CompilerServices;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Audit;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Lotse.Web.Features.Security;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lotse.Web.Data;

/// <summary>
/// Tells <see cref="ChangeStamps"/> whose pages a saved change can alter, once it is committed: right after
/// <c>SaveChanges</c>, or at the commit of the transaction it ran in (a rolled-back one tells nothing). Bulk statements
/// (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, SQL) pass no change tracker; the code that runs them on data a cached page
/// shows marks the change itself (<c>Privacy/DeleteClientData</c>), and a test keeps the list of such places reviewed.
/// </summary>
public sealed class ChangeInterceptor(ChangeStamps stamps) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _saving = [];
    private readonly ConditionalWeakTable<DbTransaction, HashSet<string>> _committing = [];

    /// <summary>The keys one changed entity moves (<see cref="ChangeStamps"/>); what no cached page shows moves none.</summary>
    public static void AddKeys(EntityEntry entry, ISet<string> keys)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(keys);
        switch (entry.Entity)
        {
            case Appointment a:
                keys.Add(ChangeStamps.CounsellorKey(a.CounsellorId));
                break;
            case Absence a:
                keys.Add(ChangeStamps.CounsellorKey(a.CounsellorId));
                break;
            case Counsellor c:
                keys.Add(ChangeStamps.CounsellorKey(c.Id));
                keys.Add(ChangeStamps.UserKey(c.UserId));
                break;
            case Notification n:
                keys.Add(ChangeStamps.UserKey(n.UserId));
                break;
            case IdentityUser u:
                keys.Add(ChangeStamps.UserKey(u.Id));
                break;
            case IdentityUserRole<string> r:
                keys.Add(ChangeStamps.UserKey(r.UserId));
                break;
            case IdentityUserClaim<string> c:
                keys.Add(ChangeStamps.UserKey(c.UserId));
                break;
            case IdentityUserLogin<string> l:
                keys.Add(ChangeStamps.UserKey(l.UserId));
                break;
            case IdentityUserToken<string> t:
                keys.Add(ChangeStamps.UserKey(t.UserId));
                break;
            case AccountSecurity s:
                keys.Add(ChangeStamps.UserKey(s.UserId));
                break;
            case Client when entry.State == EntityState.Added:
                // A new client is on nobody's page yet; a changed or deleted one may be (names on appointments).
                break;
            case UserSession or Conversation or ChatMessage or MailThread or MailMessage or CounsellingRelation or BookingHours
                or BookingBlock or AgencyClosingDay or CounsellorInvitation or AuditEntry or DataProtectionKey:
                // Not shown on a cached page (the dashboard); sessions are checked apart (UserSessions).
                break;
            default:
                // Agencies, memberships, roles, changed clients and whatever is added later: rare, so everyone's.
                keys.Add(ChangeStamps.Everything);
                break;
        }
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData?.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData?.Context).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await Saved(eventData?.Context);
        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData?.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData?.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData?.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData?.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(transaction).GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Committed(transaction);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _committing.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _committing.Remove(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => _committing.Remove(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _committing.Remove(transaction);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                AddKeys(entry, keys);
            }
        }

        if (keys.Count == 0)
        {
            // The common case on the busy paths (chat, mail): nothing a cached page shows.
            _saving.Remove(context);
            return;
        }

        _saving.AddOrUpdate(context, keys);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _saving.Remove(context);
        }
    }

    private Task Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var keys))
        {
            return Task.CompletedTask;
        }

        _saving.Remove(context);

        // Inside the caller's transaction: nobody else sees the change before the commit, so it is marked then.
        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            var pending = _committing.GetValue(transaction, _ => new HashSet<string>(StringComparer.Ordinal));
            lock (pending)
            {
                pending.UnionWith(keys);
            }

            return Task.CompletedTask;
        }

        return stamps.ChangedAsync(keys);
    }

    private Task Committed(DbTransaction transaction)
    {
        if (!_committing.TryGetValue(transaction, out var keys))
        {
            return Task.CompletedTask;
        }

        _committing.Remove(transaction);
        return stamps.ChangedAsync(keys);
    }
}
