using LiveBoard.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

[Collection(SharedBrowser.Name)]
public sealed class ReportingBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Reporter_on_a_phone_signs_in_submits_a_value_and_an_open_overview_shows_it_live()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();

        // The wall screen: an anonymous overview, already open.
        await using var wall = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(), ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        var overview = await wall.NewPageAsync();
        await overview.GotoAsync("/");
        await Expect(overview.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var hureSigned = overview.Locator("[data-testid=figure][data-district=hure][data-indicator=signed-projects]");
        await Expect(hureSigned).ToHaveTextAsync("15 个");

        // The reporter, on a phone in the field.
        await using var phone = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
            DeviceScaleFactor = 2,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/report");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await Expect(page.Locator("[data-testid=demo-banner]")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("login-phone.png") });
        await SignIn.WithFormAsync(page, "reporter-hure", SignedInClients.DemoPassword(host));

        await Expect(page.Locator("[data-testid=report-page][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=report-district]")).ToHaveTextAsync("库伦旗");
        var entry = page.Locator("[data-testid=entry][data-indicator=signed-projects]");
        await entry.Locator("[data-testid=entry-value] input").FillAsync("23");
        await entry.Locator("[data-testid=entry-reason] input").FillAsync("现场核实新签约8个");
        await page.Locator("[data-testid=report-submit]").ClickAsync();

        await Expect(page.Locator("[data-testid=report-accepted]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(entry.Locator("[data-testid=entry-current]")).ToHaveTextAsync("23 个");
        // The revision keeps where the page's connection came from (the circuit's own address, not a request's).
        await using (var db = await host.DbAsync())
            Assert.Equal("127.0.0.1", (await db.FigureRevisions.OrderByDescending(r => r.Id).FirstAsync()).ClientAddress);
        // Nothing on the phone is wider than the phone.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("report-phone.png"), FullPage = true });

        await Expect(hureSigned).ToHaveTextAsync("23 个", new() { Timeout = 5_000 });

        // Signing out from the interactive page ends the session: the form is back at the login page.
        await page.Locator("[data-testid=logout]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync("/report");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?returnUrl=", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task An_idle_signed_in_page_signs_itself_out_after_the_configured_timeout()
    {
        // 0.05 minutes = 3 seconds of no input; the page must notice on its own, with nobody at the keyboard.
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:IdleTimeoutMinutes"] = "0.05" });
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = root.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Freport");
        await SignIn.WithFormAsync(page, "reporter-kailu", SignedInClients.DemoPassword(host));
        await Expect(page.Locator("[data-testid=report-page][data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?error=idle"), new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        await page.GotoAsync("/report");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }
}
