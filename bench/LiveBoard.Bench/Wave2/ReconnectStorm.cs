using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// A deploy or a crash during the evening meeting: every hub viewer and wall screen is connected, the server is stopped
/// with SIGTERM and started again on the same port and database. Measured from the moment the new server answers: when
/// every viewer has its new "Snapshot", when every display shows a figure submitted after the restart, and the server's
/// CPU seconds until then. The floor is the bare SignalR hub (sending a Snapshot of the same size on connect) put through
/// the same restart with the same viewers in the same run.
/// </summary>
public static class ReconnectStorm
{
    private sealed record Result(int Viewers, double StopS, double ViewersCurrentS, double? DisplaysCurrentS, double CpuS, double CpuViewersS, double CpuSinceStartS,
        int NotCurrent, int DisplaysNotCurrent, int RefusedLate, int Attempts, double FirstInS, double AnsweredS, double CpuSinceFirstInS, double CpuViewersSinceFirstInS);

    public static async Task RunAsync(Wave2Options options, Wave2Report report, Action<string> say)
    {
        var bin = await options.ServerAsync(say);
        var db = LiveBoardServer.NewDatabase();
        var port = ServerProcess.FreePort();
        var settings = LiveBoardServer.BenchSettings();
        var server = await LiveBoardServer.StartAsync(bin, db, port, settings);
        ServerProcess? baseline = null;
        try
        {
            var liveHub = new Uri(server.Root, "hubs/live?topics=figures,status");
            var snapshotBytes = await SnapshotBytesAsync(liveHub, LiveBoardServer.ScreenKey);
            say($"reconnect storm: LiveBoard's Snapshot is {snapshotBytes} bytes of JSON; the baseline sends as much on connect");

            var basePort = ServerProcess.FreePort();
            baseline = await BaselineHub.StartAsync(basePort, snapshotBytes);
            say($"reconnect storm, baseline hub, {options.StormViewers} viewers ...");
            Result bare;
            (bare, baseline) = await StormAsync(options.StormViewers, new Uri(baseline.Root, "hub"), null, baseline,
                () => BaselineHub.StartAsync(basePort, snapshotBytes), null, null, say);
            await baseline.DisposeAsync();
            baseline = null;

            say($"reconnect storm, LiveBoard, {options.StormViewers} viewers and {options.StormDisplays} display tabs ...");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchBrowser.LaunchAsync(playwright);
            var tabs = await DisplayTabs.OpenAsync(browser, new Uri(server.Root, $"display/demo?key={LiveBoardServer.ScreenKey}&panel=ticker"),
                "[data-live='true']", "[data-testid='ticker-value']", options.StormDisplays, say, separate: options.WallsAsPcs);
            // Small values: the ticker shows them as they are (no 万 or grouping). One before, one after the restart.
            const int Before = 901, After = 902;
            // Signed in before the stop (the token outlives a restart: the keys are in the database), so the restarted server's
            // CPU in the storm holds no password hash the baseline does not do either.
            string token;
            using (var anon = LiveBoardServer.Client(server.Root)) token = await LiveBoardServer.TokenAsync(anon, "organiser");
            using (var api = LiveBoardServer.Client(server.Root, token))
                if (!await LiveBoardServer.ReportAsync(api, "naiman", "started-projects", Before)) throw new InvalidOperationException("the figure before the restart was refused");
            await WaitAsync(() => tabs.NotShowing(Before.ToString(CultureInfo.InvariantCulture)) == 0, TimeSpan.FromSeconds(30), "the displays to show the figure before the restart");

            Result live;
            (live, server) = await StormAsync(options.StormViewers, liveHub, LiveBoardServer.ScreenKey, server,
                () => LiveBoardServer.StartAsync(bin, db, port, settings, poll: TimeSpan.FromMilliseconds(20)), tabs,
                async restarted =>
                {
                    using var api = LiveBoardServer.Client(restarted.Root, token);
                    if (!await LiveBoardServer.ReportAsync(api, "naiman", "started-projects", After)) throw new InvalidOperationException("the figure after the restart was refused");
                    return After.ToString(CultureInfo.InvariantCulture);
                }, say);
            await tabs.DisposeAsync();

            var allCurrent = Math.Max(live.ViewersCurrentS, live.DisplaysCurrentS ?? 0);
            // Like for like with the baseline, which reconnects the same 10,000 viewers: the server's CPU from the moment the first
            // viewer was back in (before the server answers its health check) until every viewer had its Snapshot.
            // The walls' page loads after that are reported beside it, as are the windows from the answer and from the start.
            var cpuRatio = live.CpuViewersSinceFirstInS / bare.CpuViewersSinceFirstInS;
            report.Goal("reconnect storm", $"new server answers → all {options.StormViewers} viewers have a Snapshot and all {options.StormDisplays} displays show a figure sent after the restart",
                "≤ 30 s", $"{Wave2Report.S(allCurrent)} s (viewers {Wave2Report.S(live.ViewersCurrentS)} s, {(live.DisplaysCurrentS is { } shown ? $"displays {Wave2Report.S(shown)} s" : "no displays in this run")}; bare hub's viewers {Wave2Report.S(bare.ViewersCurrentS)} s)",
                allCurrent <= 30 && live.NotCurrent == 0 && live.DisplaysNotCurrent == 0);
            report.Goal("reconnect storm", "server CPU on reconnection, LiveBoard / bare hub", "≤ 1.5 ×",
                $"{cpuRatio:F2} × (first viewer in → viewers current {live.CpuViewersSinceFirstInS:F1} s vs {bare.CpuViewersSinceFirstInS:F1} s; with the displays' page loads {live.CpuSinceFirstInS / bare.CpuSinceFirstInS:F2} ×, {live.CpuSinceFirstInS:F1} s; " +
                $"from the answer {live.CpuViewersS / bare.CpuViewersS:F2} × for the viewers, {live.CpuS / bare.CpuS:F2} × in all; from the process start {live.CpuSinceStartS / bare.CpuSinceStartS:F2} ×)", cpuRatio <= 1.5);
            report.Goal("reconnect storm", "connection attempts refused more than 5 s after the new server answered", "0",
                $"{live.RefusedLate} (bare hub {bare.RefusedLate})", live.RefusedLate == 0);
            report.Detail($"""
                Reconnect storm: viewers are bare WebSocket clients (SignalR JSON protocol) that reconnect as a SignalR client with
                automatic reconnect does, with jittered back-off (first retry within 1 s, then 1 s × 1.5ⁿ capped at 5 s, each ×0.5–1.5).
                Displays: the wall page on the ticker panel, which reloads itself once the server answers (display.js); the figure they
                must show is submitted (signed in before the stop) once every viewer is current, so its write and fan-out are not in
                the viewers' reconnection CPU. "Current"
                counts from the moment the restarted server first answered /healthz (polled every 20 ms). Server CPU is read from that
                answer, from the moment the first viewer had its Snapshot again (the storm begins there, before the answer) and from the
                process start; the goal compares first viewer in → viewers current, the work the baseline does too.
                Attempts = connection attempts the viewers made in all.

                | hub | viewers | displays | SIGTERM → exit s | start → first viewer in s | start → answer s | answer → viewers current s | answer → displays current s | server CPU s (answer → current) | … until the viewers were current | server CPU s (first viewer in → viewers current) | … → all current | server CPU s (process start → current) | viewers not current | displays not current | attempts | refused > 5 s after answer |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                {Row("bare SignalR hub", bare, 0)}
                {Row("LiveBoard /hubs/live + /display", live, options.StormDisplays)}
                """);
            if (live.NotCurrent > 0 || bare.NotCurrent > 0) report.Failures.Add($"after the restart {live.NotCurrent} LiveBoard and {bare.NotCurrent} baseline viewers never got a Snapshot");
            if (live.DisplaysNotCurrent > 0) report.Failures.Add($"after the restart {live.DisplaysNotCurrent} displays never showed the new figure");
        }
        finally
        {
            if (baseline is not null) await baseline.DisposeAsync();
            await server.DisposeAsync();
            foreach (var file in LiveBoardServer.DatabaseFiles(db)) File.Delete(file);
        }
    }

    private static string Row(string name, Result r, int displays) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {r.Viewers} | {displays} | {r.StopS:F1} | {r.FirstInS:F1} | {r.AnsweredS:F1} | {r.ViewersCurrentS:F1} | {(r.DisplaysCurrentS is { } d ? d.ToString("F1", CultureInfo.InvariantCulture) : "")} | {r.CpuS:F1} | {r.CpuViewersS:F1} | {r.CpuViewersSinceFirstInS:F1} | {r.CpuSinceFirstInS:F1} | {r.CpuSinceStartS:F1} | {r.NotCurrent} | {r.DisplaysNotCurrent} | {r.Attempts} | {r.RefusedLate} |");

    /// <param name="afterRestart">submits a figure on the restarted server; the text the displays must come to show.</param>
    private static async Task<(Result, ServerProcess)> StormAsync(int count, Uri hub, string? token, ServerProcess server,
        Func<Task<ServerProcess>> restart, DisplayTabs? tabs, Func<ServerProcess, Task<string>>? afterRestart, Action<string> say)
    {
        await using var viewers = new StormViewers(hub, token, count);
        await viewers.StartAsync(say);

        var stopping = Stopwatch.StartNew();
        var mark = Stopwatch.GetTimestamp();
        await server.StopAsync();
        var stopS = stopping.Elapsed.TotalSeconds;
        await server.DisposeAsync();
        say($"  stopped with SIGTERM in {stopS:F1} s; starting again on the same port ...");

        var restarted = await restart();
        var answered = Stopwatch.GetTimestamp();
        var answeredEpoch = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        var cpu0 = restarted.Meter.CpuSeconds();
        say($"  the new server answered {restarted.ReadyAfter.TotalSeconds:F1} s after its start (cpu {cpu0:F1} s)");

        var limit = Stopwatch.StartNew();
        // The server's CPU until the hub viewers are current, apart from what the displays' page loads cost after.
        while (limit.Elapsed < TimeSpan.FromSeconds(120) && viewers.CurrentSince(mark) < count)
            await Task.Delay(50); // waiting for the condition, bounded; what never came is reported
        var cpuViewers = restarted.Meter.CpuSeconds() - cpu0;
        // The figure the walls must come to show goes in once the viewers are back: its durable write and its fan-out to
        // every viewer are not reconnection work, and the baseline does neither (session 15: submitted at the answer, they
        // were counted in LiveBoard's reconnection CPU).
        var expected = afterRestart is null ? null : await afterRestart(restarted);
        while (limit.Elapsed < TimeSpan.FromSeconds(120) && tabs is not null && expected is not null && tabs.NotShowing(expected) > 0)
            await Task.Delay(50); // waiting for the condition, bounded; what never came is reported
        var cpu = restarted.Meter.CpuSeconds();
        // From the first viewer back in (its Snapshot): the storm begins there, while the ready path may still wait behind it.
        var firstIn = viewers.FirstSnapshotSince(mark);
        var cpuFirstIn = firstIn is { } t && t < answered ? restarted.CpuSecondsAt(t) : cpu0;
        var firstInS = firstIn is { } f ? Stopwatch.GetElapsedTime(restarted.StartedAt, f).TotalSeconds : double.NaN;
        var notCurrent = count - viewers.CurrentSince(mark);
        var viewersS = Stopwatch.GetElapsedTime(answered, viewers.LastSnapshotSince(mark)).TotalSeconds;
        double? displaysS = null;
        var displaysNotCurrent = 0;
        // --storm-displays 0: the hub viewers' storm alone (what a profile of the server's reconnection work wants).
        if (tabs is { Pages.Count: > 0 } && expected is not null)
        {
            displaysNotCurrent = tabs.NotShowing(expected);
            if (displaysNotCurrent == 0) displaysS = (tabs.LastShownAt(expected) - answeredEpoch) / 1000;
            // Where a display's time goes: waiting to reload (its reconnect and reload schedule), then loading the page.
            var reloads = tabs.LoadedAt.Select(t => (t - answeredEpoch) / 1000).Where(double.IsFinite).Order().ToList();
            if (reloads.Count > 0)
                say(string.Create(CultureInfo.InvariantCulture, $"  displays' reloads began after the answer: min {reloads[0]:F1} s, median {reloads[reloads.Count / 2]:F1} s, max {reloads[^1]:F1} s ({reloads.Count(r => r < 0)} before it); {tabs.LoadsAfter(answeredEpoch)} page loads after the answer"));
            // The console logger writes the level and category on one line, the message on the next.
            var log = restarted.Log;
            foreach (var i in Enumerable.Range(0, log.Count).Where(i => log[i].Line.StartsWith("warn", StringComparison.Ordinal) || log[i].Line.StartsWith("fail", StringComparison.Ordinal)).Take(10))
                say($"  server {log[i].At.TotalSeconds:F1} s: {log[i].Line} {(i + 1 < log.Count ? log[i + 1].Line.Trim() : "")}");
        }
        say($"  first viewer back in {firstInS:F1} s after the start (server cpu by then {cpuFirstIn:F1} s)");
        say($"  viewers current after {viewersS:F1} s{(displaysS is { } d ? $", displays after {d:F1} s" : "")}; not current: {notCurrent} viewers, {displaysNotCurrent} displays; server cpu {cpu - cpu0:F1} s ({cpuViewers:F1} s until the viewers were current)");
        var result = new Result(count, stopS, viewersS, displaysS, cpu - cpu0, cpuViewers, cpu, notCurrent, displaysNotCurrent,
            viewers.FailuresAfter(answered + Stopwatch.Frequency * 5), viewers.Attempts,
            firstInS, restarted.ReadyAfter.TotalSeconds, cpu - cpuFirstIn, cpu0 + cpuViewers - cpuFirstIn);
        return (result, restarted);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds} s for {what}");
            await Task.Delay(50); // waiting for the condition, bounded
        }
    }

    private static async Task<int> SnapshotBytesAsync(Uri hub, string token)
    {
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var probe = await RawHubViewer.ConnectAsync(hub, token, "Snapshot", e => seen.TrySetResult(Encoding.UTF8.GetByteCount(e.GetRawText())));
        return await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

/// <summary>
/// N hub viewers that stay connected: each reconnects when the server closes it, with jittered back-off, and stamps every
/// "Snapshot" it receives. Connection attempts that fail are counted with their time, to show any refused once the
/// server is back.
/// </summary>
public sealed class StormViewers(Uri hub, string? token, int count) : IAsyncDisposable
{
    private readonly long[] _lastSnapshot = new long[count];
    private readonly RawHubViewer?[] _current = new RawHubViewer?[count];
    private readonly List<long> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private Task _pinging = Task.CompletedTask;
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Connects in batches of 250, each waiting for its Snapshots: a burst of N handshakes at once only measures the accept queue.</summary>
    public async Task StartAsync(Action<string> say)
    {
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < count; start += 250)
        {
            var end = Math.Min(start + 250, count);
            for (var i = start; i < end; i++)
            {
                var viewer = i;
                _loops.Add(Task.Run(() => StayConnectedAsync(viewer)));
            }
            while (Enumerable.Range(start, end - start).Any(i => Volatile.Read(ref _lastSnapshot[i]) == 0))
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"viewers {start}..{end} got no Snapshot within 5 minutes");
                await Task.Delay(20); // waiting for the batch's snapshots, bounded
            }
            if (end % 2500 == 0 || end == count) say($"  {end}/{count} viewers connected, each with its Snapshot");
        }
        // Bare WebSocket viewers answer for themselves: the server drops a client it has not heard from in 30 s.
        _pinging = Task.Run(async () =>
        {
            using var every = new PeriodicTimer(TimeSpan.FromSeconds(10));
            try
            {
                while (await every.WaitForNextTickAsync(_stop.Token))
                    foreach (var viewer in _current)
                        if (viewer is not null)
                            // A viewer whose connection has just closed may be disposed by its own loop meanwhile.
                            try { await viewer.PingAsync(); } catch (ObjectDisposedException) { }
            }
            catch (OperationCanceledException) { }
        });
    }

    public int CurrentSince(long mark) => _lastSnapshot.Count(t => Volatile.Read(ref t) > mark);

    /// <summary>When the first viewer had its Snapshot again (a Stopwatch timestamp), or null.</summary>
    public long? FirstSnapshotSince(long mark) => _lastSnapshot.Where(t => t > mark).Select(t => (long?)t).Min();

    public long LastSnapshotSince(long mark) => _lastSnapshot.Where(t => t > mark).DefaultIfEmpty(mark).Max();

    public int FailuresAfter(long mark)
    {
        lock (_failures) return _failures.Count(t => t > mark);
    }

    private async Task StayConnectedAsync(int i)
    {
        for (var attempt = 0; !_stop.IsCancellationRequested; attempt++)
        {
            RawHubViewer? viewer = null;
            try
            {
                Interlocked.Increment(ref _attempts);
                viewer = await RawHubViewer.ConnectAsync(hub, token, "Snapshot", _ => Volatile.Write(ref _lastSnapshot[i], Stopwatch.GetTimestamp()));
                _current[i] = viewer;
                attempt = -1;
                await viewer.Closed.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                lock (_failures) _failures.Add(Stopwatch.GetTimestamp());
            }
            finally
            {
                _current[i] = null;
                if (viewer is not null) await viewer.DisposeAsync();
            }
            try
            {
                await Task.Delay(Backoff(Math.Max(0, attempt)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    // The first retry within a second, then 1 s × 1.5ⁿ capped at 5 s, each spread ×0.5–1.5 so 10,000 clients do not
    // knock in step.
    private static TimeSpan Backoff(int attempt) => attempt == 0
        ? TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 1000)
        : TimeSpan.FromMilliseconds(Math.Min(5000, 1000 * Math.Pow(1.5, attempt - 1)) * (0.5 + Random.Shared.NextDouble()));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinging;
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
