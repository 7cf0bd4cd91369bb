using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// Every wall of a city on one instance (issue 19, item 5): N display circuits, Chromium tabs spread over several browser
/// processes, on the ticker panel. One figure a round is submitted through the API; each tab reports (DisplayTabs' init
/// script, no polling) when the new value appears. Submit → DOM over every tab and round, nearest-rank percentiles.
/// </summary>
/// <remarks>
/// The tabs ask for reduced motion: on this machine all the browsers share the server's two cores, and 200 tabs playing
/// the ticker's animations would measure Chromium's compositor, not LiveBoard (a real wall is its own machine). The rounds
/// are spaced so that one round's renders are over before the next submission: what is measured is one change reaching
/// every screen, not a backlog.
/// </remarks>
public static class Screens
{
    public static async Task RunAsync(Wave2Options options, Wave2Report report, Action<string> say)
    {
        var count = options.Screens;
        var browsers = Math.Clamp(options.ScreenBrowsers, 1, count);
        say($"screens: {count} display tabs in {browsers} browser processes, {options.ScreenRounds} rounds ...");
        await using var server = await LiveBoardServer.StartAsync(LiveBoardServer.BenchSettings(), await options.ServerAsync(say));
        using var anon = LiveBoardServer.Client(server.Root);
        using var api = LiveBoardServer.Client(server.Root, await LiveBoardServer.TokenAsync(anon, "organiser"));
        var idleRss = server.Meter.RssBytes();

        using var playwright = await Playwright.CreateAsync();
        var launched = new List<IBrowser>();
        var groups = new List<DisplayTabs>();
        var servers = new HashSet<int> { server.Pid };
        try
        {
            for (var b = 0; b < browsers; b++) launched.Add(await BenchBrowser.LaunchAsync(playwright));
            var page = new Uri(server.Root, $"display/demo?key={LiveBoardServer.ScreenKey}&panel=ticker");
            var opening = Stopwatch.StartNew();
            // The browsers open their share of tabs side by side, each one tab at a time (as walls come on one by one).
            var shares = Enumerable.Range(0, browsers).Select(b => count / browsers + (b < count % browsers ? 1 : 0)).ToArray();
            groups.AddRange(await Task.WhenAll(launched.Select((browser, b) => DisplayTabs.OpenAsync(browser, page, "[data-live='true']",
                "[data-testid='ticker-value']", shares[b], line => say($"  browser {b + 1}:{line}"), reducedMotion: true))));
            var openS = opening.Elapsed.TotalSeconds;
            var openRss = server.Meter.RssBytes();
            var browserRss = BrowserMeter.RssBytes(servers);
            say(string.Create(CultureInfo.InvariantCulture, $"  {count} tabs live after {openS:F0} s; server RSS +{(openRss - idleRss) / 1048576.0:F0} MB, browsers {browserRss / 1073741824.0:F1} GB"));

            var latencies = new List<double>();
            var missed = 0;
            var serverCpu0 = server.Meter.CpuSeconds();
            var browserCpu0 = BrowserMeter.CpuSeconds(servers);
            for (var r = 0; r < options.ScreenRounds; r++)
            {
                // A value no round had before (the demo's figures are larger), shown by the ticker as it is.
                var value = 900 + r;
                var text = value.ToString(CultureInfo.InvariantCulture);
                var submitted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (!await LiveBoardServer.ReportAsync(api, "naiman", "started-projects", value))
                    throw new InvalidOperationException($"screens round {r} was refused");
                var deadline = Stopwatch.StartNew();
                while (groups.Sum(g => g.NotShowing(text)) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
                    await Task.Delay(20); // waiting for the tabs' reports (the condition), bounded
                var shown = groups.SelectMany(g => g.ShownAt(text)).ToList();
                missed += count - shown.Count;
                latencies.AddRange(shown.Select(at => at - submitted));
                // Spaced rounds (see the remarks): at least the interval, and the slowest tab's render done before the next.
                var rest = options.ScreenInterval - deadline.Elapsed;
                if (rest > TimeSpan.Zero) await Task.Delay(rest); // the round's pacing, not a synchronisation
            }
            var serverCpu = server.Meter.CpuSeconds() - serverCpu0;
            var browserCpu = BrowserMeter.CpuSeconds(servers) - browserCpu0;
            var d = Distribution.Of(latencies);
            say($"  submit → DOM p50/p95/p99/max ms: {d.Row()}, missed {missed}, server cpu {serverCpu:F1} s, browsers cpu {browserCpu:F1} s");
            report.Goal("200 screens", $"submit → DOM on {count} display circuits across {browsers} Chromium instance{(browsers == 1 ? "" : "s")}, p99", "≤ 500 ms",
                string.Create(CultureInfo.InvariantCulture, $"{d.P99:F0} ms ({d.Count} samples, {missed} missed)"), missed == 0 && d.P99 <= 500);
            report.Detail(string.Create(CultureInfo.InvariantCulture, $"""
                Screens: {count} wall displays on the ticker panel (Chromium tabs, reduced motion, {browsers} browser processes
                with {string.Join("/", shares)} tabs), {options.ScreenRounds} rounds, one figure submitted through the API a round, at
                least {options.ScreenInterval.TotalSeconds} s apart and each after every tab showed the last. Submit → DOM = the tab's
                MutationObserver stamp − the bench's clock before the POST (same machine, same clock). Server CPU and the browsers'
                CPU over the rounds; the browsers' RSS summed over their processes (shared pages counted in each).

                | screens | browsers | rounds | p50 ms | p95 ms | p99 ms | max ms | missed | opening s | server RSS with the tabs open, MB over idle | server CPU s (rounds) | browsers CPU s (rounds) | browsers RSS GB |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | {count} | {browsers} | {options.ScreenRounds} | {d.Row()} | {missed} | {openS:F0} | {(openRss - idleRss) / 1048576.0:F0} | {serverCpu:F1} | {browserCpu:F1} | {browserRss / 1073741824.0:F1} |
                """));
            if (missed > 0) report.Failures.Add($"screens: {missed} display updates never reached the DOM within 30 s");
        }
        finally
        {
            foreach (var g in groups) await g.DisposeAsync();
            foreach (var b in launched) await b.DisposeAsync();
        }
    }
}
