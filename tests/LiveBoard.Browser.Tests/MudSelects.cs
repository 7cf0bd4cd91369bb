using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>Choosing in a MudSelect as a person does: open it, click the item, see the choice in the field.</summary>
public static class MudSelects
{
    /// <summary>Opens the select with this test id, picks the item with this text, and waits until the field shows it.</summary>
    public static async Task PickAsync(IPage page, string id, string text)
    {
        await page.Locator($"[data-testid={id}]").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        // MudSelect (single selection) closes its list first and takes the value only after a round trip to the browser
        // (its key interceptor): a click on "Add" handled in between found the date still empty ("required") and added
        // no day (CampaignBrowserTests, once in a loaded suite run). A person sees the choice in the field before going
        // on; so does this.
        await Expect(page.Locator($"[data-testid={id}]").First).ToContainTextAsync(text);
    }
}
