using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lotse.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MailCounselling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MailThreadId",
                table: "Notifications",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PersonalFallbackId",
                table: "Counsellors",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ResponseTargetHours",
                table: "Agencies",
                type: "integer",
                nullable: false,
                defaultValue: 48); // existing agencies get the default response target of 48 hours

            migrationBuilder.CreateTable(
                name: "MailThreads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    AddressedCounsellorId = table.Column<Guid>(type: "uuid", nullable: true),
                    CounsellorId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RouteKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RouteReason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    QueueCause = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ForwardedFromId = table.Column<Guid>(type: "uuid", nullable: true),
                    RequestKey = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastMessageUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AwaitingReplySinceUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TakenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastClientMessageId = table.Column<long>(type: "bigint", nullable: false),
                    LastCounsellorMessageId = table.Column<long>(type: "bigint", nullable: false),
                    ClientReadUpTo = table.Column<long>(type: "bigint", nullable: false),
                    CounsellorReadUpTo = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailThreads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailThreads_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MailThreads_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MailThreads_Counsellors_AddressedCounsellorId",
                        column: x => x.AddressedCounsellorId,
                        principalTable: "Counsellors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MailThreads_Counsellors_CounsellorId",
                        column: x => x.CounsellorId,
                        principalTable: "Counsellors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MailThreads_Counsellors_ForwardedFromId",
                        column: x => x.ForwardedFromId,
                        principalTable: "Counsellors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "MailMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ThreadId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sender = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Body = table.Column<string>(type: "character varying(80000)", maxLength: 80000, nullable: false),
                    RequestKey = table.Column<Guid>(type: "uuid", nullable: false),
                    SentUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailMessages_MailThreads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "MailThreads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_MailThreadId",
                table: "Notifications",
                column: "MailThreadId");

            migrationBuilder.CreateIndex(
                name: "IX_Counsellors_PersonalFallbackId",
                table: "Counsellors",
                column: "PersonalFallbackId");

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_ThreadId_Id",
                table: "MailMessages",
                columns: new[] { "ThreadId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_MailMessages_ThreadId_RequestKey",
                table: "MailMessages",
                columns: new[] { "ThreadId", "RequestKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_AddressedCounsellorId",
                table: "MailThreads",
                column: "AddressedCounsellorId");

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_AgencyId_CounsellorId_CreatedUtc",
                table: "MailThreads",
                columns: new[] { "AgencyId", "CounsellorId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_ClientId_LastMessageUtc",
                table: "MailThreads",
                columns: new[] { "ClientId", "LastMessageUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_ClientId_RequestKey",
                table: "MailThreads",
                columns: new[] { "ClientId", "RequestKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_CounsellorId_State",
                table: "MailThreads",
                columns: new[] { "CounsellorId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_MailThreads_ForwardedFromId",
                table: "MailThreads",
                column: "ForwardedFromId");

            migrationBuilder.AddForeignKey(
                name: "FK_Counsellors_Counsellors_PersonalFallbackId",
                table: "Counsellors",
                column: "PersonalFallbackId",
                principalTable: "Counsellors",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Notifications_MailThreads_MailThreadId",
                table: "Notifications",
                column: "MailThreadId",
                principalTable: "MailThreads",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Counsellors_Counsellors_PersonalFallbackId",
                table: "Counsellors");

            migrationBuilder.DropForeignKey(
                name: "FK_Notifications_MailThreads_MailThreadId",
                table: "Notifications");

            migrationBuilder.DropTable(
                name: "MailMessages");

            migrationBuilder.DropTable(
                name: "MailThreads");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_MailThreadId",
                table: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Counsellors_PersonalFallbackId",
                table: "Counsellors");

            migrationBuilder.DropColumn(
                name: "MailThreadId",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "PersonalFallbackId",
                table: "Counsellors");

            migrationBuilder.DropColumn(
                name: "ResponseTargetHours",
                table: "Agencies");
        }
    }
}
