using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Lotse.Web.Data;

/// <summary>
/// Raw SQL of the sec-data migration (client activity and retention), kept apart so that a regenerated migration can call
/// it again: call <see cref="BackfillClientActivity"/> right after the columns Clients.CreatedUtc and Clients.LastActiveUtc
/// are added.
/// </summary>
public static class SecDataMigrationSql
{
    /// <summary>
    /// Clients that existed before the columns did get the migration's instant as creation and last activity. Left at the
    /// column default (year 1) they would look inactive for two thousand years, and the first retention run would delete
    /// every anonymous account: this way everyone gets a full period from the upgrade on.
    /// </summary>
    public static void BackfillClientActivity(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsNpgsql())
        {
            migrationBuilder.Sql("UPDATE \"Clients\" SET \"CreatedUtc\" = now(), \"LastActiveUtc\" = now();");
        }
        else
        {
            // EF Core's SQLite text format for DateTime, in UTC.
            migrationBuilder.Sql("UPDATE \"Clients\" SET \"CreatedUtc\" = strftime('%Y-%m-%d %H:%M:%f', 'now'), \"LastActiveUtc\" = strftime('%Y-%m-%d %H:%M:%f', 'now');");
        }
    }
}
