using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>Reads the audit table as it is stored, for the audit tests of every test base.</summary>
internal static class AuditTestSupport
{
    public static async Task<List<AuditEntry>> EntriesAsync(IServiceProvider services, AuditAction? action = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var entries = await db.AuditEntries().AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        return action is { } kind ? entries.Where(e => e.Action == kind).ToList() : entries;
    }

    /// <summary>The one entry of this kind; fails with every entry listed when there is none or more than one.</summary>
    public static async Task<AuditEntry> SingleAsync(IServiceProvider services, AuditAction action)
    {
        var all = await EntriesAsync(services);
        var matching = all.Where(e => e.Action == action).ToList();
        Assert.True(matching.Count == 1, $"Expected one {action} entry, found {matching.Count}. All: {string.Join(", ", all.Select(e => $"{e.Action}({e.Details})"))}");
        return matching[0];
    }

    /// <summary>
    /// Makes every further audit insert fail (a trigger the test adds), to show that a change whose entry cannot be
    /// written is not saved either.
    /// </summary>
    public static async Task RefuseInsertsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: audit insert refused'; END $$;");
            await db.Database.ExecuteSqlRawAsync($"CREATE TRIGGER \"Test_RefuseInsert\" BEFORE INSERT ON \"{AuditLogSchema.Table}\" FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync($"CREATE TRIGGER \"Test_RefuseInsert\" BEFORE INSERT ON \"{AuditLogSchema.Table}\" BEGIN SELECT RAISE(ABORT, 'test: audit insert refused'); END;");
        }
    }

    /// <summary>Every text column of every entry, joined: what a content check searches.</summary>
    public static async Task<string> EverythingStoredAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{AuditLogSchema.Table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
