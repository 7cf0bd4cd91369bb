using LiveBoard.Testing;
using LiveBoard.Web.Features.Reporting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>The overview's biggest movers and unvisited districts, as leaders see them on a phone and on a wall, in both languages.</summary>
[Collection(SharedBrowser.Name)]
public sealed class OverviewMoversBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1920, 1080)]
    public async Task Overview_names_the_biggest_movers_on_a_phone_and_a_wall(int width, int height)
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());
        foreach (var (culture, mover) in new[] { ("zh-CN", "库伦旗"), ("en", "Hure") })
        {
            await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/culture/{culture}?redirect=%2F");
            await Expect(page.GetByTestId("mover").First).ToContainTextAsync(mover, new() { Timeout = 15_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), $"overview overflows at {width}");
            await page.ScreenshotAsync(new() { FullPage = true, Path = BrowserFixture.ScreenshotPath($"overview-movers-{culture}-{width}x{height}.png") });
        }
    }
}
