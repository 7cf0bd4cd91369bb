using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Inspection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DistrictGrades",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    DistrictId = table.Column<int>(type: "INTEGER", nullable: false),
                    IndicatorId = table.Column<int>(type: "INTEGER", nullable: false),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", nullable: false),
                    Remark = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    GradedBy = table.Column<string>(type: "TEXT", nullable: false),
                    GradedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistrictGrades", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DistrictGrades_Districts_DistrictId",
                        column: x => x.DistrictId,
                        principalTable: "Districts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DistrictGrades_Indicators_IndicatorId",
                        column: x => x.IndicatorId,
                        principalTable: "Indicators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InspectionSettings",
                columns: table => new
                {
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    StructureMax = table.Column<decimal>(type: "TEXT", nullable: false),
                    EfficiencyMax = table.Column<decimal>(type: "TEXT", nullable: false),
                    ServiceMax = table.Column<decimal>(type: "TEXT", nullable: false),
                    ResultsMax = table.Column<decimal>(type: "TEXT", nullable: false),
                    StructureWeight = table.Column<decimal>(type: "TEXT", nullable: false),
                    EfficiencyWeight = table.Column<decimal>(type: "TEXT", nullable: false),
                    ServiceWeight = table.Column<decimal>(type: "TEXT", nullable: false),
                    ResultsWeight = table.Column<decimal>(type: "TEXT", nullable: false),
                    TrimThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    InspectionWeight = table.Column<decimal>(type: "TEXT", nullable: false),
                    GradeWeight = table.Column<decimal>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InspectionSettings", x => x.CampaignId);
                    table.ForeignKey(
                        name: "FK_InspectionSettings_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScoringClosures",
                columns: table => new
                {
                    SiteId = table.Column<int>(type: "INTEGER", nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClosedBy = table.Column<string>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoringClosures", x => x.SiteId);
                    table.ForeignKey(
                        name: "FK_ScoringClosures_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SiteScoreSheets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    SiteId = table.Column<int>(type: "INTEGER", nullable: false),
                    Observer = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Structure = table.Column<decimal>(type: "TEXT", nullable: false),
                    Efficiency = table.Column<decimal>(type: "TEXT", nullable: false),
                    Service = table.Column<decimal>(type: "TEXT", nullable: false),
                    Results = table.Column<decimal>(type: "TEXT", nullable: false),
                    Gaps = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Highlights = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SiteScoreSheets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SiteScoreSheets_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SiteVisits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    SiteId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kilometres = table.Column<decimal>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SiteVisits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SiteVisits_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DistrictGrades_CampaignId_DistrictId_IndicatorId_Quarter",
                table: "DistrictGrades",
                columns: new[] { "CampaignId", "DistrictId", "IndicatorId", "Quarter" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DistrictGrades_DistrictId",
                table: "DistrictGrades",
                column: "DistrictId");

            migrationBuilder.CreateIndex(
                name: "IX_DistrictGrades_IndicatorId",
                table: "DistrictGrades",
                column: "IndicatorId");

            migrationBuilder.CreateIndex(
                name: "IX_SiteScoreSheets_SiteId_Observer",
                table: "SiteScoreSheets",
                columns: new[] { "SiteId", "Observer" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SiteVisits_SiteId",
                table: "SiteVisits",
                column: "SiteId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DistrictGrades");

            migrationBuilder.DropTable(
                name: "InspectionSettings");

            migrationBuilder.DropTable(
                name: "ScoringClosures");

            migrationBuilder.DropTable(
                name: "SiteScoreSheets");

            migrationBuilder.DropTable(
                name: "SiteVisits");
        }
    }
}
