using LiveBoard.Web.Data;
using System.Net;
using System.Net.Http.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Reporting;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class ReportingStatusTests
{
    [Fact]
    public async Task Status_shows_who_reported_today_against_the_days_deadline()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        await using var host = new LiveBoardHost(settings: new() { [$"LiveBoard:ReportingDeadlines:{today:yyyy-MM-dd}"] = "21:30" });
        var root = host.Start();
        var status = host.Service<ReportingStatus>();
        Assert.Equal(new TimeOnly(21, 30), status.DeadlineOn(today));
        Assert.Equal(new TimeOnly(18, 0), status.DeadlineOn(today.AddDays(1)));

        // Seeded starting values are nobody's report.
        var before = (await host.Service<LiveStandings>().CurrentAsync())!.Reporting;
        Assert.Equal(today, before.Day);
        Assert.DoesNotContain(before.Districts, d => d.Reported);

        using var api = await SignedInClients.ApiAsync(host, root, "reporter-hure");
        var response = await api.SendAsync(RunningApp.Report("s1", "hure", "signed-projects", 16, "补报"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var after = (await host.Service<LiveStandings>().CurrentAsync())!.Reporting;
        var hure = after.Districts.Single(d => d.District.Code == "hure");
        Assert.Equal((true, "reporter-hure", 1), (hure.Reported, hure.LastReportBy, hure.Changes));
        Assert.Equal(8, after.Districts.Count(d => !d.Reported));
        Assert.Equal(host.Service<CampaignClock>().At(today, new TimeOnly(21, 30)), after.Deadline);

        using var leader = await SignedInClients.WebAsync(host, root, "leader");
        var page = WebUtility.HtmlDecode(await leader.GetStringAsync("/status"));
        Assert.Contains("1/9 个旗县市区今日已填报", page);
        Assert.Contains("data-district=\"hure\" data-reported=\"true\"", page);
    }
}
