using System.Net.Http.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

[Collection(SharedBrowser.Name)]
public sealed class InspectionBrowserTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Day1 = "2023-07-29";

    private static LiveBoardHost NewHost() => new(settings: new()
    {
        [CampaignClock.Setting] = Day1,
        // The "online" event sends at once; the timer is the fallback for a send whose answer was lost.
        ["LiveBoard:Scoring:RetryMilliseconds"] = "500",
    });

    [Fact]
    public async Task Score_entered_offline_waits_then_arrives_exactly_once_and_moves_the_ranking_on_another_open_page()
    {
        await using var host = NewHost();
        var root = host.Start();
        await using var phone = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        await using var screen = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } });

        var overview = await screen.NewPageAsync();
        await overview.GotoAsync("/");
        await Expect(overview.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var horqinScore = overview.Locator("[data-testid=ranking-row][data-district=horqin] [data-testid=composite-score]");
        var before = await horqinScore.TextContentAsync();
        await Expect(overview.Locator("[data-testid=inspection-score]")).ToHaveCountAsync(0);
        await overview.EvaluateAsync("() => window.__noReload = 'still here'");

        var page = await OpenScorePageAsync(phone, "observer-south-1");
        var cards = page.GetByTestId("score-site");
        await Expect(cards).ToHaveCountAsync(3, new() { Timeout = 10_000 });

        await phone.SetOfflineAsync(true);
        await Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-online", "false");
        var first = cards.First;
        await Fill(first, 22, 23, 22, 23, "审批流程较慢");
        await first.GetByTestId("score-submit").ClickAsync();
        var state = first.GetByTestId("score-state");
        await Expect(state).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(state).ToHaveTextAsync("等待发送");
        // Offline: nothing reached the server, the entry is kept in the browser.
        Assert.Equal(0, await SheetsAsync(host));
        Assert.Contains("审批流程较慢", await page.EvaluateAsync<string>("() => localStorage.getItem('liveboard.score.outbox')"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("score-offline-waiting.png"), FullPage = true });

        await phone.SetOfflineAsync(false);
        await Expect(state).ToHaveAttributeAsync("data-state", "sent", new() { Timeout = 10_000 });
        await Expect(state).ToContainTextAsync("90");
        Assert.Equal(1, await SheetsAsync(host));
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => localStorage.getItem('liveboard.score.outbox')"));

        // The other open page moves without a reload: the inspection score joins the composite.
        await Expect(overview.Locator("[data-testid=inspection-score][data-district=horqin]")).ToHaveTextAsync("90.00", new() { Timeout = 10_000 });
        await Expect(horqinScore).Not.ToHaveTextAsync(before!);
        // The "why" of the composite (a click on the district) names the inspection component with its weight and 0–100 score.
        await overview.Locator("[data-testid=ranking-row][data-district=horqin] [data-testid=why-toggle]").ClickAsync();
        var inspection = overview.Locator("[data-testid=why-breakdown][data-district=horqin] [data-testid=why-component][data-component=inspection]");
        await Expect(inspection).ToContainTextAsync("观摩评分");
        await Expect(inspection).ToContainTextAsync("权重 20");
        await Expect(inspection.GetByTestId("why-points")).ToContainTextAsync("单项得分 100.0");
        Assert.Equal("still here", await overview.EvaluateAsync<string>("() => window.__noReload"));

        // The answer to the next send is lost on the way back (the server wrote it): the resend with the same key is
        // answered from the first result, so the sheet is written once.
        var attempts = 0;
        await page.RouteAsync("**/api/v1/scores", async route =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync();
            }
            else await route.ContinueAsync();
        });
        var second = cards.Nth(1);
        await Fill(second, 20, 20, 20, 20, null);
        await second.GetByTestId("score-submit").ClickAsync();
        await Expect(second.GetByTestId("score-state")).ToHaveAttributeAsync("data-state", "sent", new() { Timeout = 10_000 });
        Assert.True(attempts >= 2, $"expected a resend, saw {attempts} attempt(s)");
        Assert.Equal(2, await SheetsAsync(host));
        await using var db = await host.DbAsync();
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.ScoreRecorded));
        Assert.All(await db.SiteScoreSheets.ToListAsync(), s => Assert.Equal(1, s.Version));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("score-sent.png"), FullPage = true });
        await overview.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("overview-with-inspection.png"), FullPage = true });
    }

    [Fact]
    public async Task Score_page_opens_again_offline_from_its_service_worker_and_the_score_entered_then_arrives_once()
    {
        await using var host = NewHost();
        var root = host.Start();
        await using var phone = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        // The order a loaded machine sometimes gave, here every time: the page's sign-in (POST /account/token) has finished
        // before its service worker is registered and lists what to cache. The token trade is no page asset: a cache that
        // asked for it again (as a GET) failed whole, three times over, and the page did not open offline.
        await phone.AddInitScriptAsync("""
            (() => {
              if (!('serviceWorker' in navigator)) return;
              let traded; const tokenTraded = new Promise((resolve) => { traded = resolve; });
              const fetch = window.fetch;
              window.fetch = async (...args) => {
                const response = await fetch(...args);
                if (String(args[0]).includes('/account/token')) response.clone().text().finally(() => setTimeout(traded, 50));
                return response;
              };
              const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
              navigator.serviceWorker.register = async (...args) => { await tokenTraded; return register(...args); };
            })();
            """);
        var page = await OpenScorePageAsync(phone, "observer-south-2");
        await Expect(page.GetByTestId("score-site")).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        // Caching the page's assets in the service worker is slow on a loaded 2-core machine (and retried when a request
        // fails): wait for it, generously, and say why if it could not.
        var score = page.Locator("#lb-score[data-offline-ready]");
        await Expect(score).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        Assert.True(await score.GetAttributeAsync("data-offline-ready") == "true",
            $"the page was not cached for offline use: {await score.GetAttributeAsync("data-offline-error")}");

        await phone.SetOfflineAsync(true);
        var reloaded = await page.ReloadAsync();
        Assert.True(reloaded?.FromServiceWorker, "the offline reload should be answered by the service worker");
        var cards = page.GetByTestId("score-site");
        await Expect(cards).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-online", "false");
        await Fill(cards.Last, 18, 19, 20, 21, "配套道路未完工");
        await cards.Last.GetByTestId("score-submit").ClickAsync();
        await Expect(cards.Last.GetByTestId("score-state")).ToHaveAttributeAsync("data-state", "waiting");
        Assert.Equal(0, await SheetsAsync(host));

        await phone.SetOfflineAsync(false);
        await Expect(cards.Last.GetByTestId("score-state")).ToHaveAttributeAsync("data-state", "sent", new() { Timeout = 10_000 });
        Assert.Equal(1, await SheetsAsync(host));
    }

    [Fact]
    public async Task Itinerary_page_changes_live_when_a_site_is_marked_visited_through_the_API()
    {
        await using var host = NewHost();
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Fitinerary");
        await page.GetByTestId("login-user").FillAsync(DemoAccounts.Leader);
        await page.GetByTestId("login-password").FillAsync(DemoAccounts.DefaultPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

        var south = page.Locator("[data-testid=group-route][data-group=south]");
        await Expect(south.GetByTestId("route-site")).ToHaveCountAsync(3);
        await Expect(south.GetByTestId("group-progress")).ToHaveAttributeAsync("data-visited", "0");
        // Leaders read: no buttons.
        await Expect(page.GetByTestId("mark-visited")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.__noReload = 'still here'");

        using var http = await ApiClients.SignedInAsync(root, "observer-south-1", DemoAccounts.DefaultPassword);
        var siteId = await south.GetByTestId("route-site").First.GetAttributeAsync("data-site");
        (await http.PostAsJsonAsync($"api/v1/sites/{siteId}/visit", new { kind = "visited", kilometres = 35 })).EnsureSuccessStatusCode();

        await Expect(south.Locator($"[data-testid=route-site][data-site='{siteId}']")).ToHaveAttributeAsync("data-state", "visited", new() { Timeout = 5_000 });
        await Expect(south.GetByTestId("group-progress")).ToHaveAttributeAsync("data-visited", "1");
        await Expect(south.GetByTestId("group-progress")).ToContainTextAsync("已观摩 1/3");
        await Expect(south.GetByTestId("group-progress")).ToContainTextAsync("35.0 公里");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__noReload"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("itinerary-live.png"), FullPage = true });
    }

    /// <summary>Opens /score on a phone and signs in from there (the site's sign-in, which leads back; the page gets its own bearer token).</summary>
    private static async Task<IPage> OpenScorePageAsync(IBrowserContext phone, string observer)
    {
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/score");
        await page.GetByTestId("score-login-link").ClickAsync();
        await SignIn.WithFormAsync(page, observer, DemoAccounts.DefaultPassword);
        return page;
    }

    private static async Task Fill(ILocator card, decimal structure, decimal efficiency, decimal service, decimal results, string? gaps)
    {
        await card.GetByTestId("score-structure").FillAsync(structure.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await card.GetByTestId("score-efficiency").FillAsync(efficiency.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await card.GetByTestId("score-service").FillAsync(service.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await card.GetByTestId("score-results").FillAsync(results.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (gaps is not null) await card.GetByTestId("score-gaps").FillAsync(gaps);
    }

    private static async Task<int> SheetsAsync(LiveBoardHost host)
    {
        await using var db = await host.DbAsync();
        return await db.SiteScoreSheets.CountAsync();
    }
}
