using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveBoard.Bench;

/// <summary>
/// The open-network figures of docs/security.md, against a Release build on 127.0.0.1 (`--security`): how long the token
/// endpoint takes for an unknown user, a known user with a wrong password and a locked account (median of N each, the
/// answer each got); how many anonymous overview circuits one client address can open, and the server's memory with them
/// open and shortly after they close.
/// </summary>
public static class SecurityProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var circuits = Option(args, "--circuits", 300);
        var requests = Option(args, "--requests", 60);
        // --dropped: the memory phase only, its tabs' connections dropped without the page's goodbye (a phone losing its
        // network), so that the server keeps their circuits for the retention period.
        var dropped = args.Contains("--dropped");
        var env = new Dictionary<string, string>
        {
            // Lifted so the probe measures the endpoint, not the limiter: the per-minute limit, the per-address back-off.
            ["LiveBoard__RateLimits__AuthPerMinute"] = "1000000",
            ["LiveBoard__SignIn__FreeFailuresPerAddress"] = "1000000",
            ["LiveBoard__Diagnostics"] = "true",
        };
        // The per-address circuit cap is what the circuit phase measures first; a second server without it measures memory.
        foreach (var kv in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
            if (kv.Key is string key && key.StartsWith("BENCH_SERVER_", StringComparison.Ordinal)) env[key["BENCH_SERVER_".Length..]] = kv.Value?.ToString() ?? "";

        // The first server's database outlives it: after SIGTERM the bench reads what its refusal audit wrote.
        var db = LiveBoardServer.NewDatabase();
        var capped = new Dictionary<string, string>(env) { ["LiveBoard__DemoScreenKey"] = LiveBoardServer.ScreenKey };
        if (!dropped)
        {
            await using (var server = await LiveBoardServer.StartAsync(await LiveBoardServer.BuildAsync(), db, ServerProcess.FreePort(), capped))
            {
                using var http = LiveBoardServer.Client(server.Root);
                await TimingAsync(http, requests);
                // The cap and ten more: each refused tab waits out its timeout, so 300 of them would take most of an hour.
                if (circuits > 0)
                {
                    await CircuitsAsync(server, http, Math.Min(circuits, 30), "cap as configured");
                    // A control room behind one address: screens opened with their key are not counted against the address.
                    await CircuitsAsync(server, http, 25, "display screens with their key, one address", $"display/demo?key={LiveBoardServer.ScreenKey}", ".lb-canvas[data-live=true]", wait: false);
                }
                // One refusal just before the stop, still in its minute: only the stopping server can write it.
                using (var refused = await http.GetAsync("api/v1/figures"))
                    if ((int)refused.StatusCode != 401) throw new InvalidOperationException($"expected 401 without a token, got {(int)refused.StatusCode}");
                var beforeStop = await RefusalRowsAsync(db);
                await server.StopAsync();
                var afterStop = await RefusalRowsAsync(db);
                Console.WriteLine($"refusal audit: {beforeStop.Rows} rows ({beforeStop.Refusals} refusals, {beforeStop.TooManyPages} too-many-pages) written before SIGTERM, " +
                                  $"{afterStop.Rows} rows ({afterStop.Refusals} refusals, {afterStop.TooManyPages} too-many-pages) after the server stopped [{Load()}]");
            }
        }
        foreach (var file in LiveBoardServer.DatabaseFiles(db)) File.Delete(file);
        if (circuits == 0) return 0;
        var uncapped = new Dictionary<string, string>(env) { ["LiveBoard__Circuits__PerClient"] = "100000" };
        await using (var server = await LiveBoardServer.StartAsync(uncapped))
        {
            using var http = LiveBoardServer.Client(server.Root);
            await CircuitsAsync(server, http, circuits, dropped ? "per-address cap lifted, for memory, connections dropped" : "per-address cap lifted, for memory",
                dropped: dropped);
        }
        return 0;
    }

    /// <summary>The machine's 1-minute load average (/proc/loadavg): the bench shares two cores with other work.</summary>
    private static string Load() => "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>The refusal audit rows in a bench server's database, their total count and the circuit-cap refusals among them.</summary>
    private static async Task<(int Rows, int Refusals, int TooManyPages)> RefusalRowsAsync(string db)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Detail FROM AuditEvents WHERE Kind = 'refused'";
        var (rows, refusals, pages) = (0, 0, 0);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var detail = JsonDocument.Parse(reader.GetString(0)).RootElement;
            rows++;
            refusals += detail.GetProperty("count").GetInt32();
            if (detail.GetProperty("reasons").TryGetProperty("too-many-pages", out var n)) pages += n.GetInt32();
        }
        return (rows, refusals, pages);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<(double Ms, int Status, string Title)> TokenAsync(HttpClient http, string user, string password)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password });
        var body = await response.Content.ReadAsStringAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        var title = "";
        try { title = JsonDocument.Parse(body).RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "(token)"; }
        catch (JsonException) { title = body.Length > 40 ? body[..40] : body; }
        return (ms, (int)response.StatusCode, title);
    }

    private static async Task TimingAsync(HttpClient http, int n)
    {
        // Warm-up: the first requests pay for JIT compilation, on both paths alike.
        for (var i = 0; i < 10; i++)
        {
            await TokenAsync(http, $"nobody-{i}", "Wrong-pass-1");
            await TokenAsync(http, "observer-north-3", i < 3 ? "Wrong-pass-1" : LiveBoardServer.DemoPassword);
        }
        // Wrong passwords spread over 15 accounts, from one address: none of them locks on the way.
        var accounts = new List<string> { "leader" };
        foreach (var d in new[] { "horqin", "huolingol", "kailu", "zuozhong", "zuohou", "hure", "naiman", "jarud", "devzone" }) accounts.Add($"reporter-{d}");
        for (var g = 1; g <= 3; g++) { accounts.Add($"observer-south-{g}"); if (g < 3) accounts.Add($"observer-north-{g}"); }
        // A locked account first: failed passwords from four client addresses (127.0.0.2–5), which locks an account under
        // either rule (five failures from anywhere; failures from several addresses).
        for (var a = 2; a <= 5; a++)
        {
            using var from = FromAddress(http.BaseAddress!, $"127.0.0.{a}");
            for (var i = 0; i < 4; i++) await TokenAsync(from, "observer-north-3", "Wrong-pass-1");
        }
        // Then the three kinds in turn, so that a change in the machine's load during the run falls on all three alike.
        var unknown = new List<double>();
        var known = new List<double>();
        var locked = new List<double>();
        var answers = new Dictionary<string, HashSet<string>> { ["unknown"] = [], ["known"] = [], ["locked"] = [] };
        for (var i = 0; i < n; i++)
        {
            var u = await TokenAsync(http, $"nobody-{Guid.NewGuid():N}"[..20], "Wrong-pass-1");
            unknown.Add(u.Ms);
            answers["unknown"].Add($"{u.Status} {u.Title}");
            var k = await TokenAsync(http, accounts[i % accounts.Count], "Wrong-pass-1");
            known.Add(k.Ms);
            answers["known"].Add($"{k.Status} {k.Title}");
            var l = await TokenAsync(http, "observer-north-3", "Wrong-pass-1");
            locked.Add(l.Ms);
            answers["locked"].Add($"{l.Status} {l.Title}");
        }
        Console.WriteLine($"token timing, median / p90 of {n} each (ms): unknown user {Median(unknown):F1} / {P90(unknown):F1}, " +
                          $"known user wrong password {Median(known):F1} / {P90(known):F1}, locked account {Median(locked):F1} / {P90(locked):F1} [{Load()}]");
        foreach (var (kind, set) in answers) Console.WriteLine($"  answers for {kind}: {string.Join(" | ", set)}");
    }

    /// <summary>A client whose connections leave from <paramref name="local"/> (any 127.x address is this machine's loopback).</summary>
    public static HttpClient FromAddress(Uri root, string local) => new(LiveBoard.Testing.ClientAddresses.Handler(local)) { BaseAddress = root };

    private static double P90(List<double> xs) => Distribution.Percentile([.. xs.Order()], 90);

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static async Task<(long Rss, long Managed)> MemoryAsync(ServerProcess server, HttpClient http)
    {
        using var gc = await http.PostAsync("diagnostics/gc", null);
        var json = await gc.Content.ReadFromJsonAsync<JsonElement>();
        return (server.Meter.RssBytes(), json.GetProperty("managedBytes").GetInt64());
    }

    private static async Task<int> HeldCircuitsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("diagnostics/circuits")).GetProperty("circuits").GetInt32();

    /// <param name="wait">wait, once the tabs are closed, until the server has let every circuit go (the retention period)</param>
    private static async Task CircuitsAsync(ServerProcess server, HttpClient http, int count, string label, string path = "",
        string ready = "[data-live=true]", bool wait = true, bool dropped = false)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BenchBrowser.Installed("/usr/bin/chromium"),
            Headless = true,
            // Tabs share a few renderer processes: 300 tabs, one client, as a script opening circuits would be.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--renderer-process-limit=4"],
        });
        // One tab opened and closed first, so the server's first-circuit costs (JIT, caches) are not counted.
        var warm = await browser.NewContextAsync();
        var w = await warm.NewPageAsync();
        await w.GotoAsync(new Uri(server.Root, "/").ToString());
        await w.WaitForSelectorAsync("[data-live=true]", new() { Timeout = 60_000 });
        await warm.CloseAsync();
        var settle = Stopwatch.StartNew();
        while (await HeldCircuitsAsync(http) > 0 && settle.Elapsed < TimeSpan.FromMinutes(4)) await Task.Delay(500);

        var before = await MemoryAsync(server, http);
        var context = await browser.NewContextAsync();
        var live = 0;
        var refused = 0;
        var firstRefusal = "";
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(new Uri(server.Root, path).ToString());
            try
            {
                await tab.WaitForSelectorAsync(ready, new() { Timeout = live > refused ? 30_000 : 10_000 });
                live++;
            }
            catch (TimeoutException)
            {
                refused++;
                if (firstRefusal.Length == 0)
                    firstRefusal = (await tab.InnerTextAsync("body")).ReplaceLineEndings(" ").Trim() is var t && t.Length > 160 ? t[..160] : t;
            }
        }
        var held = await HeldCircuitsAsync(http);
        var open = await MemoryAsync(server, http);
        var openLoad = Load();
        // Blazor says goodbye when a tab closes (a beacon to /_blazor/disconnect) and the server lets the circuit go at once;
        // without it the server only sees the connection drop, and keeps the circuit for the retention period.
        if (dropped) await context.RouteAsync("**/_blazor/disconnect*", route => route.AbortAsync());
        await context.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the issue's measure: memory 3 s after the tabs closed
        var heldSoon = await HeldCircuitsAsync(http);
        var soon = await MemoryAsync(server, http);
        // Then until the server holds none (disconnected circuits are kept for the retention period, 1 minute).
        var released = Stopwatch.StartNew();
        while (wait && await HeldCircuitsAsync(http) > 0 && released.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(1000);
        var heldAfter = await HeldCircuitsAsync(http);
        var after = await MemoryAsync(server, http);
        const double MB = 1024 * 1024;
        Console.WriteLine($"circuits ({label}): {count} tabs from one address in {watch.Elapsed.TotalSeconds:F0} s: {live} live, {refused} not; server held {held} [{openLoad}]");
        if (firstRefusal.Length > 0) Console.WriteLine($"  first refused tab says: {firstRefusal}");
        Console.WriteLine($"  server RSS {before.Rss / MB:F0} MB before, {open.Rss / MB:F0} MB open (+{(open.Rss - before.Rss) / MB:F0} MB, " +
                          $"{(live > 0 ? (open.Rss - before.Rss) / MB / live : 0):F2} MB per live circuit), {soon.Rss / MB:F0} MB 3 s after closing " +
                          $"({heldSoon} circuits still held); managed heap {before.Managed / MB:F0} → {open.Managed / MB:F0} → {soon.Managed / MB:F0} MB");
        if (wait)
            Console.WriteLine($"  {released.Elapsed.TotalSeconds + 3:F0} s after closing, {heldAfter} circuits held: RSS {after.Rss / MB:F0} MB " +
                              $"(+{(after.Rss - before.Rss) / MB:F0} MB over before), managed heap {after.Managed / MB:F0} MB [{Load()}]");
    }
}
