using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Tests.Operations;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>
/// On PostgreSQL the app takes no backups of its own; docs/deploy.md gives the pg_dump/pg_restore commands instead.
/// This runs exactly those commands, read from the document (only the dump's path, the server's address and the
/// databases' names are put in), against the private cluster while the app writes, so the documentation cannot drift.
/// </summary>
public sealed partial class PostgreSqlBackupTests(ITestOutputHelper output)
{
    [ScaleOutFact]
    public async Task The_documented_pg_dump_taken_under_16_writers_restores_with_every_acknowledged_write_its_history_and_its_triggers()
    {
        var commands = DocumentedCommands();
        Assert.Collection(commands,
            c => Assert.StartsWith("pg_dump ", c, StringComparison.Ordinal),
            c => Assert.StartsWith("pg_restore --list ", c, StringComparison.Ordinal),
            c => Assert.StartsWith("dropdb ", c, StringComparison.Ordinal),
            c => Assert.StartsWith("pg_restore --dbname=", c, StringComparison.Ordinal));

        var dump = Path.ChangeExtension(TempPaths.NewDatabase(), ".dump");
        var restoredName = TestDatabase.NewPostgreSqlName();
        IReadOnlyList<WritesUnderLoad.Acknowledged> beforeDump;
        long revisionsAtEnd;
        await using (var host = new LiveBoardHost(settings: WritesUnderLoad.Settings, provider: DatabaseProvider.PostgreSQL))
        {
            var root = host.Start();
            var run = Runner(host.DatabasePath, restoredName, dump);
            using var organiser = await ApiClients.SignedInAsync(root, "organiser", "Tongliao2023");
            var writes = WritesUnderLoad.Start(organiser);
            await writes.WaitForAsync(100, "100 writes acknowledged");
            // Everything acknowledged up to here was committed before pg_dump's snapshot.
            beforeDump = writes.SoFar();
            var started = Stopwatch.GetTimestamp();
            await run(commands[0]);
            var dumpSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var duringDump = writes.Count - beforeDump.Count;
            await writes.WaitForAsync(beforeDump.Count + duringDump + 100, "100 more writes");
            await writes.StopAsync();
            await using (var db = await host.DbAsync()) revisionsAtEnd = await db.FigureRevisions.CountAsync();
            output.WriteLine($"pg_dump under {WritesUnderLoad.Writers} writers: {new FileInfo(dump).Length:N0} bytes, {dumpSeconds:0.000} s; " +
                $"{beforeDump.Count} writes acknowledged before it, {duringDump} while it ran, {writes.Count} in all");

            // "Stop every instance": the host goes, then the rest of the documented steps.
            await host.DisposeAsync();
            foreach (var command in commands.Skip(1))
            {
                started = Stopwatch.GetTimestamp();
                await run(command);
                output.WriteLine($"{command.Split(' ')[0]}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.000} s");
            }
        }

        // The app starts on the restored database (its migrations find nothing to do, the demo is not loaded again).
        await using var again = new LiveBoardHost(restoredName, WritesUnderLoad.Settings, provider: DatabaseProvider.PostgreSQL);
        var root2 = again.Start();
        await using (var restored = await again.DbAsync())
        {
            await WritesUnderLoad.AssertRestoredAsync(restored, beforeDump, revisionsAtEnd);

            // And serves them: every figure written before the dump, as the restored database holds it.
            using var client = await ApiClients.SignedInAsync(root2, "organiser", "Tongliao2023");
            var served = (await client.GetFromJsonAsync<JsonElement[]>("api/v1/figures"))!
                .ToDictionary(f => (f.GetProperty("district").GetString()!, f.GetProperty("indicator").GetString()!), f => f.GetProperty("value").GetDecimal());
            var current = await restored.Figures.AsNoTracking()
                .Join(restored.Districts, f => f.DistrictId, d => d.Id, (f, d) => new { District = d.Code, f.IndicatorId, f.Value })
                .Join(restored.Indicators, f => f.IndicatorId, i => i.Id, (f, i) => new { f.District, Indicator = i.Code, f.Value })
                .ToDictionaryAsync(f => (f.District, f.Indicator), f => f.Value);
            foreach (var figure in beforeDump.Select(a => (a.District, a.Indicator)).Distinct())
                Assert.Equal(current[figure], served[figure]);
        }

        // The triggers came along: the history is still append-only in the restored database.
        await using var connection = new NpgsqlConnection(again.ConnectionString);
        await connection.OpenAsync();
        await PostgreSqlHistoryTests.AssertAppendOnlyAsync(connection);
    }

    /// <summary>
    /// The commands of docs/deploy.md's "With PostgreSQL" block, one per line (continuations joined), without comments
    /// and without the systemctl steps (the test stops and starts its own instance).
    /// </summary>
    private static List<string> DocumentedCommands()
    {
        var doc = File.ReadAllText(Path.Combine(TempPaths.RepoRoot(), "docs", "deploy.md"));
        var section = doc[doc.IndexOf("### With PostgreSQL", StringComparison.Ordinal)..];
        var block = BashBlock().Match(section);
        Assert.True(block.Success, "docs/deploy.md: no ```bash block under \"With PostgreSQL\"");
        return block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => Regex.Replace(l.Trim(), " {2,}", " "))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("sudo ", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// Runs one documented command with bash, with PostgreSQL's tools on the PATH and the private cluster as the
    /// server; the document's example dump path, server and database names become this test's.
    /// </summary>
    private static Func<string, Task> Runner(string source, string restored, string dump)
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.PostgreSqlServer);
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!, System.Globalization.CultureInfo.InvariantCulture)).Last();
        return async command =>
        {
            var concrete = DumpPath().Replace(command, dump)
                .Replace("postgresql://liveboard@db.internal/liveboard", $"postgresql://{server.Username}@{server.Host}:{server.Port}/{source}", StringComparison.Ordinal)
                .Replace("liveboard_restored", restored, StringComparison.Ordinal);
            Assert.DoesNotContain("db.internal", concrete, StringComparison.Ordinal);
            Assert.DoesNotContain("/var/backups", concrete, StringComparison.Ordinal);
            var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", concrete])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
                Environment =
                {
                    ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
                    ["PGHOST"] = server.Host, ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PGUSER"] = server.Username,
                },
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(limit.Token);
            Assert.True(process.ExitCode == 0, $"{concrete}\nexit {process.ExitCode}\n{await stdout}\n{await stderr}");
        };
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    // The example names: liveboard-$(date …).dump when dumping, liveboard-20230730T120000Z.dump when restoring.
    [GeneratedRegex(@"/var/backups/liveboard/liveboard-(?:\$\([^)]*\)|\S*?)\.dump")]
    private static partial Regex DumpPath();
}
