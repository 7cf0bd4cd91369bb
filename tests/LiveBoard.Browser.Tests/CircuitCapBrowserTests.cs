using LiveBoard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// Past the live-page cap for one address (LiveBoard:Circuits:PerClient), a new page says so in one sentence, in the
/// reader's language, instead of sitting still; the page already open stays live. Screenshots:
/// artifacts/screenshots/too-many-pages-*.png.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class CircuitCapBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Past_the_cap_a_new_page_says_too_many_pages_are_open_and_the_open_page_stays_live()
    {
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:Circuits:PerClient"] = "1" });
        var root = host.Start();
        await using var phone = await browser.Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var open = await phone.NewPageAsync();
        await open.GotoAsync("/");
        await Expect(open.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(open.GetByTestId("too-many-pages")).ToBeHiddenAsync();

        foreach (var (culture, width, height, text) in new[]
        {
            ("zh-CN", 390, 844, "此地址打开的实时页面过多，请先关闭其他页面后再刷新本页。"),
            ("en", 1920, 1080, "Too many live pages are open from this address: close some of them, then reload this page."),
        })
        {
            await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
            var refused = await context.NewPageAsync();
            await refused.GotoAsync($"/?culture={culture}");
            await Expect(refused.GetByTestId("too-many-pages")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(refused.GetByTestId("too-many-pages")).ToContainTextAsync(text);
            await Expect(refused.Locator(".lb-page[data-live=true]")).ToHaveCountAsync(0);
            await refused.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"too-many-pages-{culture}-{width}x{height}.png") });
        }
        // The page that was open first is untouched.
        await Expect(open.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync();
        await Expect(open.GetByTestId("too-many-pages")).ToBeHiddenAsync();
    }
}
