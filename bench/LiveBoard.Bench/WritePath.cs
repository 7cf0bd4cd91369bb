using System.Diagnostics;

namespace LiveBoard.Bench;

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
        var latencies = new List<double>();
        var ok = 0;
        var refused = 0;
        var issued = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var local = new List<double>();
            var (district, indicator) = OwnFigure(w);
            var http = instances[w % instances.Count];
            var n = 1000 + w * 1_000_000;
            while (clock.Elapsed < duration && (limit is null || Interlocked.Increment(ref issued) <= limit))
            {
                var sw = Stopwatch.StartNew();
                var accepted = await LiveBoardServer.ReportAsync(http, district, indicator, n++);
                if (accepted) local.Add(sw.Elapsed.TotalMilliseconds);
                else Interlocked.Increment(ref refused);
            }
            lock (latencies) latencies.AddRange(local);
            Interlocked.Add(ref ok, local.Count);
        })));
        return (ok / clock.Elapsed.TotalSeconds, Distribution.Of(latencies), refused);
    }
}
