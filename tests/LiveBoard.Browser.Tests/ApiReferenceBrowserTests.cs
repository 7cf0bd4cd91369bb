using LiveBoard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>/api/docs as an integrator opens it: Scalar renders the push API from /openapi/v1.json, all from this server.</summary>
[Collection(SharedBrowser.Name)]
public sealed class ApiReferenceBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task The_api_reference_renders_the_push_API_without_leaving_the_server()
    {
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:Backup:IntervalMinutes"] = "0" });
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(root.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                lock (elsewhere) elsewhere.Add(request.Url);
        };
        var document = page.WaitForResponseAsync(r => r.Url.EndsWith("/openapi/v1.json", StringComparison.Ordinal) && r.Status == 200);
        await page.GotoAsync("/api/docs");
        await document;
        try
        {
            // The sidebar is drawn before Scalar's script wires it up; a click that lands first expands nothing, so click
            // until the section opens.
            var summary = page.GetByText("Report one district's values").First;
            for (var attempt = 1; ; attempt++)
            {
                // Scalar opens the first section by itself; a click on an open section would close it.
                if (await summary.IsVisibleAsync()) break;
                await page.GetByText("Reporting", new() { Exact = true }).First.ClickAsync();
                try
                {
                    await Expect(summary).ToBeVisibleAsync(new() { Timeout = 5_000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 4)
                {
                }
            }
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("api-docs-1920x1080.png") });
        }
        lock (elsewhere) Assert.Empty(elsewhere);
    }
}
