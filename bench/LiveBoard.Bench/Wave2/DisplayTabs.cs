using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>Headless Chromium as the bench runs it: Debian's build, with the flags this machine needs.</summary>
public static class BenchBrowser
{
    /// <summary>
    /// Debian's full Chromium, as a wall runs it; or Debian's chromium-headless-shell (same Blink and V8, without the
    /// desktop browser's process work), for the quick runs (the test suite's, which judge no timing) and with wave2
    /// --headless-shell: the tabs share the server's two cores here, where on site each wall is a machine of its own.
    /// </summary>
    public static string Executable { get; private set; } = "/usr/bin/chromium";

    public static void UseHeadlessShell(bool shell)
    {
        if (shell) Executable = "/usr/bin/chromium-headless-shell";
    }

    /// <summary>The browser at <paramref name="path"/>, or a sentence saying which Debian package to install: the test
    /// command installs only the headless shell, and a full run on a fresh machine would otherwise fail on Playwright's
    /// "executable doesn't exist" after its servers started.</summary>
    public static string Installed(string path) => File.Exists(path) ? path : throw new InvalidOperationException(
        $"{path} is missing: install Debian's {Path.GetFileName(path)} (sudo apt-get install {Path.GetFileName(path)}) and run the bench again.");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Installed(Executable),
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--no-first-run"],
    });
}

/// <summary>
/// Wall-display tabs whose watched element the bench follows without polling them: an init script (so it is installed
/// again on every reload a server restart causes) reports each new text through a binding, with the time the tab saw it
/// (epoch ms, the bench's clock too). It also reports the text a page arrives with, since after a restart the tab reloads
/// and the figure is already in the first render.
/// </summary>
public sealed class DisplayTabs : IAsyncDisposable
{
    private const string Watcher = """
        (selector, attribute) => {
          let last = null;
          const check = () => {
            const el = document.querySelector(selector);
            const text = el ? (attribute ? el.getAttribute(attribute) : el.textContent) : null;
            if (text === null || text === last) return;
            last = text;
            window.__lbText(JSON.stringify({ text, at: performance.timeOrigin + performance.now() }));
          };
          const start = () => {
            check();
            new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: !!attribute });
          };
          if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
          window.__lbLoaded(performance.timeOrigin);
        }
        """;

    private sealed record Report(string Text, double At);

    private readonly ConcurrentDictionary<IPage, Report> _latest = new();
    private readonly ConcurrentDictionary<IPage, double> _loadedAt = new();
    private readonly ConcurrentBag<double> _loads = new();

    /// <summary>Page loads (epoch ms) of all tabs after <paramref name="since"/>: a tab that reloads twice shows twice.</summary>
    public int LoadsAfter(double since) => _loads.Count(t => t > since);

    /// <summary>When each tab's page last started loading (epoch ms): after a restart, when its reload began.</summary>
    public IReadOnlyList<double> LoadedAt => [.. Pages.Select(p => _loadedAt.GetValueOrDefault(p, double.NaN))];
    private int _seen;

    /// <summary>How many new texts (or attribute values) the tabs have reported in all.</summary>
    public int Seen => Volatile.Read(ref _seen);

    /// <summary>One browser context per tab: each wall is its own PC, with its own cookies, cache and connections.</summary>
    private readonly List<IBrowserContext> _contexts = [];

    public List<IPage> Pages { get; } = [];

    /// <param name="attribute">follow this attribute of the element instead of its text.</param>
    /// <param name="reducedMotion">the tabs ask for prefers-reduced-motion: reduce (the display then plays no animations).</param>
    /// <param name="separate">each tab in a browser context of its own (a wall PC of its own: its own cookies, cache and
    /// connections) rather than all tabs in one. Tabs of one context share Chromium's six connections per host, so after a
    /// restart their reconnects, health checks and page loads queue behind one another, which no room of wall PCs does;
    /// but 50 separate contexts (50 renderers) on the server's own two cores starved the restarting server of CPU
    /// (BENCHMARKS.md, 2026-12-01 session 8), so the storm keeps one context by default (`--walls-as-pcs` for the other).</param>
    public static async Task<DisplayTabs> OpenAsync(IBrowser browser, Uri page, string readySelector, string selector, int count, Action<string> say,
        string? attribute = null, bool reducedMotion = false, bool separate = false)
    {
        var tabs = new DisplayTabs();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        async Task<IBrowserContext> NewContextAsync()
        {
            var context = await browser.NewContextAsync(new()
            {
                ViewportSize = new() { Width = 1920, Height = 1080 },
                ReducedMotion = reducedMotion ? ReducedMotion.Reduce : ReducedMotion.NoPreference,
            });
            tabs._contexts.Add(context);
            await context.ExposeBindingAsync("__lbText", (BindingSource source, string seen) =>
            {
                tabs._latest[source.Page] = JsonSerializer.Deserialize<Report>(seen, json)!;
                Interlocked.Increment(ref tabs._seen);
            });
            await context.ExposeBindingAsync("__lbLoaded", (BindingSource source, double at) =>
            {
                tabs._loadedAt[source.Page] = at;
                tabs._loads.Add(at);
            });
            await context.AddInitScriptAsync($"({Watcher})({JsonSerializer.Serialize(selector)}, {JsonSerializer.Serialize(attribute)})");
            return context;
        }
        IBrowserContext? shared = null;
        for (var i = 0; i < count; i++)
        {
            var context = separate || shared is null ? await NewContextAsync() : shared;
            shared ??= context;
            var tab = await context.NewPageAsync();
            // Generous: with a hundred tabs already live on two shared cores, one page load took over 30 s (Playwright's default).
            await tab.GotoAsync(page.ToString(), new() { Timeout = 180_000 });
            await tab.WaitForSelectorAsync(readySelector, new() { Timeout = 180_000 });
            tabs.Pages.Add(tab);
            if ((i + 1) % 10 == 0 || i + 1 == count) say($"  {i + 1}/{count} display tabs live");
        }
        return tabs;
    }

    /// <summary>Tabs whose watched element does not show <paramref name="text"/> yet.</summary>
    public int NotShowing(string text) => Pages.Count(p => !(_latest.TryGetValue(p, out var seen) && seen.Text.Contains(text, StringComparison.Ordinal)));

    /// <summary>When each tab that shows <paramref name="text"/> came to show it (epoch ms, the tab's clock and the bench's).</summary>
    public IReadOnlyList<double> ShownAt(string text) =>
        [.. Pages.Select(p => _latest.TryGetValue(p, out var seen) && seen.Text.Contains(text, StringComparison.Ordinal) ? seen.At : double.NaN)
            .Where(t => !double.IsNaN(t))];

    /// <summary>When the last tab came to show <paramref name="text"/> (epoch ms), once all do.</summary>
    public double LastShownAt(string text) => Pages.Max(p => _latest[p].Text.Contains(text, StringComparison.Ordinal) ? _latest[p].At : double.NaN);

    public async ValueTask DisposeAsync()
    {
        // Leaving the page lets Blazor tell the server the circuit is over.
        foreach (var tab in Pages)
            try { await tab.GotoAsync("about:blank"); } catch (PlaywrightException) { }
        foreach (var context in _contexts) await context.CloseAsync();
    }
}
