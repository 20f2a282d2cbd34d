using Lotse.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Lotse.Web.Data;

/// <summary>
/// The audit table. No foreign keys on purpose: deleting a user (account deletion, retention) must not cascade into the
/// log, which the database refuses to change, and the log must outlive what it is about.
/// </summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable(AuditLogSchema.Table);
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.ActorUserId).HasMaxLength(450);
        b.Property(x => x.ActorDisplay).HasMaxLength(AuditEntry.MaxDisplayLength);
        b.Property(x => x.ActorRole).HasMaxLength(20);
        b.Property(x => x.Action).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.TargetType).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.TargetId).HasMaxLength(64);
        b.Property(x => x.Details).HasMaxLength(AuditEntry.MaxDetailsLength);
        // The admin page: an agency's entries newest first, a person's entries, one kind of entry.
        b.HasIndex(x => new { x.AgencyId, x.OccurredUtc });
        b.HasIndex(x => new { x.ActorUserId, x.OccurredUtc });
        b.HasIndex(x => x.OccurredUtc);
    }
}

/// <summary>
/// The raw SQL that makes the audit table append-only: triggers that refuse UPDATE and DELETE (and TRUNCATE on
/// PostgreSQL) whoever asks, the app included. Kept here, not inside a migration, so that a regenerated migration can
/// call <see cref="CreateTriggers"/> again. A later migration that rebuilds the table on SQLite (a table rebuild drops
/// its triggers) must call it again too.
/// </summary>
public static class AuditLogSchema
{
    public const string Table = "AuditEntries";

    /// <summary>The message both databases answer a change with; tests look for it.</summary>
    public const string RefusalMessage = "audit log is append-only";

    public static void CreateTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var statement in CreateStatements(migrationBuilder.ActiveProvider))
        {
            migrationBuilder.Sql(statement);
        }
    }

    public static void DropTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var statement in DropStatements(migrationBuilder.ActiveProvider))
        {
            migrationBuilder.Sql(statement);
        }
    }

    public static IReadOnlyList<string> CreateStatements(string? provider) => IsPostgres(provider)
        ? [
            $"""
            CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{RefusalMessage}' USING ERRCODE = 'insufficient_privilege';
            END
            $$;
            """,
            $"""CREATE TRIGGER "AuditEntries_NoUpdateDelete" BEFORE UPDATE OR DELETE ON "{Table}" FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();""",
            $"""CREATE TRIGGER "AuditEntries_NoTruncate" BEFORE TRUNCATE ON "{Table}" FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();""",
        ]
        : [
            $"""CREATE TRIGGER "AuditEntries_NoUpdate" BEFORE UPDATE ON "{Table}" BEGIN SELECT RAISE(ABORT, '{RefusalMessage}'); END;""",
            $"""CREATE TRIGGER "AuditEntries_NoDelete" BEFORE DELETE ON "{Table}" BEGIN SELECT RAISE(ABORT, '{RefusalMessage}'); END;""",
        ];

    public static IReadOnlyList<string> DropStatements(string? provider) => IsPostgres(provider)
        ? [
            $"""DROP TRIGGER IF EXISTS "AuditEntries_NoTruncate" ON "{Table}";""",
            $"""DROP TRIGGER IF EXISTS "AuditEntries_NoUpdateDelete" ON "{Table}";""",
            "DROP FUNCTION IF EXISTS audit_entries_append_only();",
        ]
        : [
            """DROP TRIGGER IF EXISTS "AuditEntries_NoUpdate";""",
            """DROP TRIGGER IF EXISTS "AuditEntries_NoDelete";""",
        ];

    private static bool IsPostgres(string? provider) =>
        provider?.Contains("Npgsql", StringComparison.Ordinal) == true
            ? true
            : provider?.Contains("Sqlite", StringComparison.Ordinal) == true
                ? false
                : throw new NotSupportedException($"No audit triggers for provider '{provider}'.");
}

/// <summary>The audit table without a property on the shared <see cref="LotseDb"/> (fewer merge conflicts).</summary>
public static class AuditDbExtensions
{
    public static DbSet<AuditEntry> AuditEntries(this LotseDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<AuditEntry>();
    }
}
