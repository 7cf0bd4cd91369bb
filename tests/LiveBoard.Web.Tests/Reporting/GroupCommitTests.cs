using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>
/// Reports that arrive together share one transaction (group commit), yet each is accepted or refused on its own,
/// written completely or not at all, and answered only once committed. Over the real app and its SQLite file.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly LiveBoardHost _host = new();
    private FigureService Figures => _host.Service<FigureService>();
    private readonly List<FigureChanged> _events = [];
    private IDisposable? _subscription;

    public async Task InitializeAsync()
    {
        _host.Start();
        _subscription = _host.Service<IChangeFeed>().Subscribe(e =>
        {
            if (e is FigureChanged change) lock (_events) _events.Add(change);
            return Task.CompletedTask;
        });
        // One report first: the campaign setup is loaded, so the reports below queue the moment they are made.
        Assert.IsType<ReportOutcome.Accepted>(await Figures.ReportAsync(Report("hure", "signed-projects", 20, "核实补报")));
        lock (_events) _events.Clear();
    }

    public async Task DisposeAsync()
    {
        _subscription?.Dispose();
        await _host.DisposeAsync();
    }

    private static ReportRequest Report(string district, string indicator, decimal value, string? reason, int? expectedVersion = null,
        string? key = null, string author = "tester", string channel = Channels.Web) =>
        new(district, [new FigureEntry(indicator, value, expectedVersion, reason)], author, channel, key ?? Guid.NewGuid().ToString("N"),
            key is null ? null : new Idempotency(IdempotencyScopes.Reports, key, "hash-" + key));

    /// <summary>
    /// Takes SQLite's write lock from outside the app, as a backup or a second process would: reports made meanwhile
    /// wait in the queue and are written together once it is released.
    /// </summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection(_host.ConnectionString);
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task ReleaseAsync(SqliteConnection connection)
    {
        await using (var rollback = connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Reports_queued_together_share_a_commit_and_a_refused_one_writes_nothing_while_the_others_are_accepted()
    {
        var commits = Figures.Commits;
        var writes = await TestData.WritesAsync(_host);
        var untouched = new[] { ("jarud", "started-projects"), ("naiman", "funds-in-place"), ("zuohou", "signed-projects") };
        var before = await Task.WhenAll(untouched.Select(f => TestData.FigureAsync(_host, f.Item1, f.Item2)));

        var database = await HoldWriteLockAsync();
        var first = Figures.ReportAsync(Report("kailu", "signed-projects", 31, "补报", key: "kailu-1"));
        var negative = Figures.ReportAsync(Report("jarud", "started-projects", -3, "补报", key: "jarud-1"));
        var stale = Figures.ReportAsync(Report("naiman", "funds-in-place", 13, "更正", expectedVersion: 99, key: "naiman-1"));
        var noReason = Figures.ReportAsync(Report("zuohou", "signed-projects", before[2].Value + 1, null, key: "zuohou-1"));
        var last = Figures.ReportAsync(Report("horqin", "started-projects", 44, "补报", key: "horqin-1"));
        Task<ReportOutcome>[] all = [first, negative, stale, noReason, last];
        // Nobody is answered before the commit that makes their report durable.
        Assert.DoesNotContain(all, t => t.IsCompleted);
        await ReleaseAsync(database);
        await Task.WhenAll(all);

        Assert.IsType<ReportOutcome.Accepted>(await first);
        Assert.Equal("Figure_Negative", Assert.Single(Assert.IsType<ReportOutcome.Invalid>(await negative).Errors).Error.Key);
        Assert.Equal(99, Assert.Single(Assert.IsType<ReportOutcome.Conflict>(await stale).Conflicts).ExpectedVersion);
        Assert.Equal("Figure_ReasonRequired", Assert.Single(Assert.IsType<ReportOutcome.Invalid>(await noReason).Errors).Error.Key);
        Assert.IsType<ReportOutcome.Accepted>(await last);

        // Five reports, at most two transactions: the first may have been taken alone before the others queued.
        Assert.InRange(Figures.Commits - commits, 1, 2);
        Assert.Equal(31m, (await TestData.FigureAsync(_host, "kailu", "signed-projects")).Value);
        Assert.Equal(44m, (await TestData.FigureAsync(_host, "horqin", "started-projects")).Value);
        var after = await Task.WhenAll(untouched.Select(f => TestData.FigureAsync(_host, f.Item1, f.Item2)));
        Assert.Equal(before.Select(f => (f.Value, f.Version)), after.Select(f => (f.Value, f.Version)));
        var now = await TestData.WritesAsync(_host);
        Assert.Equal((writes.Revisions + 2, writes.Idempotency + 2), (now.Revisions, now.Idempotency));
        await using var db = await TestData.DbAsync(_host);
        Assert.Equal(["horqin-1", "kailu-1"], await db.IdempotencyRecords.Where(r => r.UserName == "tester").Select(r => r.Key).OrderBy(k => k).ToListAsync());
        // Announced once each, in commit order.
        Assert.Equal([("kailu", 31m), ("horqin", 44m)], _events.Select(e => (e.DistrictCode, e.NewValue)));
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_fails_alone_and_the_rest_of_its_batch_is_written()
    {
        var writes = await TestData.WritesAsync(_host);
        var brokenBefore = await TestData.FigureAsync(_host, "jarud", "signed-projects");

        var database = await HoldWriteLockAsync();
        var first = Figures.ReportAsync(Report("kailu", "signed-projects", 32, "补报"));
        // No channel: the database refuses the revision row (NOT NULL), in the middle of the batch.
        var broken = Figures.ReportAsync(Report("jarud", "signed-projects", brokenBefore.Value + 5, "补报", channel: null!));
        var last = Figures.ReportAsync(Report("horqin", "started-projects", 45, "补报"));
        await ReleaseAsync(database);

        Assert.IsType<ReportOutcome.Accepted>(await first);
        Assert.IsType<ReportOutcome.Accepted>(await last);
        await Assert.ThrowsAnyAsync<Exception>(() => broken);
        var brokenAfter = await TestData.FigureAsync(_host, "jarud", "signed-projects");
        Assert.Equal((brokenBefore.Value, brokenBefore.Version), (brokenAfter.Value, brokenAfter.Version));
        Assert.Equal(32m, (await TestData.FigureAsync(_host, "kailu", "signed-projects")).Value);
        Assert.Equal(45m, (await TestData.FigureAsync(_host, "horqin", "started-projects")).Value);
        Assert.Equal(writes.Revisions + 2, (await TestData.WritesAsync(_host)).Revisions);
        Assert.Equal(["kailu", "horqin"], _events.Select(e => e.DistrictCode));

        // The writer carries on.
        Assert.IsType<ReportOutcome.Accepted>(await Figures.ReportAsync(Report("hure", "started-projects", 7, "补报")));
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_in_one_batch_writes_once_and_the_second_gets_the_first_answer()
    {
        var writes = await TestData.WritesAsync(_host);

        var database = await HoldWriteLockAsync();
        var first = Figures.ReportAsync(Report("kailu", "started-projects", 12, "补报", key: "retry-1", author: "reporter-kailu"));
        var retry = Figures.ReportAsync(Report("kailu", "started-projects", 12, "补报", key: "retry-1", author: "reporter-kailu"));
        // Another account may use the same key: keys are per account.
        var other = Figures.ReportAsync(Report("hure", "started-projects", 77, "补报", key: "retry-1", author: "reporter-hure"));
        await ReleaseAsync(database);

        var receipt = Assert.Single(Assert.IsType<ReportOutcome.Accepted>(await first).Receipts);
        var repeated = Assert.IsType<ReportOutcome.Repeated>(await retry);
        Assert.Equal(JsonSerializer.Serialize(receipt, Idempotency.Json), repeated.Record.Response);
        Assert.IsType<ReportOutcome.Accepted>(await other);
        var now = await TestData.WritesAsync(_host);
        Assert.Equal((writes.Revisions + 2, writes.Idempotency + 2), (now.Revisions, now.Idempotency));
        Assert.Single(await TestData.HistoryAsync(_host, "kailu", "started-projects"), r => r.NewValue == 12m);
    }

    [Fact]
    public async Task An_import_of_several_districts_in_a_batch_stays_all_or_nothing()
    {
        var writes = await TestData.WritesAsync(_host);

        var database = await HoldWriteLockAsync();
        var single = Figures.ReportAsync(Report("kailu", "started-projects", 13, "补报"));
        // The second district's value is stale: nothing of this import may be written, not even the first district's.
        var refusedImport = Figures.ReportManyAsync([
            new ReportRequest("naiman", [new FigureEntry("signed-projects", 50, null, "导入")], "organiser", Channels.Import, "import-1"),
            new ReportRequest("jarud", [new FigureEntry("signed-projects", 51, 99, "导入")], "organiser", Channels.Import, "import-1"),
        ]);
        var import = Figures.ReportManyAsync([
            new ReportRequest("naiman", [new FigureEntry("signed-projects", 52, null, "导入")], "organiser", Channels.Import, "import-2"),
            new ReportRequest("jarud", [new FigureEntry("signed-projects", 53, null, "导入")], "organiser", Channels.Import, "import-2"),
        ]);
        await ReleaseAsync(database);

        Assert.IsType<ReportOutcome.Accepted>(await single);
        Assert.IsType<ReportOutcome.Conflict>(await refusedImport);
        Assert.Equal(2, Assert.IsType<ReportOutcome.Accepted>(await import).Receipts.Count);
        Assert.Equal((52m, 53m), ((await TestData.FigureAsync(_host, "naiman", "signed-projects")).Value,
            (await TestData.FigureAsync(_host, "jarud", "signed-projects")).Value));
        Assert.Equal(writes.Revisions + 3, (await TestData.WritesAsync(_host)).Revisions);
        await using var db = await TestData.DbAsync(_host);
        Assert.False(await db.FigureRevisions.AnyAsync(r => r.RequestId == "import-1"));
    }

    [Fact]
    public async Task A_district_added_and_an_indicator_changed_are_seen_by_the_very_next_report()
    {
        var unknown = await Figures.ReportAsync(Report("newtown", "signed-projects", 3, null));
        Assert.Equal("District_Unknown", Assert.Single(Assert.IsType<ReportOutcome.Invalid>(unknown).Errors).Error.Key);
        var plausible = Assert.IsType<ReportOutcome.Accepted>(await Figures.ReportAsync(Report("kailu", "signed-projects", 100, "补报")));
        Assert.False(plausible.Receipts.Single().Values.Single().Implausible);

        await using (var db = await TestData.DbAsync(_host))
        {
            var campaignId = (await db.Districts.FirstAsync()).CampaignId;
            db.Districts.Add(new District { CampaignId = campaignId, Code = "newtown", Name = "新城区", NameEn = "New Town", SortOrder = 99 });
            (await db.Indicators.SingleAsync(i => i.Code == "signed-projects")).PlausibleMax = 50;
            await db.SaveChangesAsync();
        }

        Assert.IsType<ReportOutcome.Accepted>(await Figures.ReportAsync(Report("newtown", "signed-projects", 3, null)));
        var implausible = Assert.IsType<ReportOutcome.Accepted>(await Figures.ReportAsync(Report("kailu", "signed-projects", 101, "补报")));
        Assert.True(implausible.Receipts.Single().Values.Single().Implausible);
        Assert.True((await TestData.HistoryAsync(_host, "kailu", "signed-projects"))[^1].Implausible);
    }
}

/// <summary>The push API under concurrent writers, and what survives a restart of the server on the same file.</summary>
public sealed class ConcurrentApiReportTests
{
    private const int Writers = 16, ReportsEach = 12;
    private static readonly string[] Districts = ["horqin", "huolingol", "kailu", "zuozhong", "zuohou", "hure", "naiman", "jarud", "devzone"];

    [Fact]
    public async Task Sixteen_concurrent_writers_are_each_acknowledged_and_every_report_is_on_disk_and_replayable_after_a_restart()
    {
        var settings = new Dictionary<string, string?> { ["LiveBoard:RateLimits:WritesPerMinute"] = "100000" };
        var host = new LiveBoardHost(settings: settings);
        var root = host.Start();
        var receipts = new List<(string Key, string Body, JsonElement Receipt)>();
        try
        {
            using var api = await SignedInClients.ApiAsync(host, root, "organiser");
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                // Each writer owns one figure, so that writers never race on one version.
                var district = Districts[w % Districts.Length];
                var indicator = w < Districts.Length ? "signed-projects" : "started-projects";
                for (var n = 0; n < ReportsEach; n++)
                {
                    var key = $"w{w}-{n}";
                    var body = JsonSerializer.Serialize(new { district, values = new[] { new { indicator, value = 1000 + w * 100 + n, reason = "并发补报" } } });
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
                    {
                        Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Headers = { { "Idempotency-Key", key } },
                    };
                    using var response = await api.SendAsync(request);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
                    lock (receipts) receipts.Add((key, body, receipt));
                }
            })));
        }
        finally
        {
            await host.DisposeAsync();
        }
        Assert.Equal(Writers * ReportsEach, receipts.Count);

        await using var again = new LiveBoardHost(host.DatabasePath, settings);
        var againRoot = again.Start();
        await using (var db = await TestData.DbAsync(again))
        {
            var keys = await db.IdempotencyRecords.Where(r => r.UserName == "organiser").Select(r => r.Key).ToListAsync();
            Assert.Equal(receipts.Select(r => r.Key).Order(), keys.Order());
            var revisions = await db.FigureRevisions.Where(r => r.ChangedBy == "organiser" && r.Channel == Channels.Api)
                .Select(r => new { r.RequestId, r.NewValue, r.Version }).ToListAsync();
            var expected = receipts.Select(r => (r.Receipt.GetProperty("requestId").GetString(),
                r.Receipt.GetProperty("values")[0].GetProperty("value").GetDecimal(), r.Receipt.GetProperty("values")[0].GetProperty("version").GetInt32()));
            Assert.Equal(expected.Order(), revisions.Select(r => (r.RequestId, r.NewValue, r.Version)).Order());
        }
        // Every writer's last value is its figure's value, at the version its last receipt named.
        foreach (var w in Enumerable.Range(0, Writers))
        {
            var last = receipts.Single(r => r.Key == $"w{w}-{ReportsEach - 1}").Receipt.GetProperty("values")[0];
            var figure = await TestData.FigureAsync(again, Districts[w % Districts.Length], w < Districts.Length ? "signed-projects" : "started-projects");
            Assert.Equal((last.GetProperty("value").GetDecimal(), last.GetProperty("version").GetInt32()), (figure.Value, figure.Version));
        }

        // A retry after the restart gets the first answer again and writes nothing.
        using var client = await SignedInClients.ApiAsync(again, againRoot, "organiser");
        var (retryKey, retryBody, retryReceipt) = receipts[receipts.Count / 2];
        var writes = await TestData.WritesAsync(again);
        using var retry = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = new StringContent(retryBody, System.Text.Encoding.UTF8, "application/json"), Headers = { { "Idempotency-Key", retryKey } },
        });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(retryReceipt.GetRawText(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        Assert.Equal(writes, await TestData.WritesAsync(again));
    }
}
