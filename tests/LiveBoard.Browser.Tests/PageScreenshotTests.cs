using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Reporting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// The office pages with tables, charts and code-behind, and the wall display, as a person sees them: on a phone and on a
/// full-HD screen, in Chinese and in English. The screenshots land in artifacts/screenshots/page-*.png for a person to look at.
/// </summary>
[Collection(WalkingBrowser.Name)]
public sealed class PageScreenshotTests(BrowserFixture browser)
{
    private const string Day1 = OfficePages.Day1;

    // The pages with tables, charts and code-behind (the responsive tests walk every page at five sizes).
    private static readonly (string Name, string Path, string Ready)[] Pages =
        OfficePages.Organiser.Where(p => p.Name is "audit" or "users" or "status" or "history" or "report" or "presenter").ToArray();

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1920, 1080)]
    public async Task Office_pages_and_the_wall_display_fit_the_window_in_Chinese_and_English(int width, int height)
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        var screen = await OfficePages.SeedAsync(host);

        await using var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Faudit");
        await SignIn.WithFormAsync(page, DemoAccounts.Organiser, SignedInClients.DemoPassword(host));
        await Expect(page.Locator(Pages.Single(p => p.Path == "/audit").Ready)).ToBeVisibleAsync(new() { Timeout = 15_000 });

        foreach (var (culture, switchTo) in new[] { ("zh-CN", "English"), ("en", "中文") })
        {
            // The language cookie, as the app bar's switch sets it: ?culture= reaches the prerendered HTML but not the
            // circuit, which would render the page again in the cookie's language once it is interactive.
            await page.GotoAsync($"/culture/{culture}?redirect=%2F");
            foreach (var (name, path, ready) in Pages)
            {
                await page.GotoAsync(path);
                await Expect(page.Locator(ready)).ToBeVisibleAsync(new() { Timeout = 15_000 });
                await Expect(page.GetByTestId("switch-language")).ToHaveTextAsync(switchTo);
                // A wide table scrolls inside its card; the page itself never scrolls sideways.
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
                    $"{path} is wider than a {width}px window");
                await page.ScreenshotAsync(new() { Path = Shot(name, culture, width, height), FullPage = true, Animations = ScreenshotAnimations.Disabled });
            }

            var wall = await context.NewPageAsync();
            await wall.GotoAsync($"{screen.RelativeUrl}&panel=ranking");
            await Expect(wall.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            Assert.True(await wall.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight"));
            await wall.ScreenshotAsync(new() { Path = Shot("display", culture, width, height), Animations = ScreenshotAnimations.Disabled });
            await wall.CloseAsync();
        }
    }

    private static string Shot(string page, string culture, int width, int height) =>
        BrowserFixture.ScreenshotPath($"page-{page}-{culture}-{width}x{height}.png");
}
