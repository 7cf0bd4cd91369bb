using System.Globalization;
using LiveBoard.Testing;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

[Collection(SharedBrowser.Name)]
public sealed class ImportBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Organiser_downloads_the_template_uploads_it_filled_and_sees_row_errors_then_success()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fimport");
        await SignIn.WithFormAsync(page, "organiser", SignedInClients.DemoPassword(host));
        await Expect(page.Locator("[data-testid=import-page][data-ready=true][data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        // The step names the columns as the template's first row does.
        await Expect(page.GetByText("在“新数值”列填写数值")).ToBeVisibleAsync();
        // The template, downloaded as the browser downloads it.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=template-all]").ClickAsync());
        var path = await download.PathAsync();
        var rows = MiniExcel.Query(path, useHeaderRow: true, excelType: ExcelType.XLSX).Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r)).ToList();
        Assert.Equal(45, rows.Count);

        var hure = rows.Single(r => (string?)r["地区代码"] == "hure" && (string?)r["指标代码"] == "signed-projects");
        hure["新数值"] = 26;                                   // a change without its reason: refused
        var file = Path.Combine(Path.GetTempPath(), $"liveboard-import-{Guid.NewGuid():N}.xlsx");
        MiniExcel.SaveAs(file, rows);
        await page.Locator("[data-testid=import-file]").SetInputFilesAsync(file);
        await Expect(page.Locator("[data-testid=import-refused]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid=import-error]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=import-error]")).ToHaveAttributeAsync("data-row", (rows.IndexOf(hure) + 2).ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-testid=import-error] td").Nth(1)).ToHaveTextAsync("修改原因");

        hure["修改原因"] = "现场核实";
        var corrected = file.Replace(".xlsx", "-corrected.xlsx");
        MiniExcel.SaveAs(corrected, rows);
        // Chromium reports no change for the same file chosen twice; a person saves the corrected copy anyway.
        await page.Locator("[data-testid=import-file]").SetInputFilesAsync(corrected);
        await Expect(page.Locator("[data-testid=import-accepted]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("import.png") });
        File.Delete(file);
        File.Delete(corrected);

        await page.GotoAsync("/");
        await Expect(page.Locator("[data-testid=figure][data-district=hure][data-indicator=signed-projects]")).ToHaveTextAsync("26 个");
    }
}
