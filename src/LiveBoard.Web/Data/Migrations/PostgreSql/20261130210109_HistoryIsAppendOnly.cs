using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations.PostgreSql
{
    /// <summary>
    /// History is evidence: revisions, the audit and published rankings refuse UPDATE, DELETE and TRUNCATE in the
    /// database itself, whichever instance or tool connects (LiveBoardDbContext refuses them in code too).
    /// </summary>
    public partial class HistoryIsAppendOnly : Migration
    {
        private static readonly string[] Tables = ["FigureRevisions", "AuditEvents", "PublishedRankings", "PublishedRankingEntries"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION liveboard_refuse_history_edit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
                END
                $$;
                """);
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
            migrationBuilder.Sql("DROP FUNCTION liveboard_refuse_history_edit();");
        }
    }
}
