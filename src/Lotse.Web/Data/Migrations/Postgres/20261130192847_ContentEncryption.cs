using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lotse.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContentEncryption : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

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
