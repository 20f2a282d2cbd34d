using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lotse.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationIndexWithoutLastMessage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_CounsellorId_LastMessageUtc",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_CounsellorId",
                table: "Conversations",
                column: "CounsellorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_CounsellorId",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_CounsellorId_LastMessageUtc",
                table: "Conversations",
                columns: new[] { "CounsellorId", "LastMessageUtc" });
        }
    }
}
