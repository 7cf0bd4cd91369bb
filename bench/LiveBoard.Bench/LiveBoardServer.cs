using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <summary>Builds LiveBoard in Release and runs it as its own process on a fresh SQLite file with the demo campaign.</summary>
public static class LiveBoardServer
{
    public const string DemoPassword = "Bench-2023-pass";
    public const string ScreenKey = "bench-demo-screen-key";

    /// <summary>
    /// The settings every bench server runs with. The bench measures capacity: per-user write limits and the cap on page
    /// sessions per client address (every tab of the bench comes from 127.0.0.1), product safeguards, are lifted for it. Diagnostics turns on the loopback-only forced-GC endpoint used to measure memory per
    /// connection. For experiments with the server's runtime settings: BENCH_SERVER_DOTNET_gcServer=1 starts LiveBoard
    /// with DOTNET_gcServer=1, over what runtime.env says (which every server starts with, as the service unit loads it).
    /// </summary>
    public static Dictionary<string, string> BenchSettings()
    {
        var settings = new Dictionary<string, string>
        {
            ["LiveBoard__RateLimits__WritesPerMinute"] = "100000000",
            ["LiveBoard__RateLimits__AuthPerMinute"] = "100000",
            ["LiveBoard__Circuits__PerClient"] = "100000",
            ["LiveBoard__Circuits__Max"] = "100000",
            ["LiveBoard__DemoScreenKey"] = ScreenKey,
            ["LiveBoard__Diagnostics"] = "true",
        };
        foreach (var kv in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
            if (kv.Key is string key && key.StartsWith("BENCH_SERVER_", StringComparison.Ordinal)) settings[key["BENCH_SERVER_".Length..]] = kv.Value?.ToString() ?? "";
        return settings;
    }

    /// <summary>
    /// The runtime settings LiveBoard's servers start with, for a report's heading: runtime.env's, then the bench's own
    /// environment overrides (BENCH_SERVER_ names without "__", i.e. not LiveBoard's configuration).
    /// </summary>
    public static string RuntimeDescription()
    {
        var settings = LiveBoard.Web.Operations.RuntimeSettings.Read(Path.Combine(RepoRoot(), "src", "LiveBoard.Web"))
            .ToDictionary(s => s.Key, s => s.Value);
        foreach (var (k, v) in BenchSettings()) if (!k.Contains("__", StringComparison.Ordinal)) settings[k] = v;
        return settings.Count == 0 ? "the runtime's defaults" : string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"));
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveBoard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run the bench from inside the LiveBoard repository");
    }

    /// <param name="bin">the folder to start it from; the Release build when not given.</param>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string>? extraEnv = null, string? bin = null)
    {
        var db = NewDatabase();
        return await StartAsync(bin ?? await BuildAsync(), db, ServerProcess.FreePort(), extraEnv, DatabaseFiles(db));
    }

    private static Task<string>? _built;

    /// <summary>
    /// What is measured is the Release build. The quick smoke run (the test suite's, which judges no timing) starts the
    /// build the bench itself came from, whichever configuration that is: the suite has just built it, and building
    /// again there cost it ~20 s (publishing, a minute more).
    /// </summary>
    public static string Configuration { get; private set; } = "Release";

    private static bool _ownBuild;

    public static void UseOwnConfigurationForQuickRun(bool quick)
    {
        if (!quick) return;
        Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        _ownBuild = true;
    }

    /// <summary>Builds LiveBoard.Web (in <see cref="Configuration"/>) once per bench run; the folder to start it from.</summary>
    public static Task<string> BuildAsync() => _built ??= BuildOnceAsync();

    private static async Task<string> BuildOnceAsync()
    {
        var project = Path.Combine(RepoRoot(), "src", "LiveBoard.Web");
        // The quick run's build is the one the suite has just made (see Configuration): nothing to build again.
        var built = Path.Combine(project, "bin", Configuration, "net10.0");
        if (_ownBuild && File.Exists(Path.Combine(built, "LiveBoard.Web.dll"))) return built;
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", Configuration, "-nologo", "-v", "quiet"]) { UseShellExecute = false })!;
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException($"building LiveBoard.Web in {Configuration} failed");
        return Path.Combine(project, "bin", Configuration, "net10.0");
    }

    private static Task<string>? _published;

    /// <summary>
    /// LiveBoard as docs/deploy.md installs it: `dotnet publish -c Release`, which compiles it ReadyToRun for this machine
    /// (LiveBoard.Web.csproj). Published once per bench run into a temporary folder; the quick run (which judges no
    /// timing) uses the build instead, as publishing costs a minute or more.
    /// </summary>
    public static Task<string> PublishedAsync(Action<string> say) =>
        _ownBuild ? BuildAsync() : _published ??= PublishOnceAsync(say);

    /// <summary>What <see cref="BuildAsync"/> starts, for a report's run line.</summary>
    public static string BuildDescription => $"the {Configuration} build";

    /// <summary>What <see cref="PublishedAsync"/> starts, for a report's run line.</summary>
    public static string PublishedDescription => _ownBuild ? BuildDescription : "published as deployed (ReadyToRun)";

    private static async Task<string> PublishOnceAsync(Action<string> say)
    {
        var output = Path.Combine(Path.GetTempPath(), $"liveboard-published-{Guid.NewGuid():N}");
        var project = Path.Combine(RepoRoot(), "src", "LiveBoard.Web");
        say("publishing LiveBoard as deployed (dotnet publish -c Release: ReadyToRun, framework-dependent) ...");
        var clock = Stopwatch.StartNew();
        using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "quiet"])
            { UseShellExecute = false })!;
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0) throw new InvalidOperationException("publishing LiveBoard.Web failed");
        say($"  published in {clock.Elapsed.TotalSeconds:F0} s");
        return output;
    }

    public static string NewDatabase() => Path.Combine(Path.GetTempPath(), $"liveboard-bench-{Guid.NewGuid():N}.db");

    /// <summary>A SQLite database and the WAL files beside it.</summary>
    public static string[] DatabaseFiles(string db) => [db, db + "-wal", db + "-shm"];

    /// <summary>
    /// LiveBoard from <paramref name="bin"/> (a build or publish folder) on a given database and port: the reconnect storm
    /// starts it again where it was, the cold start on a database it prepared.
    /// </summary>
    /// <param name="ownedFiles">deleted when the server is disposed; none when the database outlives this process.</param>
    public static Task<ServerProcess> StartAsync(string bin, string db, int port, IDictionary<string, string>? extraEnv,
        IReadOnlyList<string>? ownedFiles = null, string readyPath = "healthz", TimeSpan? poll = null)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__LiveBoard"] = $"Data Source={db}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["LIVEBOARD_DEMO_PASSWORD"] = DemoPassword,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // The runtime's settings LiveBoard ships (the garbage collector's), loaded as the service unit loads them; the
        // bench's own settings (BENCH_SERVER_…) come after and win.
        foreach (var (k, v) in LiveBoard.Web.Operations.RuntimeSettings.Read(bin)) env[k] = v;
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>()) env[k] = v;
        return ServerProcess.StartAsync("dotnet", [Path.Combine(bin, "LiveBoard.Web.dll"), "--urls", $"http://127.0.0.1:{port}"], env, port, bin,
            ownedFiles, readyPath, poll);
    }

    /// <summary>A bearer token from the push API.</summary>
    public static async Task<string> TokenAsync(HttpClient http, string user)
    {
        var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("accessToken").GetString()!;
    }

    public static HttpClient Client(Uri root, string? token = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>POSTs one report with its own idempotency key; true when acknowledged (201).</summary>
    public static async Task<bool> ReportAsync(HttpClient http, string district, string indicator, decimal value) =>
        (await SubmitAsync(http, district, indicator, value)).Status == 201;

    /// <summary>Like <see cref="ReportAsync"/>; a refusal comes with its status and body, so a bench can say why.</summary>
    public static async Task<(int Status, string? Refusal)> SubmitAsync(HttpClient http, string district, string indicator, decimal value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
        {
            Content = JsonContent.Create(new { district, values = new[] { new { indicator, value, reason = "bench" } } }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        var status = (int)response.StatusCode;
        return (status, status == 201 ? null : await response.Content.ReadAsStringAsync());
    }
}
