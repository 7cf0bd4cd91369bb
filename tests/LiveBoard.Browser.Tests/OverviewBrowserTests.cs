using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Reporting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

[Collection(SharedBrowser.Name)]
public sealed class OverviewBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Open_overview_updates_figures_and_ranking_live_without_reload()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(),
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var hureRow = page.Locator("[data-testid=ranking-row][data-district=hure]");
        await Expect(hureRow).Not.ToHaveAttributeAsync("data-rank", "1");
        await Expect(page.Locator("[data-testid=figure][data-district=hure][data-indicator=signed-projects]")).ToHaveTextAsync("15 个");
        // A reload would wipe this marker: its survival proves the page changed in place.
        await page.EvaluateAsync("() => window.__noReload = 'still here'");

        var outcome = await host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());
        Assert.IsType<ReportOutcome.Accepted>(outcome);

        await Expect(page.Locator("[data-testid=figure][data-district=hure][data-indicator=signed-projects]"))
            .ToHaveTextAsync("90 个", new() { Timeout = 5_000 });
        await Expect(hureRow).ToHaveAttributeAsync("data-rank", "1");
        await Expect(page.Locator("[data-testid=ranking-row]").First).ToHaveAttributeAsync("data-district", "hure");
        await Expect(page.Locator("[data-testid=city-total][data-indicator=signed-projects] [data-testid=city-total-value]"))
            .ToHaveTextAsync("304 个");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__noReload"));

        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("overview-live.png"), FullPage = true });
    }
}
