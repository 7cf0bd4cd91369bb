using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Bench;

/// <summary>
/// Process start → first "/" served: on an empty database (migrations and the demo seed run) and on one holding a
/// campaign's history (the demo plus N figure revisions and N audit rows: a restart in the middle of the week). The
/// server's own log lines, stamped as the bench reads them, split the time into runtime start, migrations and seeding,
/// host start (listening) and the first page (its JIT and first render).
/// </summary>
public static class ColdStart
{
    private sealed record Start(double ReadyMs, double FirstLogMs, double MigrationsMs, double ListeningMs, double ServerCpuS);

    public static async Task RunAsync(Wave2Options options, Wave2Report report, Action<string> say)
    {
        var build = await LiveBoardServer.BuildAsync();
        var builds = new List<(string Name, string Bin)> { ("Release build", build) };
        string? published = null;
        if (options.ReadyToRun)
        {
            published = await LiveBoardServer.PublishedAsync(say);
            builds.Add(("ReadyToRun publish", published));
        }

        say($"cold start: preparing a database with {options.ColdRevisions} revisions and as many audit rows ...");
        var history = await PrepareHistoryAsync(build, options.ColdRevisions, say);
        try
        {
            var rows = new StringBuilder();
            var medians = new Dictionary<(string Build, string Db), double>();
            foreach (var (name, bin) in builds)
            {
                var empty = new List<Start>();
                var existing = new List<Start>();
                for (var run = 1; run <= options.ColdRuns; run++)
                {
                    var db = LiveBoardServer.NewDatabase();
                    empty.Add(await StartOnceAsync(bin, db, LiveBoardServer.DatabaseFiles(db)));
                    existing.Add(await StartOnceAsync(bin, history, null));
                    say($"  {name}, run {run}: empty database {Wave2Report.Ms(empty[^1].ReadyMs)} ms, with history {Wave2Report.Ms(existing[^1].ReadyMs)} ms to the first page");
                }
                foreach (var (label, starts) in new[] { ("empty database, demo seeded", empty), ($"demo + {options.ColdRevisions} revisions and audit rows", existing) })
                {
                    var ready = Distribution.Of(starts.Select(s => s.ReadyMs).ToList());
                    medians[(name, label)] = ready.P50;
                    rows.AppendLine(CultureInfo.InvariantCulture,
                        $"| {name} | {label} | {starts.Count} | {Wave2Report.Ms(Median(starts, s => s.FirstLogMs))} | {Wave2Report.Ms(Median(starts, s => s.MigrationsMs))} | " +
                        $"{Wave2Report.Ms(Median(starts, s => s.ListeningMs))} | {Wave2Report.Ms(ready.P50)} | {Wave2Report.Ms(ready.Max)} | {Median(starts, s => s.ServerCpuS):F2} |");
                }
            }
            var emptyLabel = "empty database, demo seeded";
            var fullLabel = $"demo + {options.ColdRevisions} revisions and audit rows";
            var full = medians[("Release build", fullLabel)];
            var fresh = medians[("Release build", emptyLabel)];
            report.Goal("cold start", $"process start → first `/`, existing database ({options.ColdRevisions} revisions + audit rows), median", "≤ 3 s", $"{Wave2Report.S(full / 1000)} s", full <= 3000);
            report.Goal("cold start", "process start → first `/`, empty database with the demo seed, median", "≤ 5 s", $"{Wave2Report.S(fresh / 1000)} s", fresh <= 5000);
            if (published is not null)
            {
                var r2rFull = medians[("ReadyToRun publish", fullLabel)];
                var r2rFresh = medians[("ReadyToRun publish", emptyLabel)];
                report.Goal("cold start", "… the same, ReadyToRun publish (existing / empty)", "≤ 3 s / ≤ 5 s",
                    $"{Wave2Report.S(r2rFull / 1000)} s / {Wave2Report.S(r2rFresh / 1000)} s", r2rFull <= 3000 && r2rFresh <= 5000);
            }
            report.Detail($"""
                Cold start: from `Process.Start` to the first 200 on `/` (polled every 10 ms), SIGTERM after each start. The phases are
                the times at which the bench read the server's log lines (console logger, unbuffered pipe): first line = runtime and
                host built; migrations = EF Core's migration log line (applied, or none to apply); listening = Kestrel's "Now listening".
                Medians over the runs (ms); server CPU s = the server's user + system CPU from its start to the first page.

                | build | database | runs | first log line | migrations | listening | first `/` p50 | first `/` max | server CPU s |
                |---|---|---:|---:|---:|---:|---:|---:|---:|
                {rows}
                """);
        }
        finally
        {
            foreach (var file in LiveBoardServer.DatabaseFiles(history)) File.Delete(file);
            if (published is not null) Directory.Delete(published, recursive: true);
        }
    }

    private static double Median(List<Start> starts, Func<Start, double> of) =>
        Distribution.Of(starts.Select(of).Where(v => !double.IsNaN(v)).ToList()).P50;

    private static async Task<Start> StartOnceAsync(string bin, string db, IReadOnlyList<string>? ownedFiles)
    {
        var settings = LiveBoardServer.BenchSettings();
        // The lines that mark the phases; everything else stays at Warning.
        settings["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        settings["Logging__LogLevel__Microsoft.EntityFrameworkCore.Migrations"] = "Information";
        await using var server = await LiveBoardServer.StartAsync(bin, db, ServerProcess.FreePort(), settings, ownedFiles,
            readyPath: "", poll: TimeSpan.FromMilliseconds(10));
        var cpu = server.Meter.CpuSeconds();
        var log = server.Log;
        double At(Func<string, bool> match, bool last = false) =>
            (last ? log.LastOrDefault(l => match(l.Line)) : log.FirstOrDefault(l => match(l.Line))) is { Line: not null } hit ? hit.At.TotalMilliseconds : double.NaN;
        var start = new Start(
            server.ReadyAfter.TotalMilliseconds,
            log.Count > 0 ? log[0].At.TotalMilliseconds : double.NaN,
            // The last migration line: the last one applied, or "no migrations were applied".
            At(l => l.Contains("migration", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("info:", StringComparison.Ordinal), last: true),
            At(l => l.Contains("Now listening on", StringComparison.Ordinal)),
            cpu);
        await server.StopAsync();
        return start;
    }

    /// <summary>A database with the demo campaign and a week's history: revisions through the API, audit rows by SQL.</summary>
    private static async Task<string> PrepareHistoryAsync(string bin, int revisions, Action<string> say)
    {
        var db = LiveBoardServer.NewDatabase();
        await using (var server = await LiveBoardServer.StartAsync(bin, db, ServerProcess.FreePort(), LiveBoardServer.BenchSettings()))
        {
            using var anon = LiveBoardServer.Client(server.Root);
            using var api = LiveBoardServer.Client(server.Root, await LiveBoardServer.TokenAsync(anon, "organiser"));
            var clock = Stopwatch.StartNew();
            var (perSecond, _, refused) = await WritePath.RunAsync(api, 16, TimeSpan.FromHours(1), revisions);
            if (refused > 0) throw new InvalidOperationException($"{refused} of the history's revisions were refused");
            say($"  {revisions} revisions written through the API in {clock.Elapsed.TotalSeconds:F0} s ({perSecond:F0}/s)");
            await server.StopAsync();
        }
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            // Audit rows as the week leaves them: sign-ins, exports, admin events; the kind does not matter to a start.
            insert.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
                INSERT INTO AuditEvents (At, Kind, UserName, Channel, Detail)
                SELECT (SELECT COALESCE(MAX(At), 0) FROM AuditEvents), 'login-succeeded', 'organiser', 'web', 'bench history row ' || i FROM n;
                """;
            insert.Parameters.AddWithValue("$count", revisions);
            await insert.ExecuteNonQueryAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT (SELECT COUNT(*) FROM FigureRevisions), (SELECT COUNT(*) FROM AuditEvents)";
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            say($"  the database holds {reader.GetInt64(0)} figure revisions and {reader.GetInt64(1)} audit rows");
        }
        return db;
    }
}
