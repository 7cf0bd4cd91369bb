using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// Submit → DOM latency on K Blazor pages in headless Chromium tabs. Each page carries a MutationObserver that
/// stamps (in epoch milliseconds, the same clock as the bench's) the moment the watched element shows a value.
/// </summary>
public static class Circuits
{
    private const string Observer = """
        (args) => {
          const [selector, expected] = args;
          window.__seenAt = window.__seenAt || {};
          const check = () => {
            const el = document.querySelector(selector);
            if (el && el.textContent.includes(expected) && !window.__seenAt[expected]) {
              window.__seenAt[expected] = performance.timeOrigin + performance.now();
            }
          };
          new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    public static async Task<(Distribution Latency, int Missed)> RunAsync(
        IBrowser browser, Uri page, string readySelector, int pages, int rounds,
        string selector, Func<int, string> expectedText, Func<int, Task> submit, Action<string> progress, Func<Task>? allOpen = null)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 } });
        var tabs = new List<IPage>();
        for (var i = 0; i < pages; i++)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(page.ToString());
            await tab.WaitForSelectorAsync(readySelector, new() { Timeout = 60_000 });
            tabs.Add(tab);
        }
        progress($"  {pages} pages live");
        if (allOpen is not null) await allOpen();

        var latencies = new List<double>();
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
                    latencies.Add(seen - (t0 - DateTimeOffset.UnixEpoch).TotalMilliseconds);
                }
                catch (TimeoutException)
                {
                    missed++;
                }
            }
        }
        await context.CloseAsync();
        return (Distribution.Of(latencies), missed);
    }
}
