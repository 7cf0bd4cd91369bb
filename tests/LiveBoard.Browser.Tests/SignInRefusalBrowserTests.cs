using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// The sign-in refusals as a person meets them, on a phone and a wall, in Chinese and English: a login form sent after
/// its token cookie is gone (a form left open too long, or a post from another site) comes back with one sentence and
/// nothing happens; an address that failed too often is told to wait. Screenshots: artifacts/screenshots/signin-*.png.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class SignInRefusalBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    // One host for both sizes: a host each cost a start more for the same pages.
    [Fact]
    public async Task A_form_without_its_token_comes_back_with_one_sentence_and_signs_nobody_in_on_a_phone_and_a_wall()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        foreach (var (width, height, culture, expired, throttled) in new[]
        {
            (390, 844, "zh-CN", "表单已过期或来源不明", "此地址登录失败次数过多"),
            (390, 844, "en", "The form had expired or came from elsewhere", "Too many failed sign-ins from this address"),
            (1920, 1080, "zh-CN", "表单已过期或来源不明", "此地址登录失败次数过多"),
            (1920, 1080, "en", "The form had expired or came from elsewhere", "Too many failed sign-ins from this address"),
        })
        {
            await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/culture/{culture}?redirect=%2Faccount%2Flogin");
            // The antiforgery cookie goes (the language cookie stays): the token in the form no longer matches anything.
            var keep = (await context.CookiesAsync()).Where(c => !c.Name.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).ToList();
            await context.ClearCookiesAsync();
            await context.AddCookiesAsync(keep.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
            await SignIn.WithFormAsync(page, DemoAccounts.Organiser, SignedInClients.DemoPassword(host));
            await Expect(page.GetByTestId("login-error")).ToContainTextAsync(expired);
            await Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "liveboard.auth");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"signin-expired-{culture}-{width}x{height}.png"), FullPage = true });

            await page.GotoAsync("/account/login?error=throttled");
            await Expect(page.GetByTestId("login-error")).ToContainTextAsync(throttled);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"signin-throttled-{culture}-{width}x{height}.png"), FullPage = true });
        }
    }
}
