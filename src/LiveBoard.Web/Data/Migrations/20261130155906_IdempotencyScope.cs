using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotencyRecords_UserName_Key",
                table: "IdempotencyRecords");

            migrationBuilder.AddColumn<string>(
                name: "Scope",
                table: "IdempotencyRecords",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Keys kept before scopes existed came from reports or scores; their stored answers tell which.
            migrationBuilder.Sql("UPDATE \"IdempotencyRecords\" SET \"Scope\" = CASE WHEN \"Response\" LIKE '{\"site\":%' THEN 'scores' ELSE 'reports' END;");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_UserName_Key_Scope",
                table: "IdempotencyRecords",
                columns: new[] { "UserName", "Key", "Scope" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IdempotencyRecords_UserName_Key_Scope",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "Scope",
                table: "IdempotencyRecords");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_UserName_Key",
                table: "IdempotencyRecords",
                columns: new[] { "UserName", "Key" },
                unique: true);
        }
    }
}
