using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Bench;

/// <summary>
/// The floor for the write path: single-row INSERT transactions straight into a SQLite file in WAL mode, with
/// the same synchronous setting LiveBoard's connections get, by the same number of concurrent writers.
/// </summary>
public static class SqliteBaseline
{
    public static async Task<(double PerSecond, Distribution Latency, long Synchronous)> RunAsync(int writers, TimeSpan duration)
    {
        var path = Path.Combine(Path.GetTempPath(), $"liveboard-bench-raw-{Guid.NewGuid():N}.db");
        var cs = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString();
        long synchronous;
        await using (var setup = new SqliteConnection(cs))
        {
            await setup.OpenAsync();
            await using var cmd = setup.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, district TEXT, indicator TEXT, value TEXT, at INTEGER);";
            await cmd.ExecuteNonQueryAsync();
            cmd.CommandText = "PRAGMA synchronous;";
            synchronous = (long)(await cmd.ExecuteScalarAsync())!;
        }

        var latencies = new List<double>();
        var count = 0;
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var conn = new SqliteConnection(cs);
            await conn.OpenAsync();
            var local = new List<double>();
            while (deadline.Elapsed < duration)
            {
                var sw = Stopwatch.StartNew();
                await using (var tx = (SqliteTransaction)await conn.BeginTransactionAsync())
                {
                    await using var cmd = conn.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO t (district, indicator, value, at) VALUES ($d, $i, $v, $a)";
                    cmd.Parameters.AddWithValue("$d", "district-" + w);
                    cmd.Parameters.AddWithValue("$i", "signed-projects");
                    cmd.Parameters.AddWithValue("$v", local.Count.ToString(CultureInfo.InvariantCulture));
                    cmd.Parameters.AddWithValue("$a", DateTime.UtcNow.Ticks);
                    await cmd.ExecuteNonQueryAsync();
                    await tx.CommitAsync();
                }
                local.Add(sw.Elapsed.TotalMilliseconds);
            }
            lock (latencies) latencies.AddRange(local);
            Interlocked.Add(ref count, local.Count);
        })));
        var seconds = deadline.Elapsed.TotalSeconds;
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        return (count / seconds, Distribution.Of(latencies), synchronous);
    }
}
