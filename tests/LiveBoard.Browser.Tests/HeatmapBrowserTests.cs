using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>The business-environment heatmap read at 5 m on a wall, and the same table on /grades, in Chinese and English.</summary>
[Collection(WalkingBrowser.Name)]
public sealed class HeatmapBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    // Elements whose text does not fit their box, or that reach outside the panel on the 1920×1080 canvas.
    private const string CutOrOutside = """
        sel => { const panel = document.querySelector('[data-panel=heatmap]').getBoundingClientRect();
          return [...document.querySelectorAll(sel)].filter(el => { const r = el.getBoundingClientRect();
            return el.scrollWidth > el.clientWidth + 1 || r.right > panel.right + 1 || r.bottom > panel.bottom + 1; })
          .map(el => el.textContent.trim()); }
        """;

    private static async Task GradeSomeAsync(LiveBoardHost host, Uri root)
    {
        await DemoGrades.PutAsync(host, root, "horqin", "好", "好", "好", "好", "好");
        await DemoGrades.PutAsync(host, root, "kailu", "一般", "一般", "一般", "一般", "一般");
    }

    [Fact]
    public async Task Wall_heatmap_names_districts_by_short_name_and_shows_every_column_and_legend_entry_whole()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: PanelIds.Heatmap));
        await GradeSomeAsync(host, root);

        foreach (var culture in new[] { "zh-CN", "en" })
        {
            await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/culture/{culture}?redirect={Uri.EscapeDataString(screen.RelativeUrl)}");
            await Expect(page.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("[data-district=horqin][data-indicator].lb-grade-good")).Not.ToHaveCountAsync(0);

            var names = await page.GetByTestId("heatmap-district").AllTextContentsAsync();
            Assert.Equal(culture == "zh-CN" ? ["科区", "霍市", "开鲁", "左中", "左后", "库伦", "奈曼", "扎旗", "开发区"] : names, names);
            Assert.DoesNotContain(names, n => n.Contains('…', StringComparison.Ordinal));
            Assert.Equal(9, names.Distinct().Count());
            await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Path = BrowserFixture.ScreenshotPath($"display-heatmap-{culture}-1920x1080.png") });
            var cut = await page.EvaluateAsync<string[]>(CutOrOutside, "[data-testid=heatmap-district], [data-testid=heatmap-column], [data-testid=heatmap-legend] li, [data-panel=heatmap] td.lb-grade");
            Assert.True(cut.Length == 0, $"{culture}: cut or outside the screen: {string.Join(" | ", cut)}");
            Assert.Equal(25, await page.GetByTestId("heatmap-column").CountAsync());
            Assert.Equal(25, await page.Locator("[data-testid=heatmap-legend] li").CountAsync());
            // Column numbers and legend readable at 1080p.
            var sizes = await page.Locator("[data-testid=heatmap-column], [data-testid=heatmap-legend] li, [data-testid=heatmap-district]")
                .EvaluateAllAsync<double[]>("els => els.map(el => parseFloat(getComputedStyle(el).fontSize))");
            Assert.All(sizes, s => Assert.True(s >= 22, $"{s} px"));
        }
    }

    [Fact]
    public async Task Grades_page_does_not_overflow_on_a_wall_a_laptop_or_a_phone()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await GradeSomeAsync(host, root);
        // The phone in English: its district names are the longest.
        foreach (var (width, height, culture) in new[] { (1920, 1080, "zh-CN"), (1400, 900, "zh-CN"), (390, 844, "en") })
        {
            await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/account/login?returnUrl=%2Fgrades%3Fculture%3D{culture}");
            await SignIn.WithFormAsync(page, DemoAccounts.Leader, DemoAccounts.DefaultPassword);
            // Measured once the page is live: the circuit's first render replaces the prerendered table (two full runs
            // measured the table in between and found the first grade cell without a box).
            await Expect(page.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.GetByTestId("grade-table")).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), $"/grades overflows at {width}×{height}");
            if (width >= 1400)
                // Wide enough for the whole table: nothing to scroll sideways inside it either.
                Assert.True(await page.GetByTestId("grade-table").EvaluateAsync<bool>("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1"), $"table scrolls at {width}");
            else
            {
                // A phone scrolls the table sideways, but opens on the districts with their overall grade and the first
                // indicators beside them, not on a column of long names alone.
                var cell = page.GetByTestId("grade-cell").First;
                await Expect(cell).ToBeVisibleAsync();
                var firstGrade = await cell.BoundingBoxAsync();
                Assert.True(firstGrade is not null && firstGrade.X + firstGrade.Width <= width, $"the first grade starts at x={firstGrade?.X} on a {width} px phone ({culture})");
            }
            await page.ScreenshotAsync(new() { FullPage = true, Path = BrowserFixture.ScreenshotPath($"grades-{culture}-{width}x{height}.png") });
        }
    }
}
