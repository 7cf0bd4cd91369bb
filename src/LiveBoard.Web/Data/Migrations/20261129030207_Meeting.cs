using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Meeting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "Day",
                table: "PublishedRankings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Document",
                table: "PublishedRankings",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "PublishedRankings",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "PublishedRankings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_PublishedRankings_CampaignId_Version",
                table: "PublishedRankings",
                columns: new[] { "CampaignId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PublishedRankings_CampaignId_Version",
                table: "PublishedRankings");

            migrationBuilder.DropColumn(
                name: "Day",
                table: "PublishedRankings");

            migrationBuilder.DropColumn(
                name: "Document",
                table: "PublishedRankings");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "PublishedRankings");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "PublishedRankings");
        }
    }
}
