using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveBoard.Web.Data.Migrations
{
    /// <summary>
    /// The audit and revision tables are append-only in the database itself, not only in the code: a trigger refuses
    /// every UPDATE and DELETE, whoever runs it (the app, a script, someone at a sqlite3 prompt). SQLite only; the
    /// PostgreSQL equivalents belong with that provider's migrations.
    /// </summary>
    public partial class AppendOnlyAuditTables : Migration
    {
        public static readonly string[] Tables = ["AuditEvents", "FigureRevisions", "PublishedRankings", "PublishedRankingEntries"];

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
