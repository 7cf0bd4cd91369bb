using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// On a phone the menu is a drawer behind the menu button. The sign-in and scoring pages run without a circuit, so
/// the button must open the drawer there too (issue 16): an observer scoring on /score reaches the other pages.
/// </summary>
[Collection(WalkingBrowser.Name)]
public sealed class StaticMenuBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    // One host for the sign-in page and the scoring page: a host each cost a start more for the same menu.
    [Fact]
    public async Task Menu_button_opens_and_closes_the_drawer_on_the_sign_in_page_and_for_an_observer_on_the_scoring_page_of_a_phone()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await using (var phone = await PhoneAsync(root))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync("/account/login?culture=zh-CN");
            await Expect(page.GetByTestId("login-user")).ToBeVisibleAsync();
            await Expect(page.Locator("main[data-interactive=false]")).ToHaveCountAsync(1);

            await OpensAndClosesAsync(page);

            // A link in the opened drawer takes the user there.
            await page.GetByTestId("menu-toggle").ClickAsync();
            await page.GetByTestId("nav-overview").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        }

        // An observer scoring on /score opens the menu in both languages and follows its link.
        await using (var phone = await PhoneAsync(root))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync("/score?culture=zh-CN");
            await page.GetByTestId("score-login-link").ClickAsync();
            await SignIn.WithFormAsync(page, "observer-south-1", DemoAccounts.DefaultPassword);
            await Expect(page.GetByTestId("score-site").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Expect(page.Locator("main[data-interactive=false]")).ToHaveCountAsync(1);

            await OpensAndClosesAsync(page);

            foreach (var culture in new[] { "zh-CN", "en" })
            {
                await page.GotoAsync($"/culture/{culture}?redirect=%2Fscore");
                await Expect(page.GetByTestId("score-site").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
                await page.GetByTestId("menu-toggle").ClickAsync();
                await Expect(page.GetByTestId("menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
                await Expect(page.GetByTestId("nav-overview")).ToBeInViewportAsync();
                await Expect(page.GetByTestId("switch-language")).ToBeInViewportAsync();
                await page.ScreenshotAsync(new() { Path = ResponsivePath($"score-menu-open-390x844-{culture}.png") });
            }

            // The drawer's own link works: the overview opens.
            await page.GetByTestId("nav-overview").ClickAsync();
            await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        }
    }

    private async Task<IBrowserContext> PhoneAsync(Uri root) =>
        await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });

    private static async Task OpensAndClosesAsync(IPage page)
    {
        var toggle = page.GetByTestId("menu-toggle");
        var home = page.GetByTestId("nav-overview");
        await Expect(toggle).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(home).Not.ToBeInViewportAsync();

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(home).ToBeInViewportAsync();

        // A tap outside the open menu (on the dimmed page) closes it, as MudDrawer's overlay does on the live pages.
        var backdrop = page.GetByTestId("menu-backdrop");
        await Expect(backdrop).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = ResponsivePath($"static-menu-backdrop-390x844-{(page.Url.Contains("/score", StringComparison.Ordinal) ? "score" : "login")}.png") });
        await page.Mouse.ClickAsync(370, 600);
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(home).Not.ToBeInViewportAsync();
        await Expect(backdrop).ToBeHiddenAsync();
        await toggle.ClickAsync();
        await Expect(home).ToBeInViewportAsync();

        // Keyboard: Escape closes it and gives the focus back to the button; Enter on the button opens it again.
        await page.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(home).Not.ToBeInViewportAsync();
        await Expect(backdrop).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(home).ToBeInViewportAsync();
        await toggle.ClickAsync();
        await Expect(home).Not.ToBeInViewportAsync();
    }

    private static string ResponsivePath(string name)
    {
        var dir = Path.Combine(TempPaths.RepoRoot(), "artifacts", "screenshots", "responsive");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
