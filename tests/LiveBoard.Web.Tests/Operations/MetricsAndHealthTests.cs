using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Operations.Backups;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>/metrics and the health endpoints of the real app, read the way Prometheus and a load balancer read them.</summary>
public sealed class MetricsAndHealthTests : IAsyncLifetime
{
    private readonly LiveBoardHost _host = new(settings: new()
    {
        ["LiveBoard:Backup:IntervalMinutes"] = "0",
        ["LiveBoard:Backup:Folder"] = AutomaticBackupTests.NewFolder(),
    });
    private Uri _root = default!;
    private readonly HttpClient _anonymous = new();

    public Task InitializeAsync()
    {
        _root = _host.Start();
        _anonymous.BaseAddress = _root;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Sum of every sample of a metric (all label sets) in a Prometheus text scrape; null when absent.</summary>
    private async Task<double?> ScrapeAsync(string metric, string? labelContains = null)
    {
        var response = await _anonymous.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (line[..nameEnd] != metric || (labelContains is not null && !line.Contains(labelContains, StringComparison.Ordinal))) continue;
            var valueStart = line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : nameEnd;
            var value = line[valueStart..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }
        return sum;
    }

    [Fact]
    public async Task A_report_moves_the_accepted_figures_commit_and_send_counters_on_metrics()
    {
        using var reporter = await ApiClients.SignedInAsync(_root, "reporter-hure", "Tongliao2023");
        var accepted = await ScrapeAsync("liveboard_figures_accepted_total") ?? 0;
        var commits = await ScrapeAsync("liveboard_reports_commit_duration_seconds_count") ?? 0;
        var sends = await ScrapeAsync("liveboard_changes_send_duration_seconds_count") ?? 0;

        using var report = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
        {
            Content = JsonContent.Create(new { district = "hure", values = new[]
            {
                new { indicator = "signed-projects", value = 21m, reason = "核实补报" },
                new { indicator = "started-projects", value = 12m, reason = "核实补报" },
            } }),
            Headers = { { "Idempotency-Key", "hure-metrics-1" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await reporter.SendAsync(report)).StatusCode);

        // Other test classes share the process-wide meter, so "moved by at least" is what this app's write proves.
        Assert.True(await ScrapeAsync("liveboard_figures_accepted_total") >= accepted + 2);
        Assert.True(await ScrapeAsync("liveboard_reports_commit_duration_seconds_count") >= commits + 1);
        Assert.NotNull(await ScrapeAsync("liveboard_reports_queued"));
        // The hub hands each change to the screens just after the commit, off the reporter's path.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ScrapeAsync("liveboard_changes_send_duration_seconds_count") < sends + 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(await ScrapeAsync("liveboard_changes_send_duration_seconds_count") >= sends + 2);
    }

    [Fact]
    public async Task Metrics_show_screens_online_and_the_age_of_the_newest_backup()
    {
        // Other apps in this test process are measured too, each under its own database's name.
        var thisApp = $"database=\"{Path.GetFileName(_host.DatabasePath)}\"";
        Assert.Null(await ScrapeAsync("liveboard_backup_newest_age_seconds", thisApp));
        await _host.Service<BackupFolder>().TakeAsync(BackupFolder.Interval);
        var age = await ScrapeAsync("liveboard_backup_newest_age_seconds", thisApp);
        Assert.InRange(age!.Value, 0, 300);

        // Hub connections and request rates come from ASP.NET Core's own meters, which are per app: with several apps in
        // one test process the exporter does not reliably follow this one's, so LogSecretsTests reads them from a process
        // of its own.

        var fleet = _host.Service<ScreenFleet>();
        Assert.Equal(0, await ScrapeAsync("liveboard_screens_online", thisApp));
        fleet.Beat("page-1", "demo", "ranking", 1920, 1080);
        Assert.Equal(1, await ScrapeAsync("liveboard_screens_online", thisApp));
    }

    [Fact]
    public async Task Metrics_are_for_local_callers_and_organisers_not_for_requests_a_proxy_forwards()
    {
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
        using var proxied = SignedInClients.Anonymous(_root);
        var refused = await proxied.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.DoesNotContain("liveboard_", await refused.Content.ReadAsStringAsync());

        using var organiser = await SignedInClients.WebAsync(_host, _root, "organiser");
        using var asOrganiser = new HttpRequestMessage(HttpMethod.Get, "metrics") { Headers = { { "X-Forwarded-For", "203.0.113.7" } } };
        var allowed = await organiser.SendAsync(asOrganiser);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_checks_the_database_and_its_migrations_while_live_stays_cheap()
    {
        var ready = await _anonymous.GetAsync("healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString());

        // The database falls behind the code (as after restoring an older backup under a newer version).
        await using (var db = new SqliteConnection(_host.ConnectionString + ";Pooling=false"))
        {
            await db.OpenAsync();
            await using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM __EFMigrationsHistory WHERE MigrationId = (SELECT MAX(MigrationId) FROM __EFMigrationsHistory);";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var notReady = await _anonymous.GetAsync("healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var why = await notReady.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not applied", why.GetProperty("checks").GetProperty("migrations").GetProperty("description").GetString());
        // /healthz means ready: the wall displays wait for it before reloading.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _anonymous.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("healthz/live")).StatusCode);
    }
}
