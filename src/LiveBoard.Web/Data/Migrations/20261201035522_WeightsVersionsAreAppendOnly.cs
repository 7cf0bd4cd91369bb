using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <summary>
    /// The versions of a campaign's weights and targets are a record like the audit (a publication names the version it
    /// was computed with): the database refuses UPDATE and DELETE of them, as for the tables in AppendOnlyAuditTables.
    /// </summary>
    public partial class WeightsVersionsAreAppendOnly : Migration
    {
        public static readonly string[] Tables = ["WeightsVersions"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite") return;
            foreach (var table in Tables)
                foreach (var action in new[] { "UPDATE", "DELETE" })
                    migrationBuilder.Sql($"""
                        CREATE TRIGGER "{table}_no_{action.ToLowerInvariant()}" BEFORE {action} ON "{table}"
                        BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END;
                        """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite") return;
            foreach (var table in Tables)
                foreach (var action in new[] { "update", "delete" })
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_no_{action}\";");
        }
    }
}
