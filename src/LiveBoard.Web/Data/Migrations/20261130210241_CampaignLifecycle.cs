using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CampaignLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Sites",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "PlannedArrival",
                table: "Sites",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Campaigns from before the lifecycle were running: they stay current (the latest-starting one wins).
                defaultValue: "Active");

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "Asia/Shanghai");

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_Status",
                table: "Campaigns",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Campaigns_Status",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "PlannedArrival",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Campaigns");
        }
    }
}
