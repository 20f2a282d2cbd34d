using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lotse.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "CreatedUtc",
                table: "Clients",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "LastActiveUtc",
                table: "Clients",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Existing clients count as active now, not since year 1 (the retention job would delete them all).
            SecDataMigrationSql.BackfillClientActivity(migrationBuilder);

            migrationBuilder.AddColumn<int>(
                name: "ClosedConversationDays",
                table: "Agencies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<int>(
                name: "InactiveClientDays",
                table: "Agencies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 180);

            migrationBuilder.CreateTable(
                name: "AccountSecurity",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    LastTotpStep = table.Column<long>(type: "INTEGER", nullable: true),
                    RecoveryCodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DisabledUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountSecurity", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_AccountSecurity_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    IsStaff = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndReason = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserSessions_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_UserId_EndedUtc",
                table: "UserSessions",
                columns: new[] { "UserId", "EndedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountSecurity");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "UserSessions");

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
