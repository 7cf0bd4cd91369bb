using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <summary>Builds LiveBoard in Release and runs it as its own process on a fresh SQLite file with the demo campaign.</summary>
public static class LiveBoardServer
{
    public const string DemoPassword = "Bench-2023-pass";

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveBoard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run the bench from inside the LiveBoard repository");
    }

    public static async Task<ServerProcess> StartAsync(IDictionary<string, string>? extraEnv = null)
    {
        var root = RepoRoot();
        var project = Path.Combine(root, "src", "LiveBoard.Web");
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"]) { UseShellExecute = false })!;
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException("building LiveBoard.Web in Release failed");

        var bin = Path.Combine(project, "bin", "Release", "net10.0");
        var db = Path.Combine(Path.GetTempPath(), $"liveboard-bench-{Guid.NewGuid():N}.db");
        var port = ServerProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__LiveBoard"] = $"Data Source={db}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["LIVEBOARD_DEMO_PASSWORD"] = DemoPassword,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>()) env[k] = v;
        return await ServerProcess.StartAsync("dotnet", [Path.Combine(bin, "LiveBoard.Web.dll"), "--urls", $"http://127.0.0.1:{port}"], env, port, bin,
            [db, db + "-wal", db + "-shm"]);
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
    public static async Task<bool> ReportAsync(HttpClient http, string district, string indicator, decimal value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
        {
            Content = JsonContent.Create(new { district, values = new[] { new { indicator, value, reason = "bench" } } }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode == 201;
    }
}
