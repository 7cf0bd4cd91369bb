using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Operations.Backups;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>An organiser finds the backups in the navigation, takes one and sees it listed: phone and wall, Chinese and English.</summary>
[Collection(SharedBrowser.Name)]
public sealed class BackupsBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1920, 1080)]
    public async Task An_organiser_backs_up_from_the_backups_page_and_sees_it_verified(int width, int height)
    {
        await using var host = new LiveBoardHost(settings: new()
        {
            ["LiveBoard:Backup:IntervalMinutes"] = "60",
            ["LiveBoard:Backup:Folder"] = Path.Combine(Path.GetTempPath(), "liveboard-tests", "backups-" + Guid.NewGuid().ToString("N")),
        });
        var root = host.Start();
        await host.Service<BackupFolder>().TakeAsync(BackupFolder.Publication);

        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2F");
        await SignIn.WithFormAsync(page, DemoAccounts.Organiser, SignedInClients.DemoPassword(host));
        // Signed in (the user name is hidden on a phone; the organisers' navigation is there).
        await Expect(page.GetByTestId("nav-backups")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        // The organisers' navigation leads there (followed by address: on a phone the link sits in the scrolling app bar).
        await Expect(page.GetByTestId("nav-backups")).ToHaveAttributeAsync("href", "/admin/backups");
        await page.GotoAsync("/admin/backups");
        await Expect(page.Locator("[data-testid=backups][data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("backup-row")).ToHaveCountAsync(1);

        await page.GetByTestId("backup-now").ClickAsync();
        await Expect(page.GetByTestId("backup-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("backup-verified").First).ToHaveTextAsync("已校验");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"backups-zh-CN-{width}x{height}.png"), FullPage = true });

        await page.GotoAsync("/culture/en?redirect=%2Fadmin%2Fbackups");
        await Expect(page.Locator("[data-testid=backups][data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("backup-verified").First).ToHaveTextAsync("verified");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"backups-en-{width}x{height}.png"), FullPage = true });
    }
}
