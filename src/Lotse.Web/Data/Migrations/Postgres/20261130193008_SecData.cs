using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lotse.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SecData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CreatedUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "LastActiveUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            SecDataMigrationSql.BackfillClientActivity(migrationBuilder);

            migrationBuilder.AddColumn<int>(
                name: "ClosedConversationDays",
                table: "Agencies",
                type: "integer",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<int>(
                name: "InactiveClientDays",
                table: "Agencies",
                type: "integer",
                nullable: false,
                defaultValue: 180);

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_AgencyId_ClosedUtc",
                table: "MailThreads",
                columns: new[] { "AgencyId", "ClosedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_ClosedUtc",
                table: "Conversations",
                column: "ClosedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Clients_LastActiveUtc",
                table: "Clients",
                column: "LastActiveUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MailThreads_AgencyId_ClosedUtc",
                table: "MailThreads");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_ClosedUtc",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Clients_LastActiveUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "CreatedUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "LastActiveUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "ClosedConversationDays",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "InactiveClientDays",
                table: "Agencies");
        }
    }
}
