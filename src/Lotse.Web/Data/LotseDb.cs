using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Lotse.Web.Data;

/// <summary>
/// The one database context. Each provider has a subclass only so that it can own its migrations set
/// (<see cref="SqliteLotseDb"/>, <see cref="PostgresLotseDb"/>); the model is the same.
/// </summary>
public abstract class LotseDb(DbContextOptions options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<AgencyMembership> AgencyMemberships => Set<AgencyMembership>();

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

    /// <summary>
    /// Serialises changes to one counsellor's schedule (absences; later bookings and mail routing) inside the
    /// current transaction. PostgreSQL locks the counsellor's row; SQLite needs nothing more, because its
    /// transactions begin IMMEDIATE and so already exclude every other writer.
    /// </summary>
    public async Task LockCounsellorAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Lock a counsellor only inside a transaction.");
        }

        if (Database.IsNpgsql())
        {
            await Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"Counsellors\" WHERE \"Id\" = {counsellorId} FOR UPDATE", cancellationToken);
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
