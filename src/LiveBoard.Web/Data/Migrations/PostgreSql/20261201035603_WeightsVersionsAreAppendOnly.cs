using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations.PostgreSql
{
    /// <summary>
    /// The versions of a campaign's weights and targets are a record like the audit (a publication names the version it
    /// was computed with): they refuse UPDATE, DELETE and TRUNCATE with the function HistoryIsAppendOnly made.
    /// </summary>
    public partial class WeightsVersionsAreAppendOnly : Migration
    {
        public static readonly string[] Tables = ["WeightsVersions"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}"
                        FOR EACH ROW EXECUTE FUNCTION liveboard_refuse_history_edit();
                    CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}"
                        FOR EACH STATEMENT EXECUTE FUNCTION liveboard_refuse_history_edit();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER "{table}_append_only" ON "{table}";
                    DROP TRIGGER "{table}_no_truncate" ON "{table}";
                    """);
            }
        }
    }
}
