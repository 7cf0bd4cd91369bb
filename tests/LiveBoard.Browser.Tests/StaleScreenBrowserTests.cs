using System.Text.RegularExpressions;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>A wall screen whose server has stopped: the clock keeps the city's time, and a banner says since when the data is old.</summary>
[Collection(SharedBrowser.Name)]
public sealed partial class StaleScreenBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [GeneratedRegex(@"^数据更新于 \d{2}:\d{2}（\d+ 分钟前）$")]
    private static partial Regex StaleSince();

    [Fact]
    public async Task With_the_server_stopped_the_clock_ticks_on_and_the_banner_says_when_the_data_was_updated_without_covering_the_title()
    {
        // A short stale-after so the banner is seen within the test.
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:Display:StaleAfterSeconds"] = "3" });
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: PanelIds.Ranking));
        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(screen.RelativeUrl);
        await Expect(page.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var updated = (await page.GetByTestId("display-updated").GetAttributeAsync("data-updated-time"))![..5];

        await host.DisposeAsync();

        var banner = page.GetByTestId("stale-banner");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(banner).ToHaveTextAsync(StaleSince(), new() { Timeout = 3_000 });
        Assert.StartsWith($"数据更新于 {updated}", await banner.TextContentAsync(), StringComparison.Ordinal);

        // The server is gone, yet the clock moves on in the browser.
        var clock = page.GetByTestId("display-clock");
        var before = await clock.TextContentAsync();
        await Expect(clock).Not.ToHaveTextAsync(before!, new() { Timeout = 3_000 });

        // The banner sits clear of the screen's title.
        var title = await page.Locator(".lb-display-title h1").BoundingBoxAsync();
        var box = await banner.BoundingBoxAsync();
        Assert.True(box!.Y >= title!.Y + title.Height || box.Y + box.Height <= title.Y, $"banner {box.Y}+{box.Height} over title {title.Y}+{title.Height}");
        await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Path = BrowserFixture.ScreenshotPath("display-stale-1920x1080.png") });
    }

    [Fact]
    public async Task A_screen_whose_browser_lost_its_network_is_offline_on_the_fleet_three_heartbeats_later()
    {
        // Beats every 2 s here (10 s, so 30 s to offline, by default) to keep the suite short; the mechanism is the same.
        await using var host = new LiveBoardHost(settings: new() { [ScreenFleet.HeartbeatSetting] = "2" });
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: PanelIds.Ranking));
        var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(screen.RelativeUrl);
        var fleet = host.Service<ScreenFleet>();
        await Eventually.Until(() => fleet.Online().Any(p => p.Slug == "hall"), TimeSpan.FromSeconds(15), "the screen on the fleet");

        // The wall PC loses its network (no goodbye from the page): its circuit stays on the server for minutes, and
        // SignalR notices the silent client only after 30 s; the fleet must not wait for either. Three missed beats
        // (6 s here) and a little slack for the poll.
        var closed = System.Diagnostics.Stopwatch.StartNew();
        await context.SetOfflineAsync(true);
        await Eventually.Until(() => !fleet.Online().Any(p => p.Slug == "hall"), TimeSpan.FromSeconds(10), "the screen off the fleet");
        Console.WriteLine($"Screen offline on the fleet {closed.Elapsed.TotalSeconds:0.0} s after its browser lost the network.");
        await context.CloseAsync();
    }
}
