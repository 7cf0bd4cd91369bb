using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace LiveBoard.Web.Tests;

/// <summary>
/// LiveBoard as its own process, as a newcomer or a server runs it, started twice on one file.
/// What a newcomer sees in the console: what the first start is doing, where the database file is, which address to
/// open and the demo wall display's full address on every start, no EF Core warning, and which garbage collector runs:
/// the one runtime.env sets when the unit loads that file, a warning when it does not. (Data protection warns on a
/// first start that its key ring is stored unencrypted; that is deployment's business.)
/// Times are read in the campaign's zone (Beijing) whatever zone the server runs in: the process zone cannot be changed
/// inside a running test host, so the first start runs in UTC and the second in New York; each time a report and a
/// publication are made through the API, and the ticker, /history and /audit must show them in Beijing time (stored
/// times stay UTC). The two concerns share the two starts: a start of a cold process each cost four starts (three of
/// them first starts, which prepare the demo accounts) for what two show.
/// </summary>
public sealed partial class FirstStartTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task Every_start_says_where_to_open_LiveBoard_and_the_demo_screen_and_shows_Beijing_time_in_a_server_in_UTC_or_New_York()
    {
        var database = TempPaths.NewDatabase();
        await using (var server = await LiveBoardProcess.StartAsync(database, InZone("UTC")))
        {
            var first = await OutputOnceReadyAsync(server);
            Assert.Contains($"Database file: {database}", first, StringComparison.Ordinal);
            Assert.Contains("Preparing the demo accounts", first, StringComparison.Ordinal);
            Assert.DoesNotContain("MultipleCollectionIncludeWarning", first, StringComparison.Ordinal);
            Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", first, StringComparison.Ordinal);
            // Started as the service unit starts it (runtime.env loaded): the GC LiveBoard is measured with, and no warning.
            Assert.Contains("Garbage collector: workstation, gen0 budget up to 64 MB", first, StringComparison.Ordinal);
            Assert.DoesNotContain("runtime.env", first, StringComparison.Ordinal);
            await ShowsBeijingTimeAsync(server.Root, database, "UTC");
        }

        // The second start on the same file prints the same screen address (the key is not lost after the first start).
        // It is started by a unit that forgot runtime.env: it runs on the runtime's defaults and says so.
        await using var again = await LiveBoardProcess.StartAsync(database, InZone("America/New_York"), loadRuntimeSettings: false);
        var second = await OutputOnceReadyAsync(again);
        Assert.Contains("Garbage collector: server", second, StringComparison.Ordinal);
        Assert.Contains("runtime.env (beside LiveBoard.Web.dll) is not in this process's environment: DOTNET_gcServer, DOTNET_GCgen0size", second, StringComparison.Ordinal);
        var screen = DemoScreenUrl().Match(second);
        Assert.True(screen.Success, second);
        Assert.StartsWith(again.Root.ToString(), screen.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains($"LiveBoard is ready: open {again.Root}", second, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", second, StringComparison.Ordinal);

        // The printed address opens the wall display.
        using var http = new HttpClient();
        var display = await http.GetAsync(new Uri(screen.Groups[1].Value));
        Assert.True(display.IsSuccessStatusCode);
        Assert.Contains("data-panel=", await display.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await ShowsBeijingTimeAsync(again.Root, database, "America/New_York");
    }

    private static Dictionary<string, string> InZone(string zone) => new() { ["TZ"] = zone, ["LiveBoard__CampaignToday"] = "2023-07-29" };

    // A report and a publication through the API, then the ticker, /history and /audit read in Beijing time, and not in
    // the server's own zone, where it differs from Beijing.
    private static async Task ShowsBeijingTimeAsync(Uri root, string database, string zone)
    {
        var reason = "核实补报 " + zone;
        var api = await ApiClients.SignedInAsync(root, DemoAccounts.Organiser, DemoAccounts.DefaultPassword);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = JsonContent.Create(new { district = "hure", values = new[] { new { indicator = "signed-projects", value = zone == "UTC" ? 19 : 20, reason } } }),
        };
        request.Headers.Add("Idempotency-Key", "tz-" + zone.Replace('/', '-'));
        var report = await api.SendAsync(request);
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());
        var publish = await api.PostAsJsonAsync("/api/v1/rankings/publish", new { day = "2023-07-29", note = "时区 " + zone });
        Assert.True(publish.IsSuccessStatusCode, await publish.Content.ReadAsStringAsync());

        // What was stored (UTC), read from the file itself.
        DateTimeOffset changedAt, publishedAt;
        await using (var db = new LiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite($"Data Source={database}").Options))
        {
            changedAt = await db.FigureRevisions.Where(r => r.Reason == reason).Select(r => r.ChangedAt).SingleAsync();
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

        var serverZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var serverTime = TimeZoneInfo.ConvertTime(changedAt, serverZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.DoesNotContain(serverTime, audit, StringComparison.Ordinal);
    }

    private static string Local(DateTimeOffset utc, string format) =>
        TimeZoneInfo.ConvertTime(utc, Beijing).ToString(format, CultureInfo.InvariantCulture);

    // The "ready" line is written once Kestrel listens, which may be just after /healthz first answers.
    private static async Task<string> OutputOnceReadyAsync(LiveBoardProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Contains("LiveBoard is ready", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        return server.Output;
    }

    [GeneratedRegex(@"Demo wall display: (http://\S+/display/demo\?key=\S+)")]
    private static partial Regex DemoScreenUrl();
}
