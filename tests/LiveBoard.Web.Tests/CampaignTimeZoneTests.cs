using System.Globalization;
using System.Net.Http.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace LiveBoard.Web.Tests;

/// <summary>
/// Times are read in the campaign's zone (Beijing) whatever zone the server runs in. The process zone cannot be changed
/// inside a running test host, so LiveBoard runs here as its own process with TZ set, on 127.0.0.1, over its own file:
/// a report and a publication are made through the API, and the ticker, /history and /audit must show them in Beijing
/// time (stored times stay UTC).
/// </summary>
public sealed class CampaignTimeZoneTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    public async Task Ticker_history_and_audit_show_Beijing_time_in_a_server_running_in(string zone)
    {
        var database = TempPaths.NewDatabase();
        await using var server = await LiveBoardProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["TZ"] = zone, ["LiveBoard__CampaignToday"] = "2023-07-29",
        });
        var root = server.Root;

        var api = await ApiClients.SignedInAsync(root, DemoAccounts.Organiser, DemoAccounts.DefaultPassword);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = JsonContent.Create(new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 19, reason = "核实补报" } } }),
        };
        request.Headers.Add("Idempotency-Key", "tz-" + zone.Replace('/', '-'));
        var report = await api.SendAsync(request);
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());
        var publish = await api.PostAsJsonAsync("/api/v1/rankings/publish", new { day = "2023-07-29", note = "时区" });
        Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync());

        // What was stored (UTC), read from the file itself.
        DateTimeOffset changedAt, publishedAt;
        await using (var db = new LiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite($"Data Source={database}").Options))
        {
            changedAt = await db.FigureRevisions.Where(r => r.Reason == "核实补报").Select(r => r.ChangedAt).SingleAsync();
            publishedAt = (await db.PublishedRankings.Select(p => new { p.Version, p.TakenAt }).ToListAsync()).MaxBy(p => p.Version)!.TakenAt;
        }
        Assert.Equal(TimeSpan.Zero, changedAt.Offset);

        var web = SignedInClients.Anonymous(root);
        var login = await SignedInClients.PostLoginAsync(web, DemoAccounts.Organiser, DemoAccounts.DefaultPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);

        var audit = await web.GetStringAsync("/audit");
        Assert.Contains(Local(changedAt, "yyyy-MM-dd HH:mm:ss"), audit, StringComparison.Ordinal);
        var history = await web.GetStringAsync("/history");
        Assert.Contains(Local(publishedAt, "yyyy-MM-dd HH:mm"), history, StringComparison.Ordinal);
        var key = DemoScreen.Key(new ConfigurationBuilder().Build());
        var ticker = await web.GetStringAsync(DisplayService.Url(DemoScreen.Slug, key) + "&panel=ticker");
        Assert.Contains($">{Local(changedAt, "HH:mm:ss")}<", ticker, StringComparison.Ordinal);

        // And not in the server's own zone, where it differs from Beijing.
        var serverZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var serverTime = TimeZoneInfo.ConvertTime(changedAt, serverZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.DoesNotContain(serverTime, audit, StringComparison.Ordinal);
    }

    private static string Local(DateTimeOffset utc, string format) =>
        TimeZoneInfo.ConvertTime(utc, Beijing).ToString(format, CultureInfo.InvariantCulture);
}
