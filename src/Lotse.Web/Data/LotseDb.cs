using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Lotse.Web.Data;

/// <summary>
/// The one database context. Each provider has a subclass only so that it can own its migrations set
/// (<see cref="SqliteLotseDb"/>, <see cref="PostgresLotseDb"/>); the model is the same.
/// </summary>
public abstract class LotseDb(DbContextOptions options) : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring (Features/Security/KeyRingSetup): shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<AgencyMembership> AgencyMemberships => Set<AgencyMembership>();

    public DbSet<AgencyClosingDay> AgencyClosingDays => Set<AgencyClosingDay>();
    public DbSet<CounsellorInvitation> CounsellorInvitations => Set<CounsellorInvitation>();

    public DbSet<Counsellor> Counsellors => Set<Counsellor>();

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<CounsellingRelation> CounsellingRelations => Set<CounsellingRelation>();

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<Absence> Absences => Set<Absence>();

    public DbSet<BookingHours> BookingHours => Set<BookingHours>();

    public DbSet<BookingBlock> BookingBlocks => Set<BookingBlock>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();

    public DbSet<MailThread> MailThreads => Set<MailThread>();

    public DbSet<MailMessage> MailMessages => Set<MailMessage>();

    public DbSet<Features.Security.UserSession> UserSessions => Set<Features.Security.UserSession>();

    public DbSet<Features.Security.AccountSecurity> AccountSecurity => Set<Features.Security.AccountSecurity>();

    /// <summary>Records that the counsellor counsels the client (decision 3), once; the caller saves.</summary>
    public async Task EnsureRelationAsync(Guid counsellorId, Guid clientId, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (!await CounsellingRelations.AnyAsync(r => r.CounsellorId == counsellorId && r.ClientId == clientId, cancellationToken)
            && !CounsellingRelations.Local.Any(r => r.CounsellorId == counsellorId && r.ClientId == clientId))
        {
            CounsellingRelations.Add(new CounsellingRelation(counsellorId, clientId, nowUtc));
        }
    }

    /// <summary>
    /// Serialises changes to one counsellor's schedule (absences, bookings, mail routing) inside the
    /// current transaction. PostgreSQL locks the counsellor's row; SQLite needs nothing more, because its
    /// transactions begin IMMEDIATE and so already exclude every other writer.
    /// </summary>
    public Task LockCounsellorAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        LockCounsellorsAsync([counsellorId], cancellationToken);

    /// <summary>
    /// Locks several counsellors at once (a request to an agency weighs all of its counsellors), always in id order,
    /// so that two transactions locking overlapping sets cannot deadlock. <c>FOR NO KEY UPDATE</c>, not <c>FOR UPDATE</c>:
    /// it excludes every other lock of the same counsellor (and any change of their row), but not the key-share lock
    /// with which PostgreSQL checks a foreign key, so a thread or booking of another transaction that merely names a
    /// locked counsellor (a fallback) neither waits for this one nor deadlocks with it (decision 18).
    /// </summary>
    public Task LockCounsellorsAsync(IReadOnlyCollection<Guid> counsellorIds, CancellationToken cancellationToken) =>
        LockInIdOrderAsync("SELECT 1 FROM \"Counsellors\" WHERE \"Id\" = ANY({0}) ORDER BY \"Id\" FOR NO KEY UPDATE", counsellorIds, cancellationToken);

    /// <summary>
    /// Locks conversations, in id order, for storing their messages (<c>StoreChatMessages</c>): two batches with conversations
    /// in common store one after the other, and cannot deadlock. SQLite's IMMEDIATE transactions need nothing more.
    /// </summary>
    public Task LockConversationsAsync(IReadOnlyCollection<Guid> conversationIds, CancellationToken cancellationToken) =>
        LockInIdOrderAsync("SELECT 1 FROM \"Conversations\" WHERE \"Id\" = ANY({0}) ORDER BY \"Id\" FOR NO KEY UPDATE", conversationIds, cancellationToken);

    /// <summary>Runs one of the row locks above (a constant, never input) with the ids, ordered, as its one parameter.</summary>
    private async Task LockInIdOrderAsync(string lockSql, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Lock rows only inside a transaction.");
        }

        if (Database.IsNpgsql())
        {
            await Database.ExecuteSqlRawAsync(lockSql, [ids.Distinct().Order().ToArray()], cancellationToken);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every instant is UTC in the database; SQLite would hand it back as Unspecified without this.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LotseDb).Assembly);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteLotseDb(DbContextOptions<SqliteLotseDb> options) : LotseDb(options);

public sealed class PostgresLotseDb(DbContextOptions<PostgresLotseDb> options) : LotseDb(options);
