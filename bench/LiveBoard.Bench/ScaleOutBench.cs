using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <summary>
/// The two-instance mode (issue 13): two LiveBoard Release processes on one PostgreSQL database and one Redis, as behind a
/// load balancer, beside one instance on SQLite measured in the same run. Hub viewers are split over both instances and
/// figures are written alternately through each, so half of every viewer's events were committed on the other instance:
/// those are the cross-instance samples. Then 16 writers spread over both instances measure acknowledged writes/s.
/// PostgreSQL and Redis are the private ones of <c>scripts/scale-out-services.sh</c> (LIVEBOARD_TEST_POSTGRES, LIVEBOARD_TEST_REDIS).
/// </summary>
public static class ScaleOutBench
{
    private const string FanDistrict = "hure", FanIndicator = "signed-projects";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Number(string name, string fallback) => double.Parse(Value(name) ?? fallback, CultureInfo.InvariantCulture);
        var quick = args.Contains("--quick");
        // Only the write phases (one SQLite instance, then two on PostgreSQL): seconds per iteration on the write path.
        var writesOnly = args.Contains("--writes-only");
        var viewers = (int)Number("--viewers", quick ? "100" : "1000");
        var rate = Number("--rate", "10");
        var duration = TimeSpan.FromSeconds(Number("--duration", quick ? "3" : "60"));
        var warmUp = TimeSpan.FromSeconds(Number("--warmup", quick ? "1" : "10"));
        var writers = (int)Number("--writers", "16");
        var writeDuration = TimeSpan.FromSeconds(Number("--write-seconds", quick ? "3" : "30"));
        // Unmeasured writes before each measured write phase, in rounds of this length until the instances' JIT has settled
        // (tiered compilation goes on for tens of seconds under load), so that neither JIT nor first connections are inside it.
        var writeWarmUp = TimeSpan.FromSeconds(Number("--write-warmup", quick ? "1" : "5"));
        var warmUpRounds = (int)Number("--write-warmup-rounds", quick ? "1" : "12");
        var output = Value("--out") ?? (quick || args.Contains("--no-out") ? null : Path.Combine(LiveBoardServer.RepoRoot(), "BENCHMARKS.md"));
        var postgres = Environment.GetEnvironmentVariable("LIVEBOARD_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("LIVEBOARD_TEST_REDIS");
        if (string.IsNullOrEmpty(postgres) || string.IsNullOrEmpty(redis))
        {
            Console.Error.WriteLine("scale-out needs PostgreSQL and Redis: eval \"$(scripts/scale-out-services.sh start)\" first (and scripts/scale-out-services.sh stop after).");
            return 2;
        }
        void Say(string line) => Console.WriteLine(line);
        var options = (writesOnly ? "writes only; " : "") + $"{viewers} viewers (raw WebSocket, topics figures,status), {rate}/s for {duration.TotalSeconds} s after {warmUp.TotalSeconds} s unmeasured warm-up; " +
                      $"{writers} writers for {writeDuration.TotalSeconds} s after unmeasured rounds of {writeWarmUp.TotalSeconds} s until JIT settles (at most {warmUpRounds})";
        var loadBefore = LoadAverage();
        Say($"LiveBoard scale-out bench: {options}; load average {loadBefore}");
        var fanRows = new StringBuilder();
        var writeRows = new StringBuilder();
        var failures = new List<string>();

        // One instance on SQLite: the reference of the same run (left out with --no-sqlite, to profile the two instances).
        Distribution single = Distribution.Of([]);
        if (!args.Contains("--no-sqlite"))
        await using (var server = await LiveBoardServer.StartAsync(LiveBoardServer.BenchSettings()))
        {
            using var anon = LiveBoardServer.Client(server.Root);
            using var api = LiveBoardServer.Client(server.Root, await LiveBoardServer.TokenAsync(anon, "organiser"));
            if (!writesOnly)
            {
                Say($"one instance (SQLite), {viewers} viewers ...");
                var hub = Hub(server.Root);
                var fan = Fan(server.Meter, _ => hub, n => api, null);
                var result = await fan.RunAsync(viewers, rate, duration, Say, warmUp);
                single = result.Latency;
                Say($"  p50/p95/p99/max ms: {result.Latency.Row()}, received {result.Received}/{result.Expected}");
                fanRows.AppendLine(CultureInfo.InvariantCulture, $"| one instance, SQLite | {viewers} | all | {result.Latency.Row()} | {result.Received}/{result.Expected} | {result.Lost} | |");
                if (result.Lost > 0) failures.Add($"one instance lost {result.Lost} events");
            }
            if (writeDuration > TimeSpan.Zero)
            {
                Say($"  write path, {writers} writers ...");
                var (w, cpu) = await MeasuredWritesAsync([api], writers, writeWarmUp, warmUpRounds, writeDuration, [("instance", server.Meter.CpuSeconds)], [server.Root], Say);
                writeRows.AppendLine(CultureInfo.InvariantCulture, $"| one instance, SQLite | {writers} | {w.PerSecond:F0} | {w.Latency.P50:F1} | {w.Latency.P99:F1} | {w.Refused} | {cpu} |");
                if (w.Refused > 0) failures.Add($"{w.Refused} writes refused on one instance");
            }
        }

        // Two instances on one PostgreSQL database and one Redis. A starts first (migrates and loads the demo), then B.
        var database = "lb_bench_" + Guid.NewGuid().ToString("N");
        var shared = LiveBoardServer.BenchSettings();
        shared["LiveBoard__Database"] = "PostgreSQL";
        shared["ConnectionStrings__LiveBoard"] = WithDatabase(postgres, database);
        shared["ConnectionStrings__Redis"] = redis;
        var bin = await LiveBoardServer.BuildAsync();
        await using (var a = await LiveBoardServer.StartAsync(bin, database, ServerProcess.FreePort(), shared))
        await using (var b = await LiveBoardServer.StartAsync(bin, database, ServerProcess.FreePort(), shared))
        {
            using var anonA = LiveBoardServer.Client(a.Root);
            // A token from A is accepted by B (shared Data Protection keys): one token for both.
            var token = await LiveBoardServer.TokenAsync(anonA, "organiser");
            using var apiA = LiveBoardServer.Client(a.Root, token);
            using var apiB = LiveBoardServer.Client(b.Root, token);
            if (!writesOnly)
            {
                var (hubA, hubB) = (Hub(a.Root), Hub(b.Root));
                Say($"two instances (PostgreSQL + Redis), {viewers} viewers split over both, figures written alternately through each ...");
                var cross = new ConcurrentBag<double>();
                var fan = Fan(a.Meter, viewer => viewer % 2 == 0 ? hubA : hubB, n => n % 2 == 0 ? apiA : apiB, cross);
                var result = await fan.RunAsync(viewers, rate, duration, Say, warmUp);
                var crossLatency = Distribution.Of(cross.ToArray());
                var ratio = crossLatency.P99 / single.P99;
                Say($"  all: p50/p95/p99/max ms {result.Latency.Row()}, received {result.Received}/{result.Expected}");
                Say($"  cross-instance (written through the other instance): {crossLatency.Row()} over {crossLatency.Count} receipts; p99 / one instance's p99 = {ratio:F2}");
                fanRows.AppendLine(CultureInfo.InvariantCulture, $"| two instances, PostgreSQL + Redis | {viewers} | all | {result.Latency.Row()} | {result.Received}/{result.Expected} | {result.Lost} | |");
                fanRows.AppendLine(CultureInfo.InvariantCulture, $"| two instances, PostgreSQL + Redis | {viewers} | cross-instance | {crossLatency.Row()} | {crossLatency.Count} | | {ratio:F2} |");
                if (result.Lost > 0) failures.Add($"two instances lost {result.Lost} events");
            }
            if (writeDuration > TimeSpan.Zero)
            {
                Say($"  write path, {writers} writers spread over both (instance A pid {a.Pid}, B pid {b.Pid}) ...");
                var (w, cpu) = await MeasuredWritesAsync([apiA, apiB], writers, writeWarmUp, warmUpRounds, writeDuration,
                    [("A", a.Meter.CpuSeconds), ("B", b.Meter.CpuSeconds), ("PostgreSQL", PostgresCpuSeconds), ("Redis", RedisCpuSeconds)], [a.Root, b.Root], Say);
                writeRows.AppendLine(CultureInfo.InvariantCulture, $"| two instances, PostgreSQL | {writers} | {w.PerSecond:F0} | {w.Latency.P50:F1} | {w.Latency.P99:F1} | {w.Refused} | {cpu} |");
                if (w.Refused > 0) failures.Add($"{w.Refused} writes refused on two instances");
            }
        }

        var loadAfter = LoadAverage();
        var section = new StringBuilder(BenchReport.Header(["scale-out", .. args], options));
        section.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}. The machine is shared with other engineers' builds and tests: the load is theirs as much as the bench's.");
        section.AppendLine();
        if (!writesOnly)
        {
            section.AppendLine("Scale-out (issue 13): submit (`POST /api/v1/reports`) → each `/hubs/live` viewer's `FigureReported` (ms), over every viewer × submission. " +
                               "Two instances: viewers alternate between A and B, submissions alternate between A's and B's API; cross-instance = a viewer on one instance receiving a figure written through the other. " +
                               "Ratio = cross-instance p99 / one instance's p99 of the same run.");
            section.AppendLine();
            section.AppendLine("| setup | viewers | events | p50 | p95 | p99 | max | delivered | not delivered 15 s after the last submission | p99 ratio |");
            section.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            section.Append(fanRows);
            section.AppendLine();
        }
        section.AppendLine("Write path: acknowledged (committed) reports per second, each POST its own report and idempotency key; writer w writes through instance w mod 2. " +
                           $"Each phase follows unmeasured {writeWarmUp.TotalSeconds} s rounds of the same writes until a round compiles fewer than {SettledJit} methods per instance (at most {warmUpRounds} rounds); " +
                           "JIT = methods the instances compiled during the measured phase. CPU ms per write = CPU seconds (utime + stime from /proc) " +
                           "of each process over the measured phase / acknowledged writes: independent of the other load on the machine, unlike writes/s. " +
                           "PostgreSQL = postmaster + its backends; bench = the load generator (this process).");
        section.AppendLine();
        section.AppendLine("| setup | writers | per second | p50 ms | p99 ms | refused | CPU ms per write | JIT |");
        section.AppendLine("|---|---:|---:|---:|---:|---:|---|---|");
        section.Append(writeRows);
        Console.WriteLine();
        Console.WriteLine(section);
        if (output is not null)
        {
            BenchReport.Prepend(output, section.ToString());
            Say($"written to {output}");
        }
        foreach (var f in failures) Say("FAILED: " + f);
        return failures.Count > 0 ? 1 : 0;
    }

    /// <summary>
    /// An unmeasured warm-up, then the measured write phase with the CPU seconds each process spent in it per acknowledged
    /// write (the bench itself included), as a table cell: "A 2.1, B 2.0, PostgreSQL 0.7, Redis 0.1, bench 0.9; all 5.8 (2.0 cores)".
    /// </summary>
    private static async Task<(WriteResult Result, string Cpu)> MeasuredWritesAsync(IReadOnlyList<HttpClient> apis, int writers, TimeSpan warmUp, int rounds,
        TimeSpan duration, IReadOnlyList<(string Name, Func<double> CpuSeconds)> processes, IReadOnlyList<Uri> instances, Action<string> say)
    {
        using var diagnostics = new HttpClient();
        async Task<long[]> JitMethods() => await Task.WhenAll(instances.Select(async root =>
        {
            using var doc = JsonDocument.Parse(await diagnostics.GetStringAsync(new Uri(root, "diagnostics/jit")));
            return doc.RootElement.GetProperty("methods").GetInt64();
        }));
        for (var round = 1; warmUp > TimeSpan.Zero && round <= rounds; round++)
        {
            var jit0 = await JitMethods();
            var warm = await WritePath.MeasureAsync(apis, writers, warmUp, firstValue: 1000 + round * 10_000);
            var compiled = (await JitMethods()).Select((m, i) => m - jit0[i]).ToArray();
            say($"    warm-up round {round}: {warm.PerSecond:F0} acknowledged/s over {warmUp.TotalSeconds} s, methods compiled per instance: {string.Join(", ", compiled)} (not measured)");
            if (compiled.All(m => m < SettledJit)) break;
        }
        var jitBefore = await JitMethods();
        IReadOnlyList<(string Name, Func<double> CpuSeconds)> all = [.. processes, ("bench", () => ProcessMeter.Stat(Environment.ProcessId).CpuSeconds)];
        var before = all.Select(p => p.CpuSeconds()).ToArray();
        // Above the warm-up's values, so that no report repeats the figure's current value (which would change nothing).
        var w = await WritePath.MeasureAsync(apis, writers, duration, firstValue: 500_000);
        var spent = all.Select((p, i) => p.CpuSeconds() - before[i]).ToArray();
        var jit = string.Join(", ", (await JitMethods()).Select((m, i) => (m - jitBefore[i]).ToString(CultureInfo.InvariantCulture)));
        string Ms(double seconds) => (seconds * 1000 / Math.Max(1, w.Acknowledged)).ToString("F2", CultureInfo.InvariantCulture);
        var cpu = string.Join(", ", all.Select((p, i) => $"{p.Name} {Ms(spent[i])}")) +
                  $"; all {Ms(spent.Sum())} ({(spent.Sum() / w.Seconds).ToString("F2", CultureInfo.InvariantCulture)} cores)";
        say($"  {w.PerSecond:F0} acknowledged/s, p50 {w.Latency.P50:F1} ms, p99 {w.Latency.P99:F1} ms, refused {w.Refused}; load average {LoadAverage()}");
        say($"  CPU ms per acknowledged write: {cpu}; methods compiled during the phase per instance: {jit}");
        foreach (var refusal in w.Refusals) say($"    refused: {refusal}");
        return (w, $"{cpu} | {jit}");
    }

    /// <summary>The private cluster's postmaster (scripts/scale-out-services.sh), its live backends, and its ended children (cutime/cstime).</summary>
    private static double PostgresCpuSeconds()
    {
        var dir = Environment.GetEnvironmentVariable("LIVEBOARD_SCALE_OUT_DIR");
        var pidFile = dir is null ? null : Path.Combine(dir, "pg", "postmaster.pid");
        if (pidFile is null || !File.Exists(pidFile)) return double.NaN;
        var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        var total = WithChildren(postmaster);
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(proc), out var pid) && pid != postmaster)
                try
                {
                    var (parent, cpu) = ProcessMeter.Stat(pid);
                    if (parent == postmaster) total += cpu;
                }
                catch (IOException) { } // ended meanwhile: counted in the postmaster's children's time
        return total;
    }

    private static double RedisCpuSeconds()
    {
        var dir = Environment.GetEnvironmentVariable("LIVEBOARD_SCALE_OUT_DIR");
        var pidFile = dir is null ? null : Path.Combine(dir, "redis.pid");
        return pidFile is null || !File.Exists(pidFile) ? double.NaN : ProcessMeter.Stat(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture)).CpuSeconds;
    }

    /// <summary>utime + stime + cutime + cstime (fields 14–17 of /proc/&lt;pid&gt;/stat): the process and its ended, waited-for children.</summary>
    private static double WithChildren(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>A warm-up round in which each instance compiled fewer methods than this ends the warm-up.</summary>
    private const int SettledJit = 50;

    private static Uri Hub(Uri root) => new(root, "hubs/live?topics=figures,status");

    /// <summary>
    /// A fan-out whose viewer i listens on <paramref name="hubOf"/>(i) and whose submission n goes through
    /// <paramref name="apiOf"/>(n); with <paramref name="cross"/>, the latencies of receipts on the other instance than the
    /// one written through (viewer parity ≠ submission parity) are collected there too.
    /// </summary>
    private static FanOut Fan(ProcessMeter server, Func<int, Uri> hubOf, Func<long, HttpClient> apiOf, ConcurrentBag<double>? cross)
    {
        var sentAt = new ConcurrentDictionary<long, long>();
        var next = -1;
        const decimal Base = 100_000m;
        long? IdOf(JsonElement e) => e.GetProperty("districtCode").GetString() == FanDistrict && e.GetProperty("indicatorCode").GetString() == FanIndicator
            ? (long)(e.GetProperty("newValue").GetDecimal() - Base) : null;
        return new FanOut
        {
            Server = server,
            Connect = async onEvent =>
            {
                var viewer = Interlocked.Increment(ref next);
                return await RawHubViewer.ConnectAsync(hubOf(viewer), LiveBoardServer.ScreenKey, "FigureReported", e =>
                {
                    var now = Stopwatch.GetTimestamp();
                    onEvent(e);
                    if (cross is not null && IdOf(e) is { } n && n > 0 && n % 2 != viewer % 2 && sentAt.TryGetValue(n, out var t0))
                        cross.Add(Stopwatch.GetElapsedTime(t0, now).TotalMilliseconds);
                });
            },
            IdOf = IdOf,
            Trigger = async n =>
            {
                sentAt[n] = Stopwatch.GetTimestamp();
                if (!await LiveBoardServer.ReportAsync(apiOf(Math.Abs(n)), FanDistrict, FanIndicator, Base + n))
                    throw new InvalidOperationException($"submission {n} was refused");
            },
        };
    }

    private static string WithDatabase(string connectionString, string database) =>
        string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.TrimStart().StartsWith("Database=", StringComparison.OrdinalIgnoreCase))
            .Append($"Database={database}"));

    private static string LoadAverage() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
