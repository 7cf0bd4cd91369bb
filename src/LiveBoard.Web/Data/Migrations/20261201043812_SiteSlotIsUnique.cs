using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteSlotIsUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sites_TouringGroupId",
                table: "Sites");

            migrationBuilder.CreateIndex(
                name: "IX_Sites_TouringGroupId_Day_RouteOrder",
                table: "Sites",
                columns: new[] { "TouringGroupId", "Day", "RouteOrder" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sites_TouringGroupId_Day_RouteOrder",
                table: "Sites");

            migrationBuilder.CreateIndex(
                name: "IX_Sites_TouringGroupId",
                table: "Sites",
                column: "TouringGroupId");
        }
    }
}
