using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveBoard.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// LiveBoard.Web.dll run as an IT office runs it (its own process, shipped log levels, JSON logs), taken through sign-ins,
/// a failed sign-in, tokens, a display key, a report and a publication; then its whole output is searched for secrets.
/// </summary>
public sealed class LogSecretsTests
{
    [Fact]
    public async Task A_full_scenario_logs_writes_as_json_with_request_user_and_district_and_never_a_password_token_or_display_key()
    {
        var password = "Camp" + Random.Shared.Next(100_000, 999_999) + "aign";
        var port = LiveBoardHost.FreePort();
        var root = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "LiveBoard.Web.dll"), "--urls", root.ToString().TrimEnd('/') })
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__LiveBoard"] = $"Data Source={TempPaths.NewDatabase()}";
        start.Environment["LiveBoard__Logging__Json"] = "true";
        start.Environment["LiveBoard__Backup__IntervalMinutes"] = "0";
        start.Environment["LiveBoard__Backup__Folder"] = AutomaticBackupTests.NewFolder();
        start.Environment["LIVEBOARD_DEMO_PASSWORD"] = password;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Log() { lock (log) return log.ToString(); }
        try
        {
            using var http = new HttpClient { BaseAddress = root };
            await BackupRestoreTests.WaitUntilAsync(() => Ready(http), "the app to answer /healthz/ready", 120);

            // Sign-ins: the login form (cookie), a wrong password, API tokens.
            using var browser = SignedInClients.Anonymous(root);
            Assert.Equal(HttpStatusCode.Redirect, (await SignedInClients.PostLoginAsync(browser, "leader", password)).StatusCode);
            await http.PostAsJsonAsync("api/v1/auth/token", new { username = "reporter-hure", password = password + "!" });
            var organiserToken = await TokenAsync(http, "organiser", password);
            var reporterToken = await TokenAsync(http, "reporter-hure", password);

            // A display screen: its key, opened by the page and by the hub.
            using var create = new HttpRequestMessage(HttpMethod.Post, "api/v1/displays") { Content = JsonContent.Create(new { name = "会议室大屏", slug = "hall" }) };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", organiserToken);
            var created = await (await http.SendAsync(create)).Content.ReadFromJsonAsync<JsonElement>();
            var displayKey = created.GetProperty("key").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"display/hall?key={displayKey}")).StatusCode);
            var hub = new HubConnectionBuilder().WithUrl(new Uri(root, "hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(displayKey)).Build();
            await hub.StartAsync();
            await hub.DisposeAsync();
            // A screen that names a topic there is none of: its connection is closed, and the error logged names the screen.
            var confused = new HubConnectionBuilder().WithUrl(new Uri(root, "hubs/live?topics=weather"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(displayKey)).Build();
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            confused.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
            try { await confused.StartAsync(); } catch (Exception) { closed.TrySetResult(); }
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await confused.DisposeAsync();

            // A report and a publication (which takes a backup).
            using var report = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
            {
                Content = JsonContent.Create(new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 19, reason = "核实补报" } } }),
                Headers = { { "Idempotency-Key", "hure-log-1" } },
            };
            report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reporterToken);
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(report)).StatusCode);
            using var publish = new HttpRequestMessage(HttpMethod.Post, "api/v1/rankings/publish")
            {
                Content = JsonContent.Create(new { day = "2023-07-29", note = "第一天" }), Headers = { { "Idempotency-Key", "publish-log-1" } },
            };
            publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", organiserToken);
            Assert.True((await http.SendAsync(publish)).IsSuccessStatusCode);
            await BackupRestoreTests.WaitUntilAsync(() => Log().Contains("(publication), integrity ok", StringComparison.Ordinal), "the publication backup's log line");
            await BackupRestoreTests.WaitUntilAsync(() => Log().Contains("/api/v1/rankings/publish answered", StringComparison.Ordinal), "the publish write's log line");

            // /metrics of this one-app process (a loopback caller): ASP.NET Core's request and hub meters with this scenario in them.
            var metrics = await http.GetStringAsync("metrics");
            Assert.Matches(@"http_server_request_duration_seconds_count\{[^}]*http_route=""/api/v1/reports""[^}]*\} [1-9]", metrics);
            Assert.Contains("signalr_server_active_connections", metrics);
            Assert.Matches(@"liveboard_figures_accepted_total(\{[^}]*\})? [1-9]", metrics);

            var lines = Log().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            // Every write names its request, user and district.
            var write = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Write POST /api/v1/reports answered 201", StringComparison.Ordinal));
            var state = write.GetProperty("State");
            Assert.Equal("reporter-hure", state.GetProperty("User").GetString());
            Assert.Equal("hure", state.GetProperty("District").GetString());
            Assert.False(string.IsNullOrEmpty(state.GetProperty("RequestId").GetString()));
            Assert.Contains(entries, e => e.GetProperty("Message").GetString() is { } m && m.StartsWith("Figure hure/signed-projects changed ", StringComparison.Ordinal)
                && m.Contains("-> 19 ", StringComparison.Ordinal) && m.EndsWith("by reporter-hure via api", StringComparison.Ordinal));
            // What the live hub logs carries the same scope, with the screen for the user (the hub's requests open none of
            // their own: their WebSocket lasts as long as the viewer); its negotiate is no write.
            var hubError = Assert.Single(entries, e => e.GetProperty("Message").GetString() == "Live hub connection refused: Unknown topic 'weather'. Topics: figures, ranking, status, meeting.");
            Assert.Contains(hubError.GetProperty("Scopes").EnumerateArray(), scope => scope.ValueKind == JsonValueKind.Object
                && scope.TryGetProperty("User", out var user) && user.GetString() == "screen:hall" && scope.TryGetProperty("RequestId", out var id) && id.GetString() is { Length: > 0 });
            Assert.DoesNotContain(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Write POST /hubs/live", StringComparison.Ordinal));

            var whole = Log();
            Assert.True(whole.Length > 2000, "the log holds the scenario");
            Assert.DoesNotContain(password, whole, StringComparison.Ordinal);
            Assert.DoesNotContain(organiserToken, whole, StringComparison.Ordinal);
            Assert.DoesNotContain(reporterToken, whole, StringComparison.Ordinal);
            // The organiser's screen key. (In demo mode the demo screen's URL with its key is logged once on purpose, when it is
            // created, so someone can open it: see the README. A real campaign creates its screens in /admin/screens.)
            Assert.DoesNotContain(displayKey, whole, StringComparison.Ordinal);
        }
        catch (TimeoutException e)
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "liveboard-tests", "log-secrets.log"), Log());
            throw new TimeoutException($"{e.Message}\n{Log()[^Math.Min(Log().Length, 6000)..]}", e);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static bool Ready(HttpClient http)
    {
        try
        {
            return http.GetAsync("healthz/ready").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, string user, string password)
    {
        var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
