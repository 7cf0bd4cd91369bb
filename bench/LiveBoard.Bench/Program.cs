using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveBoard.Bench;
using LiveBoard.Bench.BareCircuit;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--baseline-server", var portText, ..])
{
    await BaselineHub.RunServerAsync(int.Parse(portText, CultureInfo.InvariantCulture),
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0);
    return 0;
}

if (args is ["--security", ..])
    return await SecurityProbe.RunAsync(args);
// The second wave (reconnect storm, soak, import, cold start): scenarios around the steady state, see Wave2Bench.
if (args is ["wave2", ..]) return await Wave2Bench.RunAsync(args[1..]);
// Two instances on PostgreSQL and Redis beside one on SQLite (issue 13), see ScaleOutBench.
if (args is ["scale-out", ..]) return await ScaleOutBench.RunAsync(args[1..]);
// Which run-time emitted code a server's heap dump holds, and for whom (see EmittedCode).
if (args is ["emitted", ..]) return EmittedCode.Run(args[1..], Console.WriteLine);

var options = BenchOptions.Parse(args);
LiveBoardServer.UseOwnConfigurationForQuickRun(options.Quick);
BenchBrowser.UseHeadlessShell(options.Quick);
// The load generator's own CPU, to see whether it (on the same cores) or the server set the numbers.
var Generator = new ProcessMeter(Environment.ProcessId);
void Say(string line) => Console.WriteLine(line);
var fanRows = new StringBuilder();
var circuitRows = new StringBuilder();
var memoryRows = new StringBuilder();
var writeRows = new StringBuilder();
var failures = new List<string>();
var payloadNote = "";
const string ScreenKey = LiveBoardServer.ScreenKey;
var benchSettings = LiveBoardServer.BenchSettings();

Say($"LiveBoard bench ({(options.Quick ? "quick" : "full")}, server built in {LiveBoardServer.Configuration}, tabs in {BenchBrowser.Executable}): {options}");

await using (var server = await LiveBoardServer.StartAsync(benchSettings))
await using (var baseline = await BaselineHub.StartAsync(ServerProcess.FreePort()))
{
    using var anon = LiveBoardServer.Client(server.Root);
    using var api = LiveBoardServer.Client(server.Root, await LiveBoardServer.TokenAsync(anon, "organiser"));
    using var baselineHttp = new HttpClient { BaseAddress = baseline.Root };

    // Every submission of the run gets a value no other submission had, so an event names its submission.
    var valueBase = 100_000m;
    const string FanDistrict = "hure", FanIndicator = "signed-projects";
    // WebSockets without the negotiate round trip, for both hubs alike: a negotiated client keeps its negotiate HTTP
    // connection open beside the WebSocket, and two sockets per viewer ran the bench out of file descriptors (limit 20,000)
    // just short of 10,000 viewers.
    var liveHub = new Uri(server.Root, options.LiveTopics is { } topics ? $"hubs/live?topics={topics}" : "hubs/live");
    var baselineHub = new Uri(baseline.Root, "hub");
    static HubConnection Connection(Uri hub, string? token) => new HubConnectionBuilder()
        .WithUrl(hub, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        })
        .Build();

    // The baseline broadcasts a payload as large as LiveBoard's FigureReported, measured here on the real thing.
    var payload = options.PayloadBytes ?? await MeasureFigureReportedBytesAsync();
    Say($"FigureReported payload: {payload} bytes of JSON");
    payloadNote = $"FigureReported payload {payload} B of JSON; the baseline broadcasts the same size.";
    var pad = Math.Max(0, payload - """{"id":100000,"pad":""}""".Length);

    // Circuits first, while the server's RSS is still its own: after 10,000 hub connections the GC hands memory back
    // during the phase and the RSS delta turns negative.
    if (options.Circuits > 0)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchBrowser.LaunchAsync(playwright);
        // Small values: the ticker formats numbers for people (grouping, units); "7xx" shows as itself.
        await MeasureCircuitsAsync(browser, new CircuitTarget(
            $"display circuits, {options.Circuits} Chromium tabs on the ticker", "display circuits (ticker", "display circuit",
            server, anon, "diagnostics/gc", "diagnostics/circuits", "circuits",
            new Uri(server.Root, $"display/demo?key={ScreenKey}&panel=ticker"),
            async r =>
            {
                if (!await LiveBoardServer.ReportAsync(api, "naiman", "started-projects", 700 + r)) throw new InvalidOperationException($"circuit round {r} was refused");
            }));
        // The floor in the same run: Blazor's own circuit, one value on a page, played the same rounds in the same browser.
        await MeasureCircuitsAsync(browser, new CircuitTarget(
            $"bare Blazor circuits (baseline), {options.Circuits} Chromium tabs", "bare Blazor circuits (baseline", "bare Blazor circuit (baseline)",
            baseline, baselineHttp, "gc", BareCircuitServer.CircuitsPath, "bare-circuits",
            new Uri(baseline.Root, BareCircuitServer.PagePath),
            async r => (await baselineHttp.PostAsync($"{BareCircuitServer.TickPath}?value={700 + r}", null)).EnsureSuccessStatusCode()));
    }

    foreach (var viewers in options.Viewers)
    {
        // The bare hub goes first unless --live-first: running both orders tells whether the second run pays for the
        // first's (the generator's heap after 10,000 viewers, the machine's warmth).
        async Task<FanOutRun> MeasureAsync(FanOut fan, ProcessMeter meter, MemorySample idle, Func<MemorySample?> connected)
        {
            FanOutResult? result = null;
            var gen0 = Generator.CpuSeconds();
            var cost = await meter.MeasureAsync(async () => result = await fan.RunAsync(viewers, options.Rate, options.Duration, Say, options.WarmUp));
            var gen = Generator.CpuSeconds() - gen0;
            Say($"  p50/p95/p99/max ms: {result!.Latency.Row()}, received {result.Received}/{result.Expected}, trigger p50/p99 {result.Trigger.P50:F1}/{result.Trigger.P99:F1} ms, server cpu {cost.CpuSeconds:F1}s ({result.BroadcastCpu.Server:F1}s broadcasting), generator {result.BroadcastCpu.Generator:F1}s, peak {cost.PeakMb} MB");
            return new FanOutRun(result, cost, gen, idle, connected()!);
        }
        async Task<FanOutRun> BaselineAsync()
        {
            Say($"baseline hub, {viewers} viewers ...");
            var idle = await MemoryOfAsync(baseline, baselineHttp, "gc", "baseline-hub-idle");
            MemorySample? connected = null;
            return await MeasureAsync(new FanOut
            {
                AllConnected = async n => connected = await MemoryOfAsync(baseline, baselineHttp, "gc", $"baseline-hub-{n}"),
                Server = baseline.Meter,
                Connect = Viewer(baselineHub, null, BaselineHub.EventName),
                IdOf = e => e.TryGetProperty("id", out var id) ? id.GetInt64() : null,
                Trigger = async n => (await baselineHttp.PostAsync($"broadcast?id={n}&size={pad}", null)).EnsureSuccessStatusCode(),
            }, baseline.Meter, idle, () => connected);
        }
        async Task<FanOutRun> LiveBoardAsync()
        {
            Say($"LiveBoard /hubs/live, {viewers} viewers ...");
            var round = valueBase;
            valueBase += 1_000_000;
            MemorySample? connected = null;
            var idle = await MemoryAsync("hub-idle");
            var run = await MeasureAsync(new FanOut
            {
                Server = server.Meter,
                Connect = Viewer(liveHub, ScreenKey, "FigureReported"),
                IdOf = e => e.GetProperty("districtCode").GetString() == FanDistrict && e.GetProperty("indicatorCode").GetString() == FanIndicator
                    ? (long)(e.GetProperty("newValue").GetDecimal() - round) : null,
                Trigger = async n =>
                {
                    if (!await LiveBoardServer.ReportAsync(api, FanDistrict, FanIndicator, round + n)) throw new InvalidOperationException($"submission {n} was refused");
                },
                AllConnected = async n => connected = await MemoryAsync($"hub-{n}"),
            }, server.Meter, idle, () => connected);
            Say($"  the server's JIT compiled {run.Connected.JitMethods - run.Idle.JitMethods} methods while the viewers connected");
            return run;
        }
        FanOutRun bare, live;
        if (options.LiveFirst)
        {
            live = await LiveBoardAsync();
            bare = await BaselineAsync();
        }
        else
        {
            bare = await BaselineAsync();
            live = await LiveBoardAsync();
        }
        var (b, l) = (bare.Result, live.Result);
        var ratio = l.Latency.P99 / b.Latency.P99;
        Say($"  p99 ratio {ratio:F2} ({(options.LiveFirst ? "LiveBoard first" : "bare hub first")})");
        fanRows.AppendLine(CultureInfo.InvariantCulture, $"| baseline hub | {viewers} | {b.Latency.Row()} | {b.Received}/{b.Expected} | {b.Lost} | {bare.Cost.CpuSeconds:F1} | {b.BroadcastCpu.Server:F1} | {bare.Cost.PeakMb} | {bare.GeneratorCpu:F1} | {b.BroadcastCpu.Generator:F1} | |");
        fanRows.AppendLine(CultureInfo.InvariantCulture, $"| LiveBoard /hubs/live | {viewers} | {l.Latency.Row()} | {l.Received}/{l.Expected} | {l.Lost} | {live.Cost.CpuSeconds:F1} | {l.BroadcastCpu.Server:F1} | {live.Cost.PeakMb} | {live.GeneratorCpu:F1} | {l.BroadcastCpu.Generator:F1} | {ratio:F2} |");
        memoryRows.AppendLine(CultureInfo.InvariantCulture, $"| hub connection | {viewers} | {live.RssKbPerConnection(viewers):F1} | {live.ManagedKbPerConnection(viewers):F1} |");
        memoryRows.AppendLine(CultureInfo.InvariantCulture, $"| bare hub connection (baseline) | {viewers} | {bare.RssKbPerConnection(viewers):F1} | {bare.ManagedKbPerConnection(viewers):F1} |");
        if (l.Lost > 0) failures.Add($"LiveBoard lost {l.Lost} events at {viewers} viewers");
        if (b.Lost > 0) failures.Add($"baseline lost {b.Lost} events at {viewers} viewers");
    }

    if (options.WriteDuration > TimeSpan.Zero)
    {
        Say($"write path, {options.Writers} writers for {options.WriteDuration.TotalSeconds}s ...");
        (double PerSecond, Distribution Latency, int Refused) writes = default;
        var wCost = await server.Meter.MeasureAsync(async () => writes = await WritePath.RunAsync(api, options.Writers, options.WriteDuration));
        Say($"  {writes.PerSecond:F0} acknowledged/s, p50 {writes.Latency!.P50:F1} ms, p99 {writes.Latency.P99:F1} ms, refused {writes.Refused}, server cpu {wCost.CpuSeconds:F1}s, peak {wCost.PeakMb} MB");
        writeRows.AppendLine(CultureInfo.InvariantCulture, $"| LiveBoard POST /api/v1/reports | {options.Writers} | {writes.PerSecond:F0} | {writes.Latency.P50:F1} | {writes.Latency.P99:F1} | {writes.Refused} | {wCost.CpuSeconds:F1} |");
        if (writes.Refused > 0) failures.Add($"{writes.Refused} writes refused");
    }

    async Task<int> MeasureFigureReportedBytesAsync()
    {
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var probe = Connection(liveHub, ScreenKey);
        probe.On<JsonElement>("FigureReported", e => seen.TrySetResult(Encoding.UTF8.GetByteCount(e.GetRawText())));
        await probe.StartAsync();
        await LiveBoardServer.ReportAsync(api, FanDistrict, FanIndicator, valueBase - 1);
        return await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // The same kind of viewer for both hubs: bare WebSocket (default) or the .NET SignalR client (--viewer-client hubconnection).
    Func<Action<JsonElement>, Task<IAsyncDisposable>> Viewer(Uri hub, string? token, string eventName) =>
        options.RawViewers
            ? async onEvent => await RawHubViewer.ConnectAsync(hub, token, eventName, onEvent)
            : async onEvent =>
            {
                var connection = Connection(hub, token);
                connection.On(eventName, onEvent);
                await connection.StartAsync();
                return connection;
            };

    // K tabs on one server's page: warm-up passes, then memory per circuit (idle → open, first, half) and submit → DOM
    // over the measured rounds. The same for LiveBoard's ticker and for the bare Blazor page, so their rows compare.
    async Task MeasureCircuitsAsync(IBrowser browser, CircuitTarget target)
    {
        Say($"{target.Heading} ...");
        Task<MemorySample> Memory(string? dump = null) => MemoryOfAsync(target.Server, target.Http, target.GcPath, dump);
        var idle = await Memory();
        MemorySample? first = null, half = null, open = null;
        // Server CPU over the measured rounds only (tabs open, one change a round), for the cost of one change to every screen.
        double roundsCpu0 = 0, roundsCpu = 0;
        Circuits.Result? c = null;
        var servers = new HashSet<int> { server.Pid, baseline.Pid };
        var browser0 = BrowserMeter.CpuSeconds(servers);
        var cCost = await target.Server.Meter.MeasureAsync(async () => c = await Circuits.RunAsync(browser, target.Page, "[data-live='true']", options.Circuits,
            options.CircuitRounds, "[data-testid='ticker-value']", r => (700 + r).ToString(CultureInfo.InvariantCulture),
            target.Submit,
            Say, async () =>
            {
                open = await Memory($"{target.DumpPrefix}-open");
                roundsCpu0 = target.Server.Meter.CpuSeconds();
            },
            async n =>
            {
                if (n == 1) first = await Memory();
                if (n == options.Circuits / 2) half = await Memory();
            }, options.ReducedMotion, options.CircuitInterval,
            warmUpRounds: (int)Math.Ceiling(options.WarmUp / options.CircuitInterval),
            // Enough circuit starts in the warm-up (40) for code run once per circuit to pass the JIT's tier-up threshold (30 calls).
            warmUpPasses: options.Quick ? 1 : Math.Clamp((int)Math.Ceiling(40.0 / options.Circuits), 1, 4),
            warmedUp: async () =>
            {
                // A closed tab's circuit is released at once when its page said goodbye (Blazor's disconnect beacon); a beacon
                // lost on a loaded machine leaves it to the server's retention of disconnected circuits (one minute, see
                // CircuitRetention), so only a circuit held past that, with a margin, is a leak.
                var limit = TimeSpan.FromSeconds(90);
                var gone = await CircuitsGoneAsync(target.Http, target.CircuitsPath, limit);
                Say($"  warm-up circuits released by the server {(gone is { } t ? $"after {t.TotalSeconds:F1} s" : $"— NOT within {limit.TotalSeconds:F0} s")}");
                // Circuits left over would be counted out of the memory per circuit and would still render every round.
                if (gone is null) failures.Add($"{target.Heading}: the warm-up tabs' circuits were still held by the server {limit.TotalSeconds:F0} s after the tabs closed");
                idle = await Memory($"{target.DumpPrefix}-idle");
            },
            played: () =>
            {
                roundsCpu = target.Server.Meter.CpuSeconds() - roundsCpu0;
                return Task.CompletedTask;
            }));
        var browserCpu = BrowserMeter.CpuSeconds(servers) - browser0;
        Say($"  the server's JIT compiled {open!.JitMethods - idle.JitMethods} methods while the measured tabs opened");
        var motion = options.ReducedMotion ? ", reduced motion" : "";
        Say($"  p50/p95/p99/max ms: {c!.Latency.Row()}, missed {c.Missed}, rounds started late {c.LateRounds}, server cpu {cCost.CpuSeconds:F1}s, browser cpu {browserCpu:F1}s, peak {cCost.PeakMb} MB");
        if (c.Server.Count > 0)
            Say($"  of which submit → server snapshot: {c.Server.Row()}; snapshot → DOM (circuit, network, browser): {c.Browser.Row()}");
        var perChange = 1000 * roundsCpu / Math.Max(1, options.CircuitRounds);
        Say($"  server cpu over the measured rounds {roundsCpu:F1}s: {perChange:F1} ms per change to {options.Circuits} screens");
        circuitRows.AppendLine(CultureInfo.InvariantCulture, $"| {target.Row}{motion}) | {options.Circuits} | {options.CircuitRounds} | {c.Latency.Row()} | {c.Missed} | {cCost.CpuSeconds:F1} | {perChange:F1} | {browserCpu:F1} | {cCost.PeakMb} |");
        if (c.Server.Count > 0)
        {
            circuitRows.AppendLine(CultureInfo.InvariantCulture, $"| … submit → server snapshot built | | | {c.Server.Row()} | | | | | |");
            circuitRows.AppendLine(CultureInfo.InvariantCulture, $"| … snapshot → DOM (render, network, browser) | | | {c.Browser.Row()} | | | | | |");
        }
        memoryRows.AppendLine(CultureInfo.InvariantCulture, $"| {target.MemoryRow} | {options.Circuits} | {(open.Rss - idle.Rss) / 1024.0 / options.Circuits:F1} | {(open.Managed - idle.Managed) / 1024.0 / options.Circuits:F1} |");
        // Measured on a warmed-up server (see the warm-up above); the two rows below split the same tabs, to show
        // whether the first circuits still pay one-time costs.
        if (options.Circuits > 1)
            memoryRows.AppendLine(CultureInfo.InvariantCulture, $"| {target.MemoryRow}, each after the first | {options.Circuits - 1} | {(open.Rss - first!.Rss) / 1024.0 / (options.Circuits - 1):F1} | {(open.Managed - first.Managed) / 1024.0 / (options.Circuits - 1):F1} |");
        // Without the warm-up, tier-up JIT of the code the first circuits made hot landed between the first and the last
        // (~0.4 MB of code and JIT scratch per circuit, 2026-11-29 notes): the second half's slope shows any left.
        var second = options.Circuits - options.Circuits / 2;
        if (options.Circuits >= 4)
            memoryRows.AppendLine(CultureInfo.InvariantCulture, $"| {target.MemoryRow}, each of the second half | {second} | {(open.Rss - half!.Rss) / 1024.0 / second:F1} | {(open.Managed - half.Managed) / 1024.0 / second:F1} |");
        if (c.Missed > 0) failures.Add($"{target.Heading}: {c.Missed} display updates never reached the DOM");
    }

    // Polls a server's loopback-only count of circuits it still holds until it is zero.
    async Task<TimeSpan?> CircuitsGoneAsync(HttpClient client, string path, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path);
            if (body.GetProperty("circuits").GetInt32() == 0) return waited.Elapsed;
            await Task.Delay(200); // polling the server's state, with a limit
        }
        return null;
    }

    // Server memory after a forced full GC in the server (loopback-only diagnostics endpoint).
    // With BENCH_GCDUMP_DIR set, each labelled sample also writes a heap dump of the server (dotnet-gcdump, from
    // BENCH_GCDUMP_TOOL or PATH): the difference between two dumps, by type, is what the connections in between are made of.
    Task<MemorySample> MemoryAsync(string? dump = null) => MemoryOfAsync(server, anon, "diagnostics/gc", dump);

    // The bare hub answers the same on its own "gc" path.
    async Task<MemorySample> MemoryOfAsync(ServerProcess of, HttpClient client, string gcPath, string? dump = null)
    {
        var response = await client.PostAsync(gcPath, null);
        response.EnsureSuccessStatusCode();
        if (dump is not null && Environment.GetEnvironmentVariable("BENCH_GCDUMP_DIR") is { Length: > 0 } dir)
        {
            var pid = of.Pid.ToString(CultureInfo.InvariantCulture);
            await CollectAsync("heap dump", Environment.GetEnvironmentVariable("BENCH_GCDUMP_TOOL") ?? "dotnet-gcdump",
                ["collect", "-p", pid, "-o", Path.Combine(dir, dump + ".gcdump")]);
            // With BENCH_DUMP_TOOL (dotnet-dump) a full heap as well, for `LiveBoard.Bench emitted`.
            if (Environment.GetEnvironmentVariable("BENCH_DUMP_TOOL") is { Length: > 0 } dumpTool)
                await CollectAsync("full heap dump", dumpTool, ["collect", "-p", pid, "--type", "Heap", "-o", Path.Combine(dir, dump + ".dmp")]);
        }
        async Task CollectAsync(string what, string tool, string[] arguments)
        {
            using var collector = System.Diagnostics.Process.Start(tool, arguments)!;
            await collector.WaitForExitAsync();
            Say($"  {what} {dump}: exit code {collector.ExitCode}");
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new MemorySample(of.Meter.RssBytes(), body.GetProperty("managedBytes").GetInt64(), body.GetProperty("jitMethods").GetInt64());
    }
}

if (options.WriteDuration > TimeSpan.Zero)
{
    Say("raw SQLite baseline ...");
    var raw = await SqliteBaseline.RunAsync(options.Writers, options.WriteDuration);
    Say($"  {raw.PerSecond:F0} tx/s, p50 {raw.Latency.P50:F2} ms, p99 {raw.Latency.P99:F2} ms (synchronous={raw.Synchronous})");
    writeRows.AppendLine(CultureInfo.InvariantCulture, $"| raw SQLite INSERT transaction (WAL, synchronous={raw.Synchronous}) | {options.Writers} | {raw.PerSecond:F0} | {raw.Latency.P50:F2} | {raw.Latency.P99:F2} | 0 | |");
}

var section = BenchReport.Section(args, $"{options}; {payloadNote}", fanRows.ToString(), circuitRows.ToString(), memoryRows.ToString(), writeRows.ToString());
Console.WriteLine();
Console.WriteLine(section);
if (options.Output is { } output)
{
    BenchReport.Prepend(output, section);
    Say($"written to {output}");
}
if (failures.Count > 0)
{
    foreach (var f in failures) Say("FAILED: " + f);
    return 1;
}
Say("every viewer received every event");
return 0;

/// <param name="JitMethods">methods the server's JIT has compiled since start (tier-ups included): memory read while this
/// grows includes new code, which is not any connection's.</param>
sealed record MemorySample(long Rss, long Managed, long JitMethods);

/// <summary>One hub's fan-out: its latencies, the server's cost, the generator's CPU, and the server's memory before and after
/// the viewers connected.</summary>
sealed record FanOutRun(FanOutResult Result, PhaseCost Cost, double GeneratorCpu, MemorySample Idle, MemorySample Connected)
{
    public double RssKbPerConnection(int viewers) => (Connected.Rss - Idle.Rss) / 1024.0 / viewers;
    public double ManagedKbPerConnection(int viewers) => (Connected.Managed - Idle.Managed) / 1024.0 / viewers;
}

/// <summary>Where a circuits measurement plays: the server and its HTTP client, its forced-GC and open-circuits paths, the
/// page the tabs open, and how a round's value is submitted. <paramref name="Row"/> opens the latency row's name (the bench
/// closes the parenthesis, adding ", reduced motion" where asked).</summary>
sealed record CircuitTarget(string Heading, string Row, string MemoryRow, ServerProcess Server, HttpClient Http, string GcPath,
    string CircuitsPath, string DumpPrefix, Uri Page, Func<int, Task> Submit);

sealed record BenchOptions(bool Quick, int[] Viewers, double Rate, TimeSpan Duration, int Writers, TimeSpan WriteDuration, int Circuits,
    int CircuitRounds, int? PayloadBytes, string? Output, bool RawViewers, string? LiveTopics, TimeSpan WarmUp, bool ReducedMotion,
    TimeSpan CircuitInterval, bool LiveFirst)
{
    public override string ToString() =>
        $"viewers {string.Join(", ", Viewers)}; {Rate}/s for {Duration.TotalSeconds} s after {WarmUp.TotalSeconds} s unmeasured warm-up; {Circuits} circuits (measured tabs opened no faster than one every {LiveBoard.Bench.Circuits.MeasuredTabsEvery.TotalSeconds} s) × {CircuitRounds} rounds, one every {CircuitInterval.TotalSeconds} s" +
        $"{(ReducedMotion ? " (reduced motion)" : "")}; " +
        $"{Writers} writers for {WriteDuration.TotalSeconds} s{(PayloadBytes is { } p ? $"; payload {p} B" : "")}; " +
        $"viewers {(RawViewers ? "bare WebSocket (SignalR JSON protocol)" : ".NET HubConnection")}, " +
        $"LiveBoard viewers on {(LiveTopics is null ? "every topic" : $"topics={LiveTopics}")}{(LiveFirst ? "; LiveBoard's fan-out measured before the bare hub's" : "")}";

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Seconds(string name, string fallback) => double.Parse(Value(name) ?? fallback, CultureInfo.InvariantCulture);
        // A full run records itself in BENCHMARKS.md; the quick smoke run (the test suite's) writes nowhere unless told.
        var output = Value("--out") ?? (quick || args.Contains("--no-out") ? null : Path.Combine(LiveBoardServer.RepoRoot(), "BENCHMARKS.md"));
        return new BenchOptions(
            quick,
            // "--viewers 0", "--circuits 0" and "--write-seconds 0" each leave their phase out, to measure one thing at a time.
            (Value("--viewers") ?? (quick ? "100" : "1000,10000")).Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).Where(n => n > 0).ToArray(),
            Seconds("--rate", "10"),
            TimeSpan.FromSeconds(Seconds("--duration", quick ? "3" : "60")),
            int.Parse(Value("--writers") ?? "16", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(Seconds("--write-seconds", quick ? "3" : "30")),
            int.Parse(Value("--circuits") ?? (quick ? "2" : "20"), CultureInfo.InvariantCulture),
            // A minute at one a second, as long as a fan-out measurement: with 20 rounds (400 samples) the p99 was the fifth
            // slowest sample, and one slow round in a run decided it.
            int.Parse(Value("--circuit-rounds") ?? (quick ? "3" : "60"), CultureInfo.InvariantCulture),
            Value("--payload") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : null,
            output,
            (Value("--viewer-client") ?? "raw") switch
            {
                "raw" => true,
                "hubconnection" => false,
                var other => throw new ArgumentException($"--viewer-client is raw or hubconnection, not {other}"),
            },
            // What a figures ticker asks for; "all" measures a client that takes the ranking (~2.5 KB a second) too.
            (Value("--live-topics") ?? "figures,status") is "all" ? null : Value("--live-topics") ?? "figures,status",
            TimeSpan.FromSeconds(Seconds("--warmup", quick ? "1" : "10")),
            // The tabs ask for reduced motion: the display then plays no animations (see display.css).
            args.Contains("--reduced-motion"),
            // One new figure a second on every wall, kept to whatever the tabs do: far above a real campaign's rate (nine
            // districts, a few hundred figures a day), and a fixed rate, so every run measures the same load.
            TimeSpan.FromSeconds(Seconds("--circuit-interval", quick ? "0.2" : "1")),
            args.Contains("--live-first"));
    }
}
