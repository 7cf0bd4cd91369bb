using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace LiveBoard.Bench;

/// <summary>
/// An organiser imports every district's sheet at 17:55: an xlsx of N figure rows uploaded on /import, as a person does
/// (signed in, the file chosen in the page's file input), on a campaign large enough to hold N figures (the demo file
/// widened to D districts × I headline indicators, loaded through LiveBoard's own demo setting). Timed from choosing the
/// file to the page's verdict; counted: what the screens received (hub events, the display's snapshots). The same file
/// with one bad row near its end must write nothing.
/// </summary>
public static class BulkImport
{
    public static async Task RunAsync(Wave2Options options, Wave2Report report, Action<string> say)
    {
        var rows = options.ImportRows;
        // A square campaign a little larger than the file: 100 × 100 holds 10,000 figures.
        var side = (int)Math.Ceiling(Math.Sqrt(rows));
        var work = Directory.CreateTempSubdirectory("liveboard-import-");
        try
        {
            var campaign = Path.Combine(work.FullName, "campaign.json");
            var (districts, indicators) = WidenDemo(campaign, side, side);
            var good = Path.Combine(work.FullName, "figures.xlsx");
            var bad = Path.Combine(work.FullName, "figures-bad-row.xlsx");
            // The bad row at spreadsheet row 9,999 of a 10,000-row file (the header is row 1): found only at the end.
            var badIndex = rows - 3;
            await WriteSheetAsync(good, districts, indicators, rows, null);
            await WriteSheetAsync(bad, districts, indicators, rows, badIndex);
            say($"import: {rows} figure rows on a campaign of {districts.Count} districts × {indicators.Count} headline indicators; xlsx {new FileInfo(good).Length / 1024} KB");

            var settings = LiveBoardServer.BenchSettings();
            settings["LiveBoard__DemoFile"] = campaign;
            var db = LiveBoardServer.NewDatabase();
            await using var server = await LiveBoardServer.StartAsync(await LiveBoardServer.BuildAsync(), db, ServerProcess.FreePort(), settings,
                LiveBoardServer.DatabaseFiles(db));

            // What the screens receive: hub viewers on every topic, and a wall display's snapshots (data-snapshot-at).
            long figureEvents = 0, rankingEvents = 0;
            var hub = new Uri(server.Root, "hubs/live");
            await using var figuresViewer = await RawHubViewer.ConnectAsync(hub, LiveBoardServer.ScreenKey, "FigureReported", _ => Interlocked.Increment(ref figureEvents));
            await using var rankingViewer = await RawHubViewer.ConnectAsync(hub, LiveBoardServer.ScreenKey, "RankingChanged", _ => Interlocked.Increment(ref rankingEvents));

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchBrowser.LaunchAsync(playwright);
            await using var display = await DisplayTabs.OpenAsync(browser, new Uri(server.Root, $"display/demo?key={LiveBoardServer.ScreenKey}&panel=ranking"),
                "[data-live='true']", "[data-snapshot-at]", 1, say, attribute: "data-snapshot-at");
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(server.Root, "account/login?returnUrl=/import").ToString());
            await page.FillAsync("[data-testid='login-user']", "organiser");
            await page.FillAsync("[data-testid='login-password']", LiveBoardServer.DemoPassword);
            await page.ClickAsync("[data-testid='login-submit']");
            await page.WaitForSelectorAsync("[data-testid='import-page'][data-interactive='true'][data-ready='true']", new() { Timeout = 60_000 });
            // The page is interactive a moment before Blazor's file input has hooked its change event (its JS init is
            // a call of its own): a file set in between is never read. A person cannot choose a file that fast.
            await page.WaitForFunctionAsync("() => document.querySelector(\"[data-testid='import-file']\")?._blazorInputFileNextFileId !== undefined",
                null, new() { Timeout = 60_000 });

            var revisions0 = await CountAsync(db, "FigureRevisions");
            var (badMs, badCpu, badErrors) = await UploadAsync(page, server, bad, "[data-testid='import-refused']");
            var afterBad = await CountAsync(db, "FigureRevisions");
            say($"  the file with a bad row at row {badIndex + 2}: refused in {badMs:F0} ms, {badErrors} faults listed, {afterBad - revisions0} revisions written");

            var snapshots0 = display.Seen;
            var (figures0, ranking0) = (Interlocked.Read(ref figureEvents), Interlocked.Read(ref rankingEvents));
            var (goodMs, goodCpu, _) = await UploadAsync(page, server, good, "[data-testid='import-accepted']");
            var written = await CountAsync(db, "FigureRevisions") - afterBad;
            // The screens' share arrives after the verdict: wait until the hub has sent every figure, bounded.
            var settle = Stopwatch.StartNew();
            while (Interlocked.Read(ref figureEvents) - figures0 < written && settle.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(50); // waiting for the condition, bounded; a shortfall is reported
            var quiet = Stopwatch.StartNew();
            var lastSeen = display.Seen;
            while (quiet.Elapsed < TimeSpan.FromSeconds(3))
            {
                await Task.Delay(100); // the display settles: three seconds without a new snapshot
                if (display.Seen != lastSeen) { lastSeen = display.Seen; quiet.Restart(); }
            }
            var displayUpdates = display.Seen - snapshots0;
            var hubFigures = Interlocked.Read(ref figureEvents) - figures0;
            var hubRankings = Interlocked.Read(ref rankingEvents) - ranking0;
            say($"  {rows} rows: accepted in {goodMs:F0} ms, {written} revisions; the display took {displayUpdates} snapshots, the hub sent {hubRankings} rankings and {hubFigures} figure events");

            report.Goal("import", $"{rows} rows chosen on /import → committed, audited, shown accepted", "≤ 2 s", $"{goodMs / 1000:F1} s ({written} revisions)", goodMs <= 2000 && written == rows);
            report.Goal("import", $"the same with one bad row (row {badIndex + 2}) → refused, nothing written", "≤ 2 s, 0 rows",
                $"{badMs / 1000:F1} s, {afterBad - revisions0} rows", badMs <= 2000 && afterBad == revisions0);
            report.Goal("import", "screen updates for one import (a display's snapshots; hub rankings)", "1 each (coalesced)",
                $"display {displayUpdates}, hub rankings {hubRankings}", displayUpdates <= 1 && hubRankings <= 1);
            report.Detail($"""
                Import: an xlsx generated with MiniExcel, uploaded on `/import` by a signed-in organiser in Chromium (the page's
                own file input, so the same code path), on a campaign of {districts.Count} districts × {indicators.Count} headline
                indicators (the demo file widened; `LiveBoard:DemoFile`). Time = file chosen → the page's verdict. Server CPU over
                the same span. Screens: a wall display on the ranking panel (its snapshot stamp), and hub viewers on every topic.

                | file | rows | verdict ms | server CPU s | revisions written | display snapshots | hub rankings | hub figure events |
                |---|---:|---:|---:|---:|---:|---:|---:|
                | one bad row at row {badIndex + 2} | {rows} | {badMs:F0} | {badCpu:F1} | {afterBad - revisions0} | | | |
                | good | {rows} | {goodMs:F0} | {goodCpu:F1} | {written} | {displayUpdates} | {hubRankings} | {hubFigures} |
                """);
            if (written != rows) report.Failures.Add($"import: {written} of {rows} rows written");
            if (afterBad != revisions0) report.Failures.Add($"import: the refused file wrote {afterBad - revisions0} revisions");
            if (hubFigures < written) report.Failures.Add($"import: the hub sent {hubFigures} of {written} figure events");
            await context.CloseAsync();
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<(double Ms, double Cpu, int Errors)> UploadAsync(IPage page, ServerProcess server, string file, string verdict)
    {
        var cpu0 = server.Meter.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await page.SetInputFilesAsync("[data-testid='import-file']", file);
        try
        {
            await page.WaitForSelectorAsync(verdict, new() { Timeout = 120_000 });
        }
        catch (TimeoutException)
        {
            var shot = Path.Combine(Path.GetTempPath(), $"liveboard-import-timeout-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            throw new TimeoutException($"no verdict on {Path.GetFileName(file)} within 120 s; the page: {shot}");
        }
        var ms = clock.Elapsed.TotalMilliseconds;
        var cpu = server.Meter.CpuSeconds() - cpu0;
        return (ms, cpu, await page.Locator("[data-testid='import-error']").CountAsync());
    }

    private static async Task<long> CountAsync(string db, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>The demo campaign file widened to a province: more districts and more headline indicators, cloned from the demo's.</summary>
    private static (List<string> Districts, List<(string Code, double Min, double Max, int Decimals)> Indicators) WidenDemo(string path, int districtCount, int indicatorCount)
    {
        var demo = Path.Combine(LiveBoardServer.RepoRoot(), "src", "LiveBoard.Web", "Data", "Demo", "tongliao-2023h1.json");
        var root = JsonNode.Parse(File.ReadAllText(demo))!.AsObject();
        var districts = root["districts"]!.AsArray();
        for (var i = districts.Count; i < districtCount; i++)
            districts.Add(new JsonObject
            {
                ["code"] = $"d{i:D3}", ["name"] = $"第{i}区", ["nameEn"] = $"District {i}", ["shortName"] = $"{i}区", ["shortNameEn"] = $"D{i}",
            });
        var order = root["previousRanking"]?["order"]?.AsArray();
        for (var i = order?.Count ?? 0; order is not null && i < districtCount; i++) order.Add($"d{i:D3}");

        var indicators = root["indicators"]!.AsArray();
        var headline = indicators.Where(i => (string?)i!["category"] == "Headline" && (string?)i["unit"] != "Grade").Select(i => i!.AsObject()).ToList();
        for (var i = headline.Count; i < indicatorCount; i++)
        {
            var clone = headline[i % headline.Count].DeepClone().AsObject();
            clone["code"] = $"{clone["code"]}-{i:D3}";
            clone["name"] = $"{clone["name"]}（{i}）";
            clone["nameEn"] = $"{clone["nameEn"]} ({i})";
            clone["weight"] = 1;
            indicators.Add(clone);
        }
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        var codes = districts.Select(d => (string)d!["code"]!).ToList();
        var indicatorRanges = indicators.Where(i => (string?)i!["category"] == "Headline" && (string?)i["unit"] != "Grade")
            .Select(i => ((string)i!["code"]!, (double?)i["plausibleMin"] ?? 0, (double?)i["plausibleMax"] ?? 100, (int?)i["decimals"] ?? 0)).ToList();
        return (codes, indicatorRanges);
    }

    /// <param name="badIndex">a data row whose value is not a number; null for a good file.</param>
    private static async Task WriteSheetAsync(string path, List<string> districts, List<(string Code, double Min, double Max, int Decimals)> indicators, int rows, int? badIndex)
    {
        var random = new Random(2023);
        var sheet = new List<Dictionary<string, object?>>(rows);
        for (var n = 0; n < rows; n++)
        {
            var district = districts[n / indicators.Count];
            var (code, min, max, decimals) = indicators[n % indicators.Count];
            // Plausible values with the indicator's decimals: anything else is refused, or a question for its district.
            var value = Math.Round(min + (max - min) * (0.2 + 0.6 * random.NextDouble()), decimals);
            sheet.Add(new Dictionary<string, object?>
            {
                ["district"] = district, ["indicator"] = code,
                ["new_value"] = n == badIndex ? (object)"一百二十" : value,
                ["reason"] = "17:55 批量导入",
            });
        }
        await using var stream = File.Create(path);
        await stream.SaveAsAsync(sheet, sheetName: "figures");
    }
}
