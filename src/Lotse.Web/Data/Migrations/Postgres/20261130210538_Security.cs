using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lotse.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Subject",
                table: "MailThreads",
                type: "character varying(728)",
                maxLength: 728,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(600)",
                oldMaxLength: 600);

            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "MailMessages",
                type: "character varying(80128)",
                maxLength: 80128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(80000)",
                oldMaxLength: 80000);

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

            // Existing clients count as active now, not since year 1 (the retention job would delete them all).
            SecDataMigrationSql.BackfillClientActivity(migrationBuilder);

            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "ChatMessages",
                type: "character varying(16128)",
                maxLength: 16128,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16000)",
                oldMaxLength: 16000);

            migrationBuilder.AlterColumn<string>(
                name: "Topic",
                table: "Appointments",
                type: "character varying(928)",
                maxLength: 928,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "DeclineReason",
                table: "Appointments",
                type: "character varying(2128)",
                maxLength: 2128,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

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

            migrationBuilder.CreateTable(
                name: "AccountSecurity",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    LastTotpStep = table.Column<long>(type: "bigint", nullable: true),
                    RecoveryCodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DisabledUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    IsStaff = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<int>(type: "integer", nullable: true)
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

            migrationBuilder.AlterColumn<string>(
                name: "Subject",
                table: "MailThreads",
                type: "character varying(600)",
                maxLength: 600,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(728)",
                oldMaxLength: 728);

            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "MailMessages",
                type: "character varying(80000)",
                maxLength: 80000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(80128)",
                oldMaxLength: 80128);

            migrationBuilder.AlterColumn<string>(
                name: "Body",
                table: "ChatMessages",
                type: "character varying(16000)",
                maxLength: 16000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16128)",
                oldMaxLength: 16128);

            migrationBuilder.AlterColumn<string>(
                name: "Topic",
                table: "Appointments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(928)",
                oldMaxLength: 928,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "DeclineReason",
                table: "Appointments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(2128)",
                oldMaxLength: 2128,
                oldNullable: true);
        }
    }
}
