using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

/// <summary>An organiser builds the next campaign in the browser and makes it current; open screens follow live.</summary>
[Collection(WalkingBrowser.Name)]
public sealed class CampaignBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    private static string Field(string id) => $"[data-testid={id}] input, input[data-testid={id}]";

    private static async Task FillAsync(IPage page, string id, string value) => await page.Locator(Field(id)).First.FillAsync(value);

    private static Task PickAsync(IPage page, string id, string text) => MudSelects.PickAsync(page, id, text);

    private async Task<IPage> OpenAsync(Uri root, string url, int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = root.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    [Fact]
    public async Task Organiser_builds_a_small_campaign_from_nothing_makes_it_current_and_the_overview_and_a_wall_switch_live()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"));

        // The screens everyone watches, open on the demo campaign.
        var overview = await OpenAsync(root, "/", 1366, 768);
        await Expect(overview.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(overview.Locator("[data-testid=ranking-row][data-district=hure]")).ToHaveCountAsync(1);
        var wall = await OpenAsync(root, screen.RelativeUrl + "&panel=ranking", 1920, 1080);
        await Expect(wall.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(wall.Locator("[data-testid=board-row][data-district=hure]")).ToHaveCountAsync(1);

        var page = await OpenAsync(root, "/campaigns", 1366, 768);
        await SignIn.WithFormAsync(page, "organiser", SignedInClients.DemoPassword(host));
        await Expect(page.Locator("[data-testid=campaigns-page][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await FillAsync(page, "campaign-code", "chifeng-2024h1");
        await FillAsync(page, "campaign-name", "2024年上半年拉练");
        await FillAsync(page, "campaign-city", "赤峰市");
        await FillAsync(page, "campaign-start", "2024-05-06");
        await FillAsync(page, "campaign-end", "2024-05-08");
        await page.Locator("[data-testid=create-campaign]").ClickAsync();
        await Expect(page.Locator("[data-testid=campaign-editor][data-interactive=true][data-ready=true][data-status=Draft]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        foreach (var (code, name, shortName) in new[] { ("hongshan", "红山区", "红山"), ("yuanbaoshan", "元宝山区", "元宝山"), ("songshan", "松山区", "松山") })
        {
            await FillAsync(page, "district-code", code);
            await FillAsync(page, "district-name", name);
            await FillAsync(page, "district-short", shortName);
            await page.Locator("[data-testid=district-add]").ClickAsync();
            await Expect(page.Locator($"[data-testid=district-row][data-code={code}]")).ToHaveCountAsync(1);
        }
        foreach (var (code, name, weight) in new[] { ("signed", "新签约项目", "60"), ("started", "新开工项目", "40") })
        {
            await FillAsync(page, "indicator-code", code);
            await FillAsync(page, "indicator-name", name);
            await FillAsync(page, "indicator-target", "30");
            await FillAsync(page, "indicator-weight", weight);
            await page.Locator("[data-testid=indicator-add]").ClickAsync();
            await Expect(page.Locator($"[data-testid=indicator-row][data-code={code}]")).ToHaveCountAsync(1);
        }
        await FillAsync(page, "group-code", "east");
        await FillAsync(page, "group-name", "东线观摩组");
        await page.Locator("[data-testid=group-add]").ClickAsync();
        await Expect(page.Locator("[data-testid=group-row][data-code=east]")).ToHaveCountAsync(1);

        await PickAsync(page, "day-date", "2024-05-06");
        await FillAsync(page, "day-title", "第一天");
        await page.Locator("[data-testid=day-add]").ClickAsync();
        await Expect(page.Locator("[data-testid=day-row][data-date=\"2024-05-06\"]")).ToHaveCountAsync(1);

        foreach (var (district, districtName, name) in new[] { ("hongshan", "红山区", "红山物流园"), ("songshan", "松山区", "松山光伏") })
        {
            await PickAsync(page, "site-group", "东线观摩组");
            await PickAsync(page, "site-district", districtName);
            await PickAsync(page, "site-day", "2024-05-06");
            await FillAsync(page, "site-name", name);
            await FillAsync(page, "site-address", districtName + "工业园");
            await page.Locator("[data-testid=site-add]").ClickAsync();
            await Expect(page.Locator($"[data-testid=site-row][data-name={name}]")).ToHaveCountAsync(1);
        }
        // Hongshan gets a target of its own for signed projects; the others keep their share of the city's 30 (10 each).
        const string HongshanSigned = "[data-testid=district-target][data-indicator=signed][data-district=hongshan]";
        await Expect(page.Locator(HongshanSigned + " input")).ToHaveAttributeAsync("placeholder", "10");
        await page.Locator(HongshanSigned + " input").FillAsync("15");
        await page.Locator(HongshanSigned + " input").BlurAsync();
        await Expect(page.Locator(HongshanSigned + "[data-own=true]")).ToHaveCountAsync(1);
        await page.Locator("[data-testid=campaign-save]").ClickAsync();
        await Expect(page.Locator("[data-testid=campaign-saved]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("campaign-editor-1366x768.png"), FullPage = true });

        // Nothing switched yet: a draft is not current.
        await Expect(overview.Locator("[data-testid=ranking-row][data-district=hure]")).ToHaveCountAsync(1);

        await page.Locator("[data-testid=make-current]").ClickAsync();
        await Expect(page.Locator("[data-testid=confirm-text]")).ToContainTextAsync("2024年上半年拉练");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("campaign-make-current-1366x768.png") });
        await page.Locator("[data-testid=confirm-current]").ClickAsync();
        await Expect(page.Locator("[data-testid=campaign-editor][data-status=Active]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        // The running campaign's targets change by version, in the weights form: Hongshan's own target came back from the database.
        await Expect(page.Locator("[data-testid=weights-form] " + HongshanSigned + " input")).ToHaveValueAsync("15");

        // The open overview and the wall follow without a reload: the new campaign's three districts, the demo's gone.
        await Expect(overview.Locator("[data-testid=ranking-row]")).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Expect(overview.Locator("[data-testid=ranking-row][data-district=hongshan]")).ToHaveCountAsync(1);
        await Expect(wall.Locator("[data-testid=board-row]")).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Expect(wall.Locator("[data-testid=board-row][data-district=songshan]")).ToHaveCountAsync(1);
        await overview.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("campaign-switched-overview-1366x768.png"), FullPage = true });
        await wall.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Path = BrowserFixture.ScreenshotPath("campaign-switched-wall-1920x1080.png") });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("campaign-editor-active-1366x768.png"), FullPage = true });

        // The demo is closed now: the archive opens its rank history from the campaigns list, read-only.
        await page.GotoAsync("/campaigns");
        // Clicked while the list is only prerendered, the circuit that starts a moment later renders the list again over
        // the history page (a 15 min CI run saw it): click once the list runs in its circuit, as the other steps do.
        await Expect(page.Locator("[data-testid=campaigns-page][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator("[data-testid=campaign-history][data-code=tongliao-2023h1]").ClickAsync();
        await Expect(page.Locator(".lb-history[data-live=true] [data-testid=history-campaign][data-status=Closed]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=publication]").First).ToContainTextAsync("2023年一季度通报");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("campaign-archive-history-1366x768.png"), FullPage = true });
    }

    // One host and one small campaign for the four looks (each built its own: three host starts and campaigns more for
    // the same pages): the list and the editor are read in each before the campaign is made current, the closed demo's
    // archive in each after.
    [Fact]
    public async Task The_campaigns_list_the_editor_and_the_archive_read_in_chinese_and_english_on_a_laptop_and_a_phone()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        // The demo's first day is announced: once the small campaign is current, it is the closed campaign's bulletin.
        await host.Service<LiveBoard.Web.Features.Meeting.PublicationService>().PublishAsync(new DateOnly(2023, 7, 29), "第一天", "organiser", LiveBoard.Core.Channels.Api);
        var created = await host.Service<LiveBoard.Web.Data.CampaignImport>().CreateAsync(
            LiveBoard.Core.Campaigns.CampaignFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallCampaign.Json))),
            LiveBoard.Core.Campaigns.CampaignStatus.Draft, "organiser", LiveBoard.Core.Channels.Api);
        var id = Assert.IsType<LiveBoard.Web.Data.CampaignImportOutcome.Created>(created).Id;

        var looks = new (string Culture, int Width, int Height, string Title, string Districts)[]
        {
            ("zh-CN", 1920, 1080, "拉练活动", "旗县市区"),
            ("en", 1920, 1080, "Campaigns", "Districts"),
            ("zh-CN", 390, 844, "拉练活动", "旗县市区"),
            ("en", 390, 844, "Campaigns", "Districts"),
        };
        var pages = new List<IPage>();
        string? signedIn = null;
        foreach (var (culture, width, height, title, districts) in looks)
        {
            // A phone is a context of its own (touch, mobile viewport); the organiser signs in once, in the first.
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = root.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height },
                IsMobile = width < 600, HasTouch = width < 600, StorageState = signedIn,
            });
            var page = await context.NewPageAsync();
            pages.Add(page);
            // The language as a person picks it: the cookie the switch sets, which the page's circuit reads too.
            await page.GotoAsync($"/culture/{culture}?redirect=/campaigns");
            if (signedIn is null)
            {
                await SignIn.WithFormAsync(page, "organiser", SignedInClients.DemoPassword(host));
                await Expect(page.Locator("[data-testid=campaigns-page][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
                signedIn = await context.StorageStateAsync();
            }
            await Expect(page.Locator("[data-testid=campaigns-page][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("main h1")).ToContainTextAsync(title);
            await Expect(page.Locator("[data-testid=campaign-row]")).ToHaveCountAsync(2);
            var size = Size(culture, width, height);
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"campaigns-list-{size}.png"), FullPage = true });

            await page.GotoAsync($"/campaigns/{id}");
            await Expect(page.Locator("[data-testid=campaign-editor][data-interactive=true][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("[data-testid=campaign-editor]")).ToContainTextAsync(districts);
            await Expect(page.Locator("[data-testid=district-row]")).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=district-target-row]")).ToHaveCountAsync(3);
            // Nothing on the page is wider than the window: the grids scroll inside their cards.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"editor {size}");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"campaign-editor-{size}.png"), FullPage = true });
        }

        // The small campaign made current closes the demo: its archive (rank history, then the day's bulletin) reads as
        // it was announced, read-only, at every size and in both languages.
        Assert.Equal(LiveBoard.Web.Features.Campaigns.ActivationOutcome.Activated,
            await host.Service<LiveBoard.Web.Features.Campaigns.CampaignLifecycle>().ActivateAsync(id, "organiser", LiveBoard.Core.Channels.Api));
        foreach (var ((culture, width, height, _, _), page) in looks.Zip(pages))
        {
            var size = Size(culture, width, height);
            await page.GotoAsync("/history?campaign=1");
            await Expect(page.Locator(".lb-history[data-live=true] [data-testid=history-campaign][data-status=Closed]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(page.Locator("[data-testid=history-campaign]")).ToContainTextAsync(culture == "en" ? "2023 first-half" : "2023年上半年");
            await Expect(page.Locator("[data-testid=rank-history] svg circle").First).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"archive {size}");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"campaign-archive-{size}.png"), FullPage = true });
            await page.Locator("[data-testid=publication-bulletin]").ClickAsync();
            await Expect(page.Locator("[data-testid=bulletin][data-campaign=\"1\"] [data-testid=bulletin-ranking] tbody tr")).ToHaveCountAsync(9, new() { Timeout = 15_000 });
            await Expect(page.Locator("[data-testid=bulletin-announced]")).ToContainTextAsync("2023年7月29日排名（第2版）");
            await Expect(page.Locator("[data-testid=bulletin] button")).ToHaveCountAsync(1);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"bulletin {size}");
            // A district's name in the indicator table breaks between words at most, never inside one to fit a phone (the
            // Chinese names came out one character a line: 科/尔/沁/区): no more lines than words.
            var broken = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('[data-testid=bulletin-indicator-row] td:first-child')].filter(td => {
                    const range = document.createRange(); range.selectNodeContents(td);
                    return range.getClientRects().length > td.textContent.trim().split(/\s+/).length;
                }).map(td => td.textContent)
                """);
            Assert.True(broken.Length == 0, $"bulletin {size}: district names broken inside a word: {string.Join(", ", broken)}");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"campaign-archive-bulletin-{size}.png"), FullPage = true });
            await page.Context.CloseAsync();
        }
    }

    private static string Size(string culture, int width, int height) => $"{width}x{height}-{(culture == "en" ? "en" : "zh")}";
}
