using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class IndicatorDistrictTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DistrictTargets",
                table: "Indicators",
                type: "text",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DistrictTargets",
                table: "Indicators");
        }
    }
}
