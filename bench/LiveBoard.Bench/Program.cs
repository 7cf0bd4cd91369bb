using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveBoard.Bench;
using Microsoft.AspNetCore.SignalR.Client;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

if (args is ["--baseline-server", var portText])
{
    await BaselineHub.RunServerAsync(int.Parse(portText));
    return 0;
}

var options = BenchOptions.Parse(args);
void Say(string line) => Console.WriteLine(line);
var report = new StringBuilder();
var writeRows = new StringBuilder();
// The bench measures capacity: per-user write limits, a product safeguard, are lifted for it.
var BenchSettings = new Dictionary<string, string>
{
    ["LiveBoard__RateLimits__WritesPerMinute"] = "100000000",
    ["LiveBoard__RateLimits__AuthPerMinute"] = "100000",
};

Say($"LiveBoard bench ({(options.Quick ? "quick" : "full")}): viewers {string.Join(",", options.Viewers)}, {options.Rate}/s for {options.Duration.TotalSeconds}s");

// Baseline fan-out: a bare SignalR hub in a sibling process, same payload size, same viewers.
var baselinePort = ServerProcess.FreePort();
await using (var baseline = await ServerProcess.StartAsync(Environment.ProcessPath!, ["--baseline-server", baselinePort.ToString()],
                 new Dictionary<string, string>(), baselinePort))
{
    using var http = new HttpClient { BaseAddress = baseline.Root };
    foreach (var viewers in options.Viewers)
    {
        Say($"baseline hub, {viewers} viewers ...");
        var fan = new FanOut
        {
            Connect = () => new HubConnectionBuilder().WithUrl(new Uri(baseline.Root, "hub")).Build(),
            EventName = BaselineHub.EventName,
            IdOf = e => e.TryGetProperty("id", out var id) ? id.GetInt64() : null,
            Trigger = async n => (await http.PostAsync($"broadcast?id={n}&size={options.PayloadBytes}", null)).EnsureSuccessStatusCode(),
        };
        FanOutResult? result = null;
        var cost = await baseline.Meter.MeasureAsync(async () => result = await fan.RunAsync(viewers, options.Rate, options.Duration, Say));
        Say($"  p50/p95/p99/max ms: {result!.Latency.Row()}, received {result.Received}/{result.Expected}, server cpu {cost.CpuSeconds:F1}s, peak {cost.PeakMb} MB");
        report.AppendLine($"| baseline hub | {viewers} | {result.Latency.Row()} | {result.Received}/{result.Expected} | {cost.CpuSeconds:F1} | {cost.PeakMb} |");
        if (result.Lost > 0 && options.Quick) { Say("LOST EVENTS"); return 1; }
    }
}

// Write path: LiveBoard's push API (each POST its own report and idempotency key) beside raw SQLite inserts.
await using (var server = await LiveBoardServer.StartAsync(BenchSettings))
{
    using var anon = LiveBoardServer.Client(server.Root);
    using var api = LiveBoardServer.Client(server.Root, await LiveBoardServer.TokenAsync(anon, "organiser"));
    Say($"write path, {options.Writers} writers for {options.WriteDuration.TotalSeconds}s ...");
    (double PerSecond, Distribution Latency, int Refused) writes = default;
    var cost = await server.Meter.MeasureAsync(async () => writes = await WritePath.RunAsync(api, options.Writers, options.WriteDuration));
    Say($"  {writes.PerSecond:F0} acknowledged/s, p50 {writes.Latency.P50:F1} ms, p99 {writes.Latency.P99:F1} ms, refused {writes.Refused}, server cpu {cost.CpuSeconds:F1}s, peak {cost.PeakMb} MB");
    writeRows.AppendLine($"| LiveBoard POST /api/v1/reports | {options.Writers} | {writes.PerSecond:F0} | {writes.Latency.P50:F1} | {writes.Latency.P99:F1} | {writes.Refused} |");
    if (options.Quick && writes.Refused > 0) { Say("WRITES REFUSED"); return 1; }
}

Say("raw SQLite baseline ...");
var raw = await SqliteBaseline.RunAsync(options.Writers, options.WriteDuration);
Say($"  {raw.PerSecond:F0} tx/s, p50 {raw.Latency.P50:F2} ms, p99 {raw.Latency.P99:F2} ms (synchronous={raw.Synchronous})");
writeRows.AppendLine($"| raw SQLite INSERT transaction (WAL, synchronous={raw.Synchronous}) | {options.Writers} | {raw.PerSecond:F0} | {raw.Latency.P50:F2} | {raw.Latency.P99:F2} | 0 |");

Console.WriteLine();
Console.WriteLine(report.ToString());
Console.WriteLine(writeRows.ToString());
return 0;

sealed record BenchOptions(bool Quick, int[] Viewers, double Rate, TimeSpan Duration, int Writers, TimeSpan WriteDuration, int Circuits, int PayloadBytes, string? Output)
{
    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchOptions(
            quick,
            (Value("--viewers") ?? (quick ? "100" : "1000,10000")).Split(',').Select(int.Parse).ToArray(),
            double.Parse(Value("--rate") ?? "10", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Value("--duration") ?? (quick ? "5" : "60"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--writers") ?? "16"),
            TimeSpan.FromSeconds(double.Parse(Value("--write-seconds") ?? (quick ? "3" : "30"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--circuits") ?? (quick ? "2" : "20")),
            int.Parse(Value("--payload") ?? "200"),
            Value("--out"));
    }
}
