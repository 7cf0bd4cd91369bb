using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Display;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// Wall displays when LiveBoard runs as several instances on one PostgreSQL and one Redis (docs/deploy.md, "Several
/// instances"): the write may land on any instance, the display may be on any instance, and an instance may die.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ScaleOutBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    private async Task<IPage> OpenAsync(Uri root, string url)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(),
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await Expect(page.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }

    private static ILocator FirstBoardRow(IPage page) => page.Locator("[data-testid=board-row]").First;

    /// <summary>DemoReports.HureTakesTheLead as the API takes it.</summary>
    private static HttpRequestMessage HureTakesTheLead(string key)
    {
        var report = DemoReports.HureTakesTheLead();
        return new(HttpMethod.Post, "/api/v1/reports")
        {
            Content = JsonContent.Create(new
            {
                district = report.DistrictCode,
                values = report.Values.Select(v => new { indicator = v.IndicatorCode, value = v.Value, reason = v.Reason }),
            }),
            Headers = { { "Idempotency-Key", key } },
        };
    }

    [ScaleOutFact]
    public async Task A_figure_submitted_through_B_appears_on_a_wall_display_open_on_A_within_2_s()
    {
        await using var pair = await TwoInstances.StartAsync();
        var screen = await pair.A.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: PanelIds.Ranking));
        var page = await OpenAsync(pair.RootA, screen.RelativeUrl);
        await Expect(FirstBoardRow(page)).Not.ToHaveAttributeAsync("data-district", "hure");

        using var onB = await SignedInClients.ApiAsync(pair.B, pair.RootB, "reporter-hure");
        var sent = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(HureTakesTheLead("via-b"))).StatusCode);
        await Expect(FirstBoardRow(page)).ToHaveAttributeAsync("data-district", "hure", new() { Timeout = 2_000 });
        File.WriteAllText(BrowserFixture.ScreenshotPath("scale-out-cross-instance.txt"),
            $"B's write on A's wall {sent.Elapsed.TotalMilliseconds:0} ms after the POST was sent\n");
        await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Path = BrowserFixture.ScreenshotPath("scale-out-wall-on-a-1920x1080.png") });
        await page.Context.CloseAsync();
    }

    [ScaleOutFact]
    public async Task A_display_behind_nginx_recovers_onto_B_by_itself_after_its_instance_is_killed()
    {
        var database = TestDatabase.NewPostgreSqlName();
        MigratedTemplate.CreatePostgreSql(database);
        const string key = "scale-out-test-wall-key-0123456789";
        var env = new Dictionary<string, string>
        {
            ["LiveBoard__Database"] = "PostgreSQL",
            ["ConnectionStrings__LiveBoard"] = TestDatabase.PostgreSqlConnectionString(database),
            ["ConnectionStrings__Redis"] = TestDatabase.Redis!,
            ["LiveBoard__DemoScreenKey"] = key,
        };
        // A seeds (the database starts migrated, see MigratedTemplate); B starts on what A made.
        await using var a = await AppProcess.StartAsync(env);
        await using var b = await AppProcess.StartAsync(env);
        await using var nginx = await Nginx.StartAsync(a.Address, b.Address);

        var page = await OpenAsync(nginx.Root, $"/display/demo?key={key}&panel=ranking");
        await Expect(FirstBoardRow(page)).Not.ToHaveAttributeAsync("data-district", "hure");
        // The page's own requests reach one instance (sticky per address): that one dies.
        var holder = await nginx.InstanceFor("/healthz");
        var (victim, survivor) = holder == a.Address ? (a, b) : (b, a);
        Assert.Contains(holder, new[] { a.Address, b.Address });

        victim.Kill();
        var killed = Stopwatch.StartNew();
        using var api = await ApiClients.SignedInAsync(new Uri($"http://{survivor.Address}/"), "reporter-hure", "Tongliao2023");
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HureTakesTheLead("after-kill"))).StatusCode);

        // Untouched from here: the page finds the other instance through nginx and shows the write made after the kill.
        await Expect(FirstBoardRow(page)).ToHaveAttributeAsync("data-district", "hure", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=reconnect-strip]")).Not.ToBeVisibleAsync(new() { Timeout = 5_000 });
        File.WriteAllText(BrowserFixture.ScreenshotPath("scale-out-failover-time.txt"),
            $"display current on the surviving instance {killed.Elapsed.TotalSeconds:0.0} s after SIGKILL of its instance\n");
        await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Path = BrowserFixture.ScreenshotPath("scale-out-after-failover-1920x1080.png") });
        await page.Context.CloseAsync();
    }
}

/// <summary>LiveBoard as its own process (dotnet LiveBoard.Web.dll), so that it can be killed with SIGKILL.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, string address) => (_process, Address) = (process, address);

    /// <summary>host:port on 127.0.0.1.</summary>
    public string Address { get; }

    public static async Task<AppProcess> StartAsync(IDictionary<string, string> env)
    {
        var port = LiveBoardHost.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "LiveBoard.Web.dll");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", AppContext.BaseDirectory }) info.ArgumentList.Add(arg);
        foreach (var (name, value) in env) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{app.Address}/"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited) throw new InvalidOperationException($"LiveBoard exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync("healthz")).IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await app.DisposeAsync();
        throw new TimeoutException("LiveBoard did not answer /healthz within 90 s");
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to its circuits.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Debian's nginx with docs/deploy/nginx-liveboard.conf, as an ordinary process with its own folder.</summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly string _folder;

    private Nginx(string folder, Uri root) => (_folder, Root) = (folder, root);

    public Uri Root { get; }

    public static async Task<Nginx> StartAsync(string instanceA, string instanceB)
    {
        var folder = Directory.CreateTempSubdirectory("liveboard-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        var port = LiveBoardHost.FreePort();
        var config = File.ReadAllText(Path.Combine(TempPaths.RepoRoot(), "docs", "deploy", "nginx-liveboard.conf"))
            .Replace("@LISTEN@", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("@INSTANCE_A@", instanceA, StringComparison.Ordinal)
            .Replace("@INSTANCE_B@", instanceB, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), config);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        using (var start = Process.Start(new ProcessStartInfo(nginx) { ArgumentList = { "-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf") }, RedirectStandardError = true })!)
        {
            await start.WaitForExitAsync();
            if (start.ExitCode != 0) throw new InvalidOperationException("nginx did not start: " + await start.StandardError.ReadToEndAsync());
        }
        var root = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = root };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("healthz")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(10)) { }
            await Task.Delay(100);
        }
        return new Nginx(folder, root);
    }

    /// <summary>Which instance (host:port) nginx sends this client's requests to.</summary>
    public async Task<string> InstanceFor(string path)
    {
        using var http = new HttpClient { BaseAddress = Root };
        var response = await http.GetAsync(path);
        return response.Headers.GetValues("X-LiveBoard-Instance").Single();
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_folder, "nginx.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            using var master = Process.GetProcessById(pid);
            master.Kill(entireProcessTree: true);
            await master.WaitForExitAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
