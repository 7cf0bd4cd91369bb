using System.Collections.Concurrent;
using System.Globalization;
using Bunit;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.Components;

namespace LiveBoard.Web.Tests;

/// <summary>The display page: opened by its key alone, follows the change feed, drops at once when revoked.</summary>
public sealed class DisplayPageTests : DemoBunitContext
{
    [Fact]
    public void Wall_clock_shows_the_citys_time_whatever_zone_the_server_runs_in()
    {
        var cut = Render<DisplayClock>();
        var clock = cut.Find("[data-testid=display-clock]");
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(clock.GetAttribute("data-heartbeat")!, CultureInfo.InvariantCulture));
        // Tongliao is on Beijing time (UTC+8, no daylight saving); CI servers usually run on UTC.
        Assert.Equal(at.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm:ss", CultureInfo.InvariantCulture), clock.TextContent);
    }

    private async Task<ScreenWithKey> NewScreenAsync(string? pinned = null) =>
        await Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: pinned));

    private IRenderedComponent<DisplayPage> Open(ScreenWithKey screen, string? key = null, string? panel = null)
    {
        // Query parameters reach the page through the address, as on a real wall PC.
        var nav = Service<NavigationManager>();
        var url = nav.GetUriWithQueryParameters($"display/{screen.Screen.Slug}",
            new Dictionary<string, object?> { ["key"] = key ?? screen.Key, ["panel"] = panel });
        nav.NavigateTo(url);
        return Render<DisplayPage>(p => p.Add(x => x.Slug, screen.Screen.Slug));
    }

    [Fact]
    public async Task Display_key_is_stored_only_as_a_hash_and_opens_only_its_own_screen()
    {
        var displays = Service<DisplayService>();
        var hall = await NewScreenAsync();
        var lobby = await displays.CreateAsync(new NewScreen("Lobby"));

        Assert.NotEqual(hall.Key, hall.Screen.KeyHash);
        Assert.DoesNotContain(hall.Key, hall.Screen.KeyHash);
        Assert.Equal($"/display/hall?key={hall.Key}", hall.RelativeUrl);
        Assert.NotNull(await displays.AuthoriseAsync("hall", hall.Key));
        Assert.Null(await displays.AuthoriseAsync("hall", lobby.Key));
        Assert.Null(await displays.AuthoriseAsync("hall", null));

        var rotated = await displays.RotateKeyAsync("hall");
        Assert.Null(await displays.AuthoriseAsync("hall", hall.Key));
        Assert.NotNull(await displays.AuthoriseAsync("hall", rotated!.Key));

        Assert.True(await displays.RevokeAsync("hall"));
        Assert.Null(await displays.AuthoriseAsync("hall", rotated.Key));
        Assert.Equal(["hall", "lobby"], (await displays.ListAsync()).Select(s => s.Slug).Order());
    }

    [Fact]
    public async Task Wrong_key_shows_not_authorised_and_no_data()
    {
        var screen = await NewScreenAsync();
        var cut = Open(screen, key: "not-the-key");
        Assert.NotNull(cut.Find("[data-testid=display-unauthorised]"));
        Assert.Empty(cut.FindAll("[data-testid=display-panel]"));
    }

    [Fact]
    public async Task Open_screen_follows_reports_on_the_ranking_and_drops_to_not_authorised_when_revoked()
    {
        var screen = await NewScreenAsync(pinned: PanelIds.Ranking);
        var cut = Open(screen);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-canvas").GetAttribute("data-live")));
        Assert.Equal("ranking", cut.Find("[data-testid=display-panel]").GetAttribute("data-current-panel"));
        Assert.NotEqual("hure", cut.FindAll("[data-testid=board-row]")[0].GetAttribute("data-district"));

        await Task.Run(() => Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
        cut.WaitForAssertion(() => Assert.Equal("hure", cut.FindAll("[data-testid=board-row]")[0].GetAttribute("data-district")),
            TimeSpan.FromSeconds(10));

        await Service<DisplayService>().RevokeAsync(screen.Screen.Slug);
        cut.WaitForAssertion(() => cut.Find("[data-testid=display-unauthorised]"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Panel_override_shows_the_ticker_and_a_new_report_appears_first()
    {
        var screen = await NewScreenAsync();
        var cut = Open(screen, panel: PanelIds.Ticker);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-canvas").GetAttribute("data-live")));
        await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());
        cut.WaitForAssertion(() => Assert.Equal("hure", cut.FindAll("[data-testid=ticker-row]")[0].GetAttribute("data-district")),
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposed_display_page_stops_listening_to_the_feed()
    {
        var feed = (InProcessChangeFeed)Service<IChangeFeed>();
        var data = Service<LiveStandings>(); // follows the feed itself, once for all screens
        Service<LiveBoard.Web.Features.Meeting.MeetingService>(); // so does the meeting (screens in meeting mode ask it), once made
        Service<DisplayService>(); // and the display service (it forgets the keys it knows when a screen's access changes)
        var before = feed.SubscriberCount;
        var screen = await NewScreenAsync();
        var cut = Open(screen);
        cut.WaitForAssertion(() => Assert.Equal(before + 1, feed.SubscriberCount));
        Assert.Equal(1, data.FollowerCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, feed.SubscriberCount);
        Assert.Equal(0, data.FollowerCount);
        Assert.IsType<ReportOutcome.Accepted>(await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
    }

    [Fact]
    public async Task Two_open_screens_show_one_shared_snapshot_loaded_once_per_change()
    {
        var data = Service<LiveStandings>();
        var screen = await NewScreenAsync();
        var first = Open(screen, panel: PanelIds.Ticker);
        var second = Open(screen, panel: PanelIds.Ticker);
        first.WaitForAssertion(() => Assert.Equal("true", first.Find(".lb-canvas").GetAttribute("data-live")));
        second.WaitForAssertion(() => Assert.Equal("true", second.Find(".lb-canvas").GetAttribute("data-live")));
        var handed = new System.Collections.Concurrent.ConcurrentQueue<StandingsSnapshot>();
        using var follower = data.Follow(s =>
        {
            handed.Enqueue(s);
            return Task.CompletedTask;
        });

        await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());

        // The report's four figures were announced before it was answered, each a change: the standings as of all of
        // them. (Waiting for the first snapshot that showed Hure in front raced them: a refresh could start after the
        // first announcement, hand out that snapshot, and the next ones make another.)
        var shared = (await data.CurrentAsync())!;
        Assert.True(shared.Recent is [{ District.Code: "hure" }, ..], "the newest change is Hure's");
        // Every follower, these two pages among them, is handed this one object: one load for every screen, one copy in
        // memory, and no reload when asked again.
        await Eventually.Until(() => handed.Any(s => ReferenceEquals(s, shared)), TimeSpan.FromSeconds(10), "the followers handed the current snapshot");
        Assert.Same(shared, (await data.CurrentAsync())!);
        var stamp = shared.ComputedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        first.WaitForAssertion(() => Assert.Equal(stamp, first.Find("[data-testid=display-panel]").GetAttribute("data-snapshot-at")));
        second.WaitForAssertion(() => Assert.Equal(stamp, second.Find("[data-testid=display-panel]").GetAttribute("data-snapshot-at")));
    }

    [Fact]
    public async Task A_snapshot_loaded_before_a_change_is_not_reused_after_it()
    {
        var data = Service<LiveStandings>();
        var before = (await data.CurrentAsync())!;
        Assert.Same(before, (await data.CurrentAsync())!);

        await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());

        var after = (await data.CurrentAsync())!;
        Assert.NotSame(before, after);
        Assert.True(after.Version > before.Version);
        Assert.Equal("hure", after.Recent[0].District.Code);
    }

    [Fact]
    public async Task With_no_screen_open_a_change_loads_nothing_and_the_next_follower_still_gets_it()
    {
        var data = Service<LiveStandings>();
        var before = (await data.CurrentAsync())!;
        var loads = data.Loads;

        // The feed is handed the change before the report is answered: with nobody following, no campaign read follows it.
        await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());
        Assert.Equal(loads, data.Loads);

        // A screen that starts following now (as a page does after its first render) is brought up to date without
        // waiting for another change.
        var delivered = new TaskCompletionSource<StandingsSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var follower = data.Follow(s =>
        {
            delivered.TrySetResult(s);
            return Task.CompletedTask;
        });
        var caughtUp = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(caughtUp.Version > before.Version);
        Assert.Equal("hure", caughtUp.Recent[0].District.Code);
    }

    [Fact]
    public async Task An_import_of_every_districts_figures_is_one_load_and_one_update_for_the_screens()
    {
        var data = Service<LiveStandings>();
        var campaign = (await data.CurrentAsync())!.City.Campaign;
        var handed = new ConcurrentQueue<StandingsSnapshot>();
        using var screen = data.Follow(s =>
        {
            handed.Enqueue(s);
            return Task.CompletedTask;
        });
        await data.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        handed.Clear();
        var loads = data.Loads;
        // The announcements of a write race the standings' load on the thread pool: a load that starts after the first
        // change reads the count of changes announced so far and is followed by a second. Made certain here: when the first
        // change reaches this subscriber (after the standings room), the announcement goes on only once a load it asked for
        // has started, or none was asked for.
        var first = 0;
        using var slowScreen = Service<IChangeFeed>().Subscribe(async change =>
        {
            if (change is FigureChanged && Interlocked.Exchange(ref first, 1) == 0)
                await Eventually.Until(() => data.Loads > loads || data.RefreshIdle, TimeSpan.FromSeconds(10), "a load started or none asked for");
        });

        // An organiser's import of every district's sheet: one all-or-nothing write, its changes announced one by one.
        var requests = campaign.Districts.Select((district, d) => new ReportRequest(district.Code,
            [.. campaign.Indicators.Where(i => i.Unit != IndicatorUnit.Grade).Select((indicator, i) => new FigureEntry(indicator.Code, 1000 + 100 * d + i, null, "核实补报"))],
            "organiser", Channels.Import)).ToList();
        var accepted = Assert.IsType<ReportOutcome.Accepted>(await Service<FigureService>().ReportManyAsync(requests));
        Assert.Equal(requests.Sum(r => r.Values.Count), accepted.Changes.Count);

        // Every change was announced before the report was answered; what the screens were sent is settled once the
        // refresh that asked for is done.
        await data.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(loads + 1, data.Loads);
        var update = Assert.Single(handed);
        var last = accepted.Changes[^1];
        Assert.Contains(update.Recent, r => r.District.Code == last.DistrictCode && r.Indicator.Code == last.IndicatorCode && r.NewValue == last.NewValue);
    }
}
