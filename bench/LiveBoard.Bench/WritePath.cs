using System.Collections.Concurrent;
using System.Diagnostics;

namespace LiveBoard.Bench;

/// <summary>What a write phase measured: acknowledged reports, over how long, their latency, and the refusals (a few kept, with why).</summary>
public sealed record WriteResult(int Acknowledged, double Seconds, Distribution Latency, int Refused, IReadOnlyList<string> Refusals)
{
    public double PerSecond => Acknowledged / Seconds;
}

/// <summary>Acknowledged (durable) submissions per second through the push API, N concurrent writers.</summary>
public static class WritePath
{
    public static readonly string[] Districts = ["horqin", "huolingol", "kailu", "zuozhong", "zuohou", "hure", "naiman", "jarud", "devzone"];

    /// <summary>Each writer owns one indicator of its district so that writers never race on one figure's version.</summary>
    public static (string District, string Indicator) OwnFigure(int writer) =>
        (Districts[writer % Districts.Length], (writer / Districts.Length) % 2 == 0 ? "signed-projects" : "started-projects");

    /// <param name="limit">stop after this many submissions in all (the cold start's history), whatever the time.</param>
    public static Task<(double PerSecond, Distribution Latency, int Refused)> RunAsync(HttpClient http, int writers, TimeSpan duration, int? limit = null) =>
        RunAsync([http], writers, duration, limit);

    /// <param name="instances">one client per instance: writer w writes through instance w mod count (the scale-out mode)</param>
    public static async Task<(double PerSecond, Distribution Latency, int Refused)> RunAsync(IReadOnlyList<HttpClient> instances, int writers, TimeSpan duration,
        int? limit = null)
    {
        var r = await MeasureAsync(instances, writers, duration, limit);
        return (r.PerSecond, r.Latency, r.Refused);
    }

    /// <param name="firstValue">where each writer's values start (a later phase on the same figures starts above an earlier one's).</param>
    public static async Task<WriteResult> MeasureAsync(IReadOnlyList<HttpClient> instances, int writers, TimeSpan duration, int? limit = null, int firstValue = 1000)
    {
        var latencies = new List<double>();
        var ok = 0;
        var refused = 0;
        var issued = 0;
        var refusals = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var local = new List<double>();
            var (district, indicator) = OwnFigure(w);
            var http = instances[w % instances.Count];
            var n = firstValue + w * 1_000_000;
            while (clock.Elapsed < duration && (limit is null || Interlocked.Increment(ref issued) <= limit))
            {
                var sw = Stopwatch.StartNew();
                var (status, refusal) = await LiveBoardServer.SubmitAsync(http, district, indicator, n++);
                if (status == 201) local.Add(sw.Elapsed.TotalMilliseconds);
                else
                {
                    Interlocked.Increment(ref refused);
                    if (refusals.Count < 5) refusals.Enqueue($"{status} {refusal}");
                }
            }
            lock (latencies) latencies.AddRange(local);
            Interlocked.Add(ref ok, local.Count);
        })));
        return new WriteResult(ok, clock.Elapsed.TotalSeconds, Distribution.Of(latencies), refused, refusals.ToArray());
    }
}
