using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// Submit → DOM latency on K Blazor pages in headless Chromium tabs. Each page carries a MutationObserver that
/// stamps (in epoch milliseconds, the same clock as the bench's) the moment the watched element shows a value.
/// </summary>
public static class Circuits
{
    // Stamps the moment the expected text is in the DOM and, beside it, the server's stamp of the data shown
    // (data-snapshot-at, epoch ms, when the server finished building that snapshot; absent on pages without one), then
    // disconnects: observers left behind from earlier rounds would each re-run on every later DOM change (the clock ticks
    // every second) and add their own work to the tab being measured.
    private const string Observer = """
        (args) => {
          const [selector, expected] = args;
          window.__seenAt = window.__seenAt || {};
          window.__snapshotAt = window.__snapshotAt || {};
          const observer = new MutationObserver(() => check());
          const check = () => {
            const el = document.querySelector(selector);
            if (el && el.textContent.includes(expected) && !window.__seenAt[expected]) {
              window.__seenAt[expected] = performance.timeOrigin + performance.now();
              const stamp = document.querySelector("[data-snapshot-at]");
              window.__snapshotAt[expected] = stamp ? Number(stamp.getAttribute("data-snapshot-at")) : 0;
              observer.disconnect();
            }
          };
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    /// <summary>Submit → DOM on every tab and round, and its split at the server's snapshot stamp where pages carry one.</summary>
    public sealed record Result(Distribution Latency, Distribution Server, Distribution Browser, int Missed);

    /// <param name="firstOpen">called once the first tab is live: memory read here and after <paramref name="allOpen"/>
    /// gives the cost of one more circuit without the one-time costs (JIT, caches, route tables) the first one pays.</param>
    /// <param name="reducedMotion">open the tabs with prefers-reduced-motion: reduce (the display then plays no animations).</param>
    public static async Task<Result> RunAsync(
        IBrowser browser, Uri page, string readySelector, int pages, int rounds,
        string selector, Func<int, string> expectedText, Func<int, Task> submit, Action<string> progress, Func<Task>? allOpen = null,
        Func<Task>? firstOpen = null, bool reducedMotion = false)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1920, Height = 1080 },
            ReducedMotion = reducedMotion ? ReducedMotion.Reduce : ReducedMotion.NoPreference,
        });
        var tabs = new List<IPage>();
        for (var i = 0; i < pages; i++)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(page.ToString());
            await tab.WaitForSelectorAsync(readySelector, new() { Timeout = 60_000 });
            tabs.Add(tab);
            if (i == 0 && firstOpen is not null) await firstOpen();
        }
        progress($"  {pages} pages live");
        if (allOpen is not null) await allOpen();

        var latencies = new List<double>();
        var server = new List<double>();
        var browserSide = new List<double>();
        var missed = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var expected = expectedText(round);
            foreach (var tab in tabs) await tab.EvaluateAsync(Observer, new object[] { selector, expected });
            var t0 = DateTimeOffset.UtcNow;
            await submit(round);
            foreach (var tab in tabs)
            {
                try
                {
                    await tab.WaitForFunctionAsync($"() => window.__seenAt && window.__seenAt['{expected}']", null, new() { Timeout = 10_000 });
                    var seen = await tab.EvaluateAsync<double>($"() => window.__seenAt['{expected}']");
                    var start = (t0 - DateTimeOffset.UnixEpoch).TotalMilliseconds;
                    latencies.Add(seen - start);
                    // Same machine, same clock: the server's stamp splits the latency into server and circuit + browser.
                    var snapshotAt = await tab.EvaluateAsync<double>($"() => window.__snapshotAt['{expected}']");
                    if (snapshotAt > 0)
                    {
                        server.Add(snapshotAt - start);
                        browserSide.Add(seen - snapshotAt);
                    }
                }
                catch (TimeoutException)
                {
                    missed++;
                }
            }
        }
        await context.CloseAsync();
        return new Result(Distribution.Of(latencies), Distribution.Of(server), Distribution.Of(browserSide), missed);
    }
}
