using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// Past the live-page cap for one address (LiveBoard:Circuits:PerClient), a new page says so in one sentence, in the
/// reader's language, instead of sitting still; the page already open stays live; the organiser finds the refused pages
/// on /audit, narrowed to refusals. Screenshots (phone and wall, Chinese and English): artifacts/screenshots/issue14/.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class CircuitCapBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    private static readonly (string Culture, int Width, int Height)[] Views = [("zh-CN", 390, 844), ("en", 390, 844), ("zh-CN", 1920, 1080), ("en", 1920, 1080)];

    private static string Screenshot(string name) => BrowserFixture.ScreenshotPath(Path.Combine("issue14", name));

    [Fact]
    public async Task Past_the_cap_a_new_page_says_too_many_pages_are_open_and_the_open_page_stays_live()
    {
        var clock = new AdjustableClock();
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:Circuits:PerClient"] = "1" }, clock: clock);
        var root = host.Start();
        Directory.CreateDirectory(Path.GetDirectoryName(Screenshot("x"))!);
        var phone = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var open = await phone.NewPageAsync();
        await open.GotoAsync("/");
        await Expect(open.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(open.GetByTestId("too-many-pages")).ToBeHiddenAsync();

        foreach (var (culture, width, height) in Views)
        {
            await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
            var refused = await context.NewPageAsync();
            await refused.GotoAsync($"/?culture={culture}");
            await Expect(refused.GetByTestId("too-many-pages")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(refused.GetByTestId("too-many-pages")).ToContainTextAsync(culture == "en"
                ? "Too many live pages are open from this address: close some of them, then reload this page."
                : "此地址打开的实时页面过多，请先关闭其他页面后再刷新本页。");
            await Expect(refused.Locator(".lb-page[data-live=true]")).ToHaveCountAsync(0);
            // The app bar (language switch, sign-in) stays uncovered: the banner sits below it.
            var bar = await refused.Locator(".lb-appbar").BoundingBoxAsync();
            var banner = await refused.GetByTestId("too-many-pages").BoundingBoxAsync();
            Assert.True(bar is not null && banner is not null && banner.Y >= bar.Y + bar.Height,
                $"the banner ({banner?.Y}..{banner?.Y + banner?.Height}) covers the app bar ({bar?.Y}..{bar?.Y + bar?.Height}) at {width}x{height}");
            await refused.ScreenshotAsync(new() { Path = Screenshot($"too-many-pages-{culture}-{width}x{height}.png") });
        }
        // The page that was open first is untouched.
        await Expect(open.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync();
        await Expect(open.GetByTestId("too-many-pages")).ToBeHiddenAsync();

        // The organiser finds the refused pages on /audit once their minute is over. One live page at a time from this
        // address (the cap is 1): each view waits until the server has let the previous page's circuit go.
        await phone.CloseAsync();
        var cap = host.Service<CircuitCap>();
        await Eventually.Until(() => cap.Open == 0, what: "the closed pages' circuits released");
        clock.Offset += TimeSpan.FromMinutes(1);
        await Eventually.Until(async () =>
        {
            await using var db = await host.DbAsync();
            return await db.AuditEvents.AnyAsync(a => a.Kind == AuditKinds.Refused);
        }, what: "the refused pages' audit row");
        await using var office = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await office.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2F");
        await SignIn.WithFormAsync(page, "organiser", SignedInClients.DemoPassword(host));
        await page.WaitForURLAsync(new Uri(root, "/").ToString());
        foreach (var (culture, width, height) in Views)
        {
            await page.GotoAsync("about:blank");
            await Eventually.Until(() => cap.Open == 0, what: "the previous view's circuit released");
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync(new Uri(root, $"/audit?culture={culture}").ToString());
            // In its circuit, not just prerendered: the filter only opens once the page is interactive.
            await Expect(page.Locator("main[data-interactive=true] [data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            var refusals = culture == "en" ? "Requests refused (counted per address and minute)" : "请求被拒绝（按地址每分钟计数）";
            await MudSelects.PickAsync(page, "filter-kind", refusals);
            await page.GetByTestId("audit-apply").ClickAsync();
            var events = page.GetByTestId("audit-event");
            await Expect(events.First).ToHaveAttributeAsync("data-kind", AuditKinds.Refused);
            await Expect(page.Locator($"[data-testid=audit-event]:not([data-kind={AuditKinds.Refused}])")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("audit-events")).ToContainTextAsync(RefusalReasons.TooManyPages);
            // The kind narrows the events, not the figure changes above them: the shot is of the events, where the reader scrolls to.
            await page.GetByTestId("audit-events").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Screenshot($"audit-refusals-{culture}-{width}x{height}.png") });
        }
    }
}
