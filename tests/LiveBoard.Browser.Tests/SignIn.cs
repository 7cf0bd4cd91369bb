using Microsoft.Playwright;

namespace LiveBoard.Browser.Tests;

public static class SignIn
{
    /// <summary>Fills and sends the login form the page is on, as a person would.</summary>
    public static async Task WithFormAsync(IPage page, string user, string password)
    {
        await page.Locator("[data-testid=login-user]").FillAsync(user);
        await page.Locator("[data-testid=login-password]").FillAsync(password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
    }
}
