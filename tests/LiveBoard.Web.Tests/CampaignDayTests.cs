using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Reporting;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests;

/// <summary>
/// One "today" for reporting, the campaign's (Beijing time), whatever zone the server runs in: the hub's
/// ReportingStatusChanged, the status page and the wall's status panel agree, also between 16:00 and 24:00 UTC, when the
/// server's date and Beijing's differ.
/// </summary>
public sealed class CampaignDayTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    // A UTC day near the real one, so that sign-in cookies and tokens stay valid across the test.
    private static readonly DateTimeOffset Day = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    private readonly AdjustableClock _clock = new();
    private LiveBoardHost _host = default!;
    private Uri _root = default!;
    private ScreenWithKey _led = default!;

    public async Task InitializeAsync()
    {
        _clock.Set(Day.AddHours(15)); // 23:00 in Beijing
        _host = new LiveBoardHost(clock: _clock);
        _root = _host.Start();
        _led = await _host.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task ReportAsync(decimal value) =>
        Assert.IsType<ReportOutcome.Accepted>(await _host.Service<FigureService>().ReportAsync(
            new ReportRequest("hure", [new FigureEntry("signed-projects", value, null, "补报")], "reporter-hure", Channels.Api)));

    private async Task<ReportingDay> StatusAsync() => (await _host.Service<LiveStandings>().CurrentAsync())!.Reporting;

    [Fact]
    public async Task At_20_00_UTC_a_districts_first_report_of_the_Beijing_day_is_announced_on_the_hub_as_on_the_status_page()
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_root, $"hubs/live?topics=status&key={Uri.EscapeDataString(_led.Key)}")).Build();
        var announced = new List<LiveReportingStatusChanged>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<LiveReportingStatusChanged>("ReportingStatusChanged", m =>
        {
            lock (announced)
            {
                announced.Add(m);
                (announced.Count == 1 ? first : second).TrySetResult();
            }
        });
        await hub.StartCurrentAsync();

        // 23:00 in Beijing: Hure's first report of the day.
        var beijingDay = DateOnly.FromDateTime(Day.Date);
        await ReportAsync(16);
        await first.Task.WaitAsync(Wait);
        var evening = await StatusAsync();
        Assert.Equal((beijingDay, true), (evening.Day, evening.Districts.Single(d => d.District.Code == "hure").Reported));

        // 20:00 UTC, still the same day on the server, already 04:00 of the next day in Beijing: a new reporting day.
        _clock.Set(Day.AddHours(20));
        var morning = await StatusAsync();
        Assert.Equal((beijingDay.AddDays(1), false), (morning.Day, morning.Districts.Single(d => d.District.Code == "hure").Reported));

        // Hure's first report of the new day is announced to hub clients, as the status page shows it.
        await ReportAsync(17);
        await second.Task.WaitAsync(Wait);
        Assert.Equal(["hure", "hure"], announced.Select(a => a.DistrictCode));
        Assert.Equal(Day.AddHours(20).UtcDateTime.Date, announced[1].LastReportAt.UtcDateTime.Date);
        Assert.True((await StatusAsync()).Districts.Single(d => d.District.Code == "hure").Reported);

        using var leader = await SignedInClients.WebAsync(_host, _root, "leader");
        var page = WebUtility.HtmlDecode(await leader.GetStringAsync("/status"));
        Assert.Contains("1/9 个旗县市区今日已填报", page);
        Assert.Contains("data-district=\"hure\" data-reported=\"true\"", page);
    }
}
