using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lotse.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AgencySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CancelCutoffHours",
                table: "Agencies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedForNewRequestsUtc",
                table: "Agencies",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosedMessage",
                table: "Agencies",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ClosedPointerAgencyId",
                table: "Agencies",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MinimumNoticeHours",
                table: "Agencies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "Agencies",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "Berlin");

            migrationBuilder.AddColumn<string>(
                name: "Support_Address",
                table: "Agencies",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Support_Email",
                table: "Agencies",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Support_Hours",
                table: "Agencies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Support_Name",
                table: "Agencies",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Support_Phone",
                table: "Agencies",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AgencyClosingDays",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgencyClosingDays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AgencyClosingDays_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Agencies_ClosedPointerAgencyId",
                table: "Agencies",
                column: "ClosedPointerAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_AgencyClosingDays_AgencyId_Date",
                table: "AgencyClosingDays",
                columns: new[] { "AgencyId", "Date" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Agencies_Agencies_ClosedPointerAgencyId",
                table: "Agencies",
                column: "ClosedPointerAgencyId",
                principalTable: "Agencies",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Agencies_Agencies_ClosedPointerAgencyId",
                table: "Agencies");

            migrationBuilder.DropTable(
                name: "AgencyClosingDays");

            migrationBuilder.DropIndex(
                name: "IX_Agencies_ClosedPointerAgencyId",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "CancelCutoffHours",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "ClosedForNewRequestsUtc",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "ClosedMessage",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "ClosedPointerAgencyId",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "MinimumNoticeHours",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "State",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "Support_Address",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "Support_Email",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "Support_Hours",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "Support_Name",
                table: "Agencies");

            migrationBuilder.DropColumn(
                name: "Support_Phone",
                table: "Agencies");
        }
    }
}
