using System.Runtime.CompilerServices;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Encrypts the columns marked <c>IsCounsellingContent</c> when an entity is saved and decrypts them when an entity is
/// read, so that handlers and pages work with plaintext and the database only ever holds ciphertext.
/// <para>
/// One instance serves every app in the process and holds no key: EF Core caches the model (and with it any value
/// converter) per context type for the whole process, while each app (each database) has a key ring of its own. So the
/// protector is looked up per context instance, in the services of the app that made the context.
/// </para>
/// <para>
/// While <c>SaveChanges</c> runs the tracked entity holds the ciphertext; afterwards (saved, failed or cancelled) it holds
/// the plaintext again, and a saved value counts as unchanged, so that the next save does not write it again.
/// </para>
/// </summary>
public sealed class ContentEncryptionInterceptor : ISaveChangesInterceptor, IMaterializationInterceptor
{
    public static readonly ContentEncryptionInterceptor Instance = new();

    private readonly ConditionalWeakTable<DbContext, List<Pending>> _saving = [];

    private ContentEncryptionInterceptor()
    {
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Encrypt(eventData?.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Encrypt(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Restore(eventData?.Context, saved: true);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Restore(eventData?.Context, saved: true);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Restore(eventData?.Context, saved: false);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData?.Context, saved: false);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Restore(eventData?.Context, saved: false);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Restore(eventData?.Context, saved: false);
        return Task.CompletedTask;
    }

    /// <summary>Decrypts the protected properties of an entity just read (tracked or not), before anyone sees it.</summary>
    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        var properties = materializationData.EntityType.GetProperties().Where(p => p.IsCounsellingContent()).ToList();
        if (properties.Count == 0)
        {
            return entity;
        }

        var content = ContentOf(materializationData.Context);
        foreach (var property in properties)
        {
            if (property.PropertyInfo?.GetValue(entity) is string stored)
            {
                property.PropertyInfo.SetValue(entity, content.Reveal(stored));
            }
        }

        return entity;
    }

    private void Encrypt(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Entities change through domain methods, not through EF: make sure EF knows what changed before looking.
        context.ChangeTracker.DetectChanges();
        var pending = new List<Pending>();
        CounsellingContent? content = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (!property.Metadata.IsCounsellingContent()
                    || (entry.State == EntityState.Modified && !property.IsModified)
                    || property.CurrentValue is not string plaintext)
                {
                    continue;
                }

                content ??= ContentOf(context);
                pending.Add(new Pending(property, plaintext));
                property.CurrentValue = content.Protect(plaintext);
            }
        }

        if (pending.Count > 0)
        {
            _saving.AddOrUpdate(context, pending);
        }
    }

    private void Restore(DbContext? context, bool saved)
    {
        if (context is null || !_saving.TryGetValue(context, out var pending))
        {
            return;
        }

        _saving.Remove(context);
        foreach (var (property, plaintext) in pending)
        {
            if (property.EntityEntry.State == EntityState.Detached)
            {
                continue;
            }

            var wasModified = property.IsModified;
            property.CurrentValue = plaintext;
            if (saved)
            {
                // Stored: the plaintext is what the database holds now, not a change still to be written.
                property.OriginalValue = plaintext;
                property.IsModified = false;
            }
            else
            {
                property.IsModified = wasModified;
            }
        }
    }

    /// <summary>The protector of the app that made this context (its services, its key ring).</summary>
    private static CounsellingContent ContentOf(DbContext context)
    {
        var services = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider
            ?? throw new InvalidOperationException("LotseDb reads and writes counselling content only when made by the app's services (AddLotseData).");
        return services.GetRequiredService<CounsellingContent>();
    }

    private sealed record Pending(PropertyEntry Property, string Plaintext);
}
