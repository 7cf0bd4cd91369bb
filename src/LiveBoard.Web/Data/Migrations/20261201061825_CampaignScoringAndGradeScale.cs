using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CampaignScoringAndGradeScale : Migration
    {
        /// <inheritdoc />
        // Settings stored before keep the scheme they were computed with: one highest and lowest dropped, 好 3 · 较好 2 · 一般 1 (2.5 · 1.8).
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "AveragePoints",
                table: "InspectionSettings",
                type: "TEXT",
                nullable: false,
                defaultValue: 1m);

            migrationBuilder.AddColumn<int>(
                name: "DropHighest",
                table: "InspectionSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "DropLowest",
                table: "InspectionSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<decimal>(
                name: "FairlyGoodFrom",
                table: "InspectionSettings",
                type: "TEXT",
                nullable: false,
                defaultValue: 1.8m);

            migrationBuilder.AddColumn<decimal>(
                name: "FairlyGoodPoints",
                table: "InspectionSettings",
                type: "TEXT",
                nullable: false,
                defaultValue: 2m);

            migrationBuilder.AddColumn<decimal>(
                name: "GoodFrom",
                table: "InspectionSettings",
                type: "TEXT",
                nullable: false,
                defaultValue: 2.5m);

            migrationBuilder.AddColumn<decimal>(
                name: "GoodPoints",
                table: "InspectionSettings",
                type: "TEXT",
                nullable: false,
                defaultValue: 3m);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AveragePoints",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "DropHighest",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "DropLowest",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "FairlyGoodFrom",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "FairlyGoodPoints",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "GoodFrom",
                table: "InspectionSettings");

            migrationBuilder.DropColumn(
                name: "GoodPoints",
                table: "InspectionSettings");
        }
    }
}
