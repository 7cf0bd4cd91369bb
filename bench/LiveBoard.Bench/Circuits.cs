using System.Globalization;
using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// Submit → DOM latency on K Blazor pages in headless Chromium tabs. Each page carries a MutationObserver that
/// stamps (in epoch milliseconds, the same clock as the bench's) the moment the watched element shows a value.
/// </summary>
public static class Circuits
{
    // Installed in every tab before the page's own scripts: one MutationObserver for the life of the page that stamps (epoch
    // milliseconds, the same clock as the bench's) each new text of the watched element, with the server's stamp of the
    // data shown beside it (data-snapshot-at, epoch ms, when the server finished building that snapshot; 0 on pages without
    // one), and hands both to the bench through a Playwright binding. The bench therefore never polls a tab or evaluates
    // script in it while an update is on its way: with 20 tabs, that CDP traffic ran in the same browser processes, on
    // the same two cores, as the updates being timed.
    private const string Observer = """
        (selector) => {
          let last = null;
          const check = () => {
            const el = document.querySelector(selector);
            const text = el ? el.textContent : null;
            if (text === null || text === last) return;
            last = text;
            const seenAt = performance.timeOrigin + performance.now();
            const stamp = document.querySelector("[data-snapshot-at]");
            const snapshotAt = stamp ? Number(stamp.getAttribute("data-snapshot-at")) : 0;
            window.__lbSeen(JSON.stringify({ text, seenAt, snapshotAt }));
          };
          const start = () => new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
          if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
        }
        """;

    private sealed record Seen(string Text, double SeenAt, double SnapshotAt);

    /// <summary>Submit → DOM on every tab and round, and its split at the server's snapshot stamp where pages carry one.</summary>
    public sealed record Result(Distribution Latency, Distribution Server, Distribution Browser, int Missed, int LateRounds);

    /// <param name="opened">called with the number of tabs live after each one opens, to read memory part-way.</param>
    /// <param name="reducedMotion">open the tabs with prefers-reduced-motion: reduce (the display then plays no animations).</param>
    /// <param name="warmUpRounds">before anything is measured, the same number of tabs is opened, plays these rounds and is
    /// closed again, <paramref name="warmUpPasses"/> times, and <paramref name="warmedUp"/> is awaited (it waits for the
    /// server to let their circuits go). Without it the measured circuits paid for tier-up JIT: a method is recompiled
    /// after about 30 calls, so code run once per circuit was still being recompiled while the 20 measured tabs opened,
    /// and that code (and the JIT's scratch memory) counted as theirs.</param>
    public static async Task<Result> RunAsync(
        IBrowser browser, Uri page, string readySelector, int pages, int rounds,
        string selector, Func<int, string> expectedText, Func<int, Task> submit, Action<string> progress, Func<Task>? allOpen = null,
        Func<int, Task>? opened = null, bool reducedMotion = false, TimeSpan? interval = null, int warmUpRounds = 0,
        int warmUpPasses = 1, Func<Task>? warmedUp = null, Func<Task>? played = null)
    {
        var round = 0;
        if (warmUpRounds > 0)
        {
            for (var pass = 1; pass <= warmUpPasses; pass++)
            {
                var warm = await Tabs.OpenAsync(browser, page, readySelector, pages, selector, reducedMotion, null, TimeSpan.Zero);
                var passRounds = Math.Max(1, warmUpRounds / warmUpPasses);
                await warm.PlayAsync(round, passRounds, interval, expectedText, submit, null);
                round += passRounds;
                // Leaving the page lets Blazor tell the server the circuit is over (instead of keeping it for a reconnect).
                foreach (var tab in warm.Pages) await tab.GotoAsync("about:blank");
                await warm.Context.CloseAsync();
            }
            progress($"  warm-up: {warmUpPasses} × {pages} tabs opened, played {round} rounds in all, closed");
            if (warmedUp is not null) await warmedUp();
        }
        var tabs = await Tabs.OpenAsync(browser, page, readySelector, pages, selector, reducedMotion, opened, MeasuredTabsEvery);
        progress($"  {pages} pages live");
        if (allOpen is not null) await allOpen();
        var result = await tabs.PlayAsync(round, rounds, interval, expectedText, submit, progress);
        if (played is not null) await played();
        await tabs.Context.CloseAsync();
        return result;
    }

    /// <summary>
    /// The measured tabs open on a schedule, no faster than one every 1.5 s, whichever page they open. System.Text.Json keeps the
    /// accessors it emits for a type for 1 s after their last use, and every circuit's JS runtime has its own serializer
    /// options: circuits that start less than a second apart share those accessors, circuits further apart emit their
    /// own (~10 KB each, heap dumps read with `LiveBoard.Bench emitted`). Walls are switched on minutes apart; LiveBoard's
    /// tabs went live ~1.6 s apart here and paid it, the bare page's ~0.55 s apart and did not, so the baseline's memory
    /// per circuit was ~10 KB below what the same page costs a wall.
    /// </summary>
    public static readonly TimeSpan MeasuredTabsEvery = TimeSpan.FromSeconds(1.5);

    private sealed class Tabs
    {
        // The round in flight: what text the tabs are waiting for, and each tab's first sighting of it.
        private readonly object _gate = new();
        private string? _expected;
        private Dictionary<IPage, TaskCompletionSource<Seen>> _waiting = [];

        public required IBrowserContext Context { get; init; }
        public List<IPage> Pages { get; } = [];

        public static async Task<Tabs> OpenAsync(IBrowser browser, Uri page, string readySelector, int pages, string selector,
            bool reducedMotion, Func<int, Task>? opened, TimeSpan every)
        {
            var context = await browser.NewContextAsync(new()
            {
                ViewportSize = new() { Width = 1920, Height = 1080 },
                ReducedMotion = reducedMotion ? ReducedMotion.Reduce : ReducedMotion.NoPreference,
            });
            var tabs = new Tabs { Context = context };
            var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
            await context.ExposeBindingAsync("__lbSeen", (BindingSource source, string seenJson) =>
            {
                var seen = System.Text.Json.JsonSerializer.Deserialize<Seen>(seenJson, json)!;
                lock (tabs._gate)
                    if (tabs._expected is { } expected && seen.Text.Contains(expected) && tabs._waiting.TryGetValue(source.Page, out var tcs))
                        tcs.TrySetResult(seen);
            });
            await context.AddInitScriptAsync($"({Observer})({System.Text.Json.JsonSerializer.Serialize(selector)})");
            var schedule = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < pages; i++)
            {
                // Load pacing, not synchronisation: tab i opens no earlier than i × every after the first.
                if (every * i - schedule.Elapsed is { Ticks: > 0 } early) await Task.Delay(early);
                var tab = await context.NewPageAsync();
                await tab.GotoAsync(page.ToString());
                await tab.WaitForSelectorAsync(readySelector, new() { Timeout = 60_000 });
                tabs.Pages.Add(tab);
                if (opened is not null) await opened(i + 1);
            }
            return tabs;
        }

        /// <param name="progress">null: a warm-up, nothing reported.</param>
        public async Task<Result> PlayAsync(int before, int rounds, TimeSpan? interval, Func<int, string> expectedText,
            Func<int, Task> submit, Action<string>? progress)
        {
            var latencies = new List<double>();
            var server = new List<double>();
            var browserSide = new List<double>();
            var missed = 0;
            var lateRounds = 0;
            // Rounds start on a fixed schedule, not as soon as the last tab has seen the previous one: a closed loop's rate
            // follows the system's (and the bench's own) speed, so two runs would not be measuring the same load.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var r = 1; r <= rounds; r++)
            {
                var round = before + r;
                var due = (interval ?? TimeSpan.Zero) * (r - 1);
                if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed); // the schedule itself, not synchronisation
                else if (r > 1 && interval is not null) lateRounds++;
                lock (_gate)
                {
                    _expected = expectedText(round);
                    _waiting = Pages.ToDictionary(t => t, _ => new TaskCompletionSource<Seen>(TaskCreationOptions.RunContinuationsAsynchronously));
                }
                var start = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
                await submit(round);
                var thisRound = new List<double>();
                foreach (var (_, tcs) in _waiting)
                {
                    try
                    {
                        var seen = await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
                        thisRound.Add(seen.SeenAt - start);
                        // Same machine, same clock: the server's stamp splits the latency into server and circuit + browser.
                        if (seen.SnapshotAt > 0)
                        {
                            server.Add(seen.SnapshotAt - start);
                            browserSide.Add(seen.SeenAt - seen.SnapshotAt);
                        }
                    }
                    catch (TimeoutException)
                    {
                        missed++;
                    }
                }
                latencies.AddRange(thisRound);
                var byTab = string.Join(" ", thisRound.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
                thisRound.Sort();
                if (thisRound.Count > 0 && thisRound[^1] > 250) progress?.Invoke($"    round {r} over 250 ms, each tab in order: {byTab}");
                if (thisRound.Count > 0)
                    progress?.Invoke($"    round {r}: median {thisRound[thisRound.Count / 2]:F0} ms, slowest {thisRound[^1]:F0} ms");
            }
            return new Result(Distribution.Of(latencies), Distribution.Of(server), Distribution.Of(browserSide), missed, lateRounds);
        }
    }
}
