using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Npgsql;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>On PostgreSQL the database itself keeps history append-only, whoever connects (psql, a script, another tool).</summary>
public sealed class PostgreSqlHistoryTests
{
    [ScaleOutFact]
    public async Task Revisions_audit_published_rankings_and_weights_versions_refuse_update_delete_and_truncate_and_keep_their_rows()
    {
        await using var host = new LiveBoardHost(provider: DatabaseProvider.PostgreSQL);
        host.Start();
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();

        // Writing new history stays possible (and gives the audit a row to protect).
        await using var insert = new NpgsqlCommand(
            "INSERT INTO \"AuditEvents\" (\"At\", \"Kind\", \"UserName\", \"Channel\", \"Detail\") VALUES (0, 'probe', 'test', 'test', '')", connection);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        await using var weights = new NpgsqlCommand(
            "INSERT INTO \"WeightsVersions\" (\"CampaignId\", \"Version\", \"ChangedAt\", \"ChangedBy\", \"Reason\", \"Weights\") " +
            "SELECT \"Id\", 2, 0, 'test', 'probe', '{}' FROM \"Campaigns\" LIMIT 1", connection);
        Assert.Equal(1, await weights.ExecuteNonQueryAsync());

        await AssertAppendOnlyAsync(connection, [.. HistoryTables, "WeightsVersions"]);
    }

    private static readonly string[] HistoryTables = ["FigureRevisions", "AuditEvents", "PublishedRankings", "PublishedRankingEntries"];

    /// <summary>Each table has rows, and UPDATE, DELETE and TRUNCATE of them are refused by the database, leaving them all.</summary>
    internal static async Task AssertAppendOnlyAsync(NpgsqlConnection connection, IReadOnlyList<string>? tables = null)
    {
        foreach (var table in tables ?? HistoryTables)
        {
            var before = await CountAsync(connection, table);
            Assert.True(before > 0, $"there are {table} rows to protect");
            foreach (var statement in new[] { $"UPDATE \"{table}\" SET \"Id\" = \"Id\"", $"DELETE FROM \"{table}\"", $"TRUNCATE \"{table}\" CASCADE" })
            {
                await using var command = new NpgsqlCommand(statement, connection);
                var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
            }
            Assert.Equal(before, await CountAsync(connection, table));
        }
    }

    internal static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
