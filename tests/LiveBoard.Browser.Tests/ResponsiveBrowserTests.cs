using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Reporting;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Xunit.Abstractions;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// Every office page as leaders, reporters and organisers meet it, from a 360 px phone to a full-HD wall, in Chinese
/// and in English: nothing clipped and no sideways scrolling of the page, the menu folded into a drawer on phones, no
/// raw code and no string in the other language, no critical or serious axe-core violation, and (on every route of the
/// app) nothing the Content-Security-Policy refuses, so the policy can neither break a page unnoticed nor be loosened by
/// a page that needs more. Screenshots land in artifacts/screenshots/responsive/, the axe figures in artifacts/axe/.
/// </summary>
[Collection(WalkingBrowser.Name)]
public sealed partial class ResponsiveBrowserTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser)
{
    // Where the walk's time goes (opening pages, axe, screenshots, by page), printed with the test's output: the walk is
    // the suite's longest test, and the suite has a ten-minute budget.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> _spent = new();

    private async Task T(string what, Func<Task> step) => await T(what, async () => { await step(); return true; });

    private async Task<TResult> T<TResult>(string what, Func<Task<TResult>> step)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await step();
        _spent.AddOrUpdate(what, watch.Elapsed.TotalSeconds, (_, total) => total + watch.Elapsed.TotalSeconds);
        return result;
    }
    private const string Day1 = OfficePages.Day1;
    private const string Interactive = "main[data-interactive=true]";

    // axe runs at one phone and one desktop size: the pages' markup is the same at the others. Screenshots are taken at
    // the phone and the wall sizes people look at.
    private static readonly HashSet<int> AxeWidths = [390, 1366];
    private static readonly HashSet<int> ScreenshotWidths = [390, 1920];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Every page is opened once per language, on a phone, and looked at again with the window resized up to the wall, as
    // a phone turned or a window dragged does: across md the circuit docks the menu (and the page renders again), which
    // the checks wait for. Opening every page afresh at the laptop size as well, and once more for the content security
    // policy, cost the suite about two more minutes for the same findings. The sizes grow and never shrink: a chart
    // measured on a wide window and shrunk afterwards keeps its wide drawing, which no phone shows when it opens the page.
    private static readonly (int Width, int Height)[] Sizes = [(390, 844), (360, 740), (768, 1024), (1366, 768), (1920, 1080)];

    [Fact]
    public async Task Every_page_fits_the_window_speaks_one_language_passes_axe_and_runs_under_the_content_security_policy()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        var screen = await OfficePages.SeedAsync(host);
        var words = await WordsAsync(host);

        // The policy on, as people get it: axe-core goes in through Playwright's evaluation, which the policy does not
        // govern, not as a script tag it would refuse.
        await using var context = await Browser.NewContextAsync(new()
        {
            BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 },
        });
        // A refused script, style, font, image or connection shows both ways: the console message and the DOM event (the
        // init script runs outside the policy).
        await context.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        var axe = new List<AxeFinding>();
        var csp = new List<string>();
        var current = "";
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) csp.Add($"{current}: {message.Text}");
        };
        var opened = new HashSet<string>(StringComparer.Ordinal);
        async Task OpenAsync(string path, string ready)
        {
            current = path;
            opened.Add(path.Split('?')[0]);
            await page.GotoAsync(path);
            await Expect(page.Locator(ready)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        }
        async Task PolicyHeldAsync()
        {
            foreach (var v in await page.EvaluateAsync<string[]>("() => window.__csp")) csp.Add($"{current}: {v}");
        }

        // Signed out: the sign-in page (with its demo banner).
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            await OpenAsync($"/account/login?culture={culture}", "[data-testid=login-user]");
            await CheckAtEverySizeAsync(page, "login", culture, Sizes, words, problems, axe);
            await PolicyHeldAsync();
        }

        await page.GotoAsync("/account/login?returnUrl=%2F&culture=zh-CN");
        await SignIn.WithFormAsync(page, DemoAccounts.Organiser, SignedInClients.DemoPassword(host));
        await Expect(page.Locator(OfficePages.Organiser[0].Ready)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await MenuFoldsOnPhonesAsync(page, 390);

        foreach (var culture in new[] { "zh-CN", "en" })
        {
            // The menu docked on a laptop, as a page opened there finds it (on the phone it was checked after the sign-in).
            if (culture == "en") await page.SetViewportSizeAsync(1366, 768);
            await page.GotoAsync($"/culture/{culture}?redirect=%2F");
            if (culture == "en") await MenuFoldsOnPhonesAsync(page, 1366);
            // A wall is one 1920×1080 canvas scaled to its window, the same layout at any size: checked once, on a laptop
            // (where axe runs and the scaled-down text must still hold its contrast).
            foreach (var (name, path, ready) in OfficePages.Organiser.Concat(OfficePages.Walls(screen)))
            {
                var wall = name == "room" || name.StartsWith("display-", StringComparison.Ordinal);
                var opensAt = wall ? (Width: 1366, Height: 768) : Sizes[0];
                if (page.ViewportSize!.Width != opensAt.Width) await page.SetViewportSizeAsync(opensAt.Width, opensAt.Height);
                // The room shows the meeting's ranking, with the publication it is compared with.
                if (name == "room") await OfficePages.RoomShowsTheRankingAsync(host);
                await T("open " + name, () => OpenAsync(path, ready));
                // A wall is one canvas at any size: looked at (and photographed) once, at the size it was opened.
                await CheckAtEverySizeAsync(page, name, culture, wall ? [opensAt] : Sizes, words, problems, axe, screenshot: wall ? true : null);
                await PolicyHeldAsync();
                if (name != "room") continue;
                // While another presenter holds the meeting, the presenter's page follows it read-only, as readable.
                await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
                await OpenAsync($"/meeting/{Day1}", ".lb-presenter[data-live=true][data-driving=false]");
                await CheckAtEverySizeAsync(page, "presenter-following", culture, Sizes, words, problems, axe);
                await PolicyHeldAsync();
                await OfficePages.RoomShowsTheRankingAsync(host, show: false);
            }
        }

        // The pages the walk does not look at (an error page, a redirect, the backups, the printed bulletin) still run
        // under the policy: every route of the app, listed from its own routes, so that a new page is never left out.
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        foreach (var route in routes)
        {
            var path = route switch
            {
                "/display/{Slug}" => screen.RelativeUrl,
                _ => route.Replace("{Day}", Day1, StringComparison.Ordinal).Replace("{Id:int}", "1", StringComparison.Ordinal),
            };
            if (opened.Contains(path.Split('?')[0])) continue;
            current = path;
            await page.GotoAsync(path);
            // The page, its scripts, the negotiate request and the circuit's first renders: all of it settles into no traffic.
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 30_000 });
            await PolicyHeldAsync();
        }

        var dir = Path.Combine(TempPaths.RepoRoot(), "artifacts", "axe");
        Directory.CreateDirectory(dir);
        foreach (var (width, height) in Sizes.Where(s => AxeWidths.Contains(s.Width)))
            await File.WriteAllTextAsync(Path.Combine(dir, $"axe-{width}x{height}.json"),
                JsonSerializer.Serialize(axe.Where(f => f.Width == width), Indented));
        foreach (var (step, seconds) in _spent.OrderByDescending(x => x.Value)) output.WriteLine($"{step}: {seconds:F1} s");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var blocking = axe.Where(f => f.Impact is "critical" or "serious").ToList();
        Assert.True(blocking.Count == 0, string.Join("\n", blocking.Select(f => $"{f.Page} {f.Culture} {f.Width}px: {f.Impact} {f.Rule} ×{f.Nodes} {f.Target}")));
        Assert.True(csp.Count == 0, "CSP violations:\n" + string.Join("\n", csp));
    }

    [Fact]
    public async Task A_language_chosen_by_link_stays_once_the_page_is_live_and_across_navigation()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/?culture=en");
        await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("main h1")).Not.ToBeEmptyAsync();
        await Expect(page.GetByText("Composite ranking")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("switch-language")).ToHaveTextAsync("中文");

        // The circuit's own later renders (a live change) stay in English too.
        var hure = page.Locator("[data-testid=ranking-row][data-district=hure]");
        var before = await hure.GetAttributeAsync("data-rank");
        await host.Service<FigureService>().ReportAsync(new ReportRequest("hure",
            [new FigureEntry("signed-projects", 150, null, "大项目集中签约")], DemoAccounts.Reporter("hure"), Channels.Api));
        await Expect(hure).Not.ToHaveAttributeAsync("data-rank", before!, new() { Timeout = 10_000 });
        await Expect(page.GetByText("Composite ranking")).ToBeVisibleAsync();

        // Following a link keeps English; the switch brings Chinese back, without the ?culture= of the address winning.
        await page.GetByTestId("login-link").ClickAsync();
        await Expect(page.GetByTestId("login-user")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("switch-language")).ToHaveTextAsync("中文");
        await page.GotoAsync("/?culture=en");
        await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.GetByTestId("switch-language").ClickAsync();
        await Expect(page.GetByText("综合排名")).ToBeVisibleAsync();
        await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("switch-language")).ToHaveTextAsync("English");
    }

    // One host for the phone and the laptop (a host each cost a start more for the same page): each reports a value of
    // its own, so that the open breakdown is seen to follow it at both sizes; the wall's breakdown is looked at once.
    [Fact]
    public async Task Tapping_a_district_shows_why_it_stands_there_on_the_overview_of_a_phone_and_a_laptop_and_on_the_wall()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"));
        foreach (var (width, height, reported) in new[] { (390, 844, 150), (1920, 1080, 160) })
        {
            await using var context = await Browser.NewContextAsync(new()
            {
                BaseURL = root.ToString(), ViewportSize = new() { Width = width, Height = height }, HasTouch = width < 600,
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });

            var row = page.Locator("[data-testid=ranking-row][data-district=hure]");
            var toggle = row.GetByTestId("why-toggle");
            if (width < 600) await toggle.TapAsync(); else await toggle.ClickAsync();
            var why = page.Locator("[data-testid=why-breakdown][data-district=hure]");
            await Expect(why).ToBeVisibleAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
            // Each weighted component with its weight, the value against the target, and what it adds to the composite.
            var signed = why.Locator("[data-testid=why-component][data-component=signed-projects]");
            await Expect(signed).ToContainTextAsync("新签约");
            await Expect(signed).ToContainTextAsync("权重 20");
            await Expect(signed.GetByTestId("why-value")).ToContainTextAsync("目标");
            await Expect(signed.GetByTestId("why-points")).ToContainTextAsync("计入");
            await Expect(why.GetByTestId("why-movement")).ToContainTextAsync("较");
            await Expect(why.GetByTestId("why-weights-version")).ToHaveTextAsync("按第 1 版权重与目标计算");
            Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= innerWidth"),
                $"the open breakdown widens the page at {width}px");

            // It follows the live standings: a new figure changes the component's value in the open breakdown.
            var value = reported.ToString(CultureInfo.InvariantCulture);
            await Expect(signed.GetByTestId("why-value")).Not.ToContainTextAsync(value);
            await host.Service<FigureService>().ReportAsync(new ReportRequest("hure",
                [new FigureEntry("signed-projects", reported, null, "大项目集中签约")], DemoAccounts.Reporter("hure"), Channels.Api));
            await Expect(signed.GetByTestId("why-value")).ToContainTextAsync(value, new() { Timeout = 10_000 });
            await Expect(why.Locator("[data-testid=why-score]")).ToContainTextAsync("综合得分");
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"why-overview-{width}x{height}.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

            // A second tap closes it.
            if (width < 600) await toggle.TapAsync(); else await toggle.ClickAsync();
            await Expect(why).ToHaveCountAsync(0);
            if (width < 600) continue;

            // The wall's ranking panel: the same breakdown over the ranking.
            var wall = await context.NewPageAsync();
            await wall.SetViewportSizeAsync(1920, 1080);
            await wall.GotoAsync($"{screen.RelativeUrl}&panel=ranking");
            await Expect(wall.Locator(".lb-canvas[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await wall.Locator("[data-testid=board-row][data-district=hure] [data-testid=why-toggle]").ClickAsync();
            var wallWhy = wall.Locator("[data-testid=why-panel] [data-testid=why-breakdown][data-district=hure]");
            await Expect(wallWhy).ToBeVisibleAsync();
            await Expect(wallWhy.Locator("[data-testid=why-component][data-component=signed-projects] [data-testid=why-value]")).ToContainTextAsync(value);
            await wall.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("why-wall-1920x1080.png"), Animations = ScreenshotAnimations.Disabled });
            await wall.GetByTestId("why-close").ClickAsync();
            await Expect(wall.GetByTestId("why-panel")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task An_observer_signed_in_on_the_site_is_signed_in_on_the_scoring_page_and_signing_out_of_either_signs_out_of_both()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new()
        {
            BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2F");
        await SignIn.WithFormAsync(page, "observer-south-1", SignedInClients.DemoPassword(host));
        await Expect(page.Locator(Interactive)).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await page.GotoAsync("/score");
        await Expect(page.GetByTestId("score-site").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("score-login")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("score-user")).ToContainTextAsync("observer-south-1");
        // Marks bring the numeric keyboard.
        Assert.Equal("decimal", await page.GetByTestId("score-structure").First.GetAttributeAsync("inputmode"));
        await using (var db = await host.DbAsync())
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.TokenIssued && e.UserName == "observer-south-1"));
        // The app bar names the same account (phones keep the name out of the bar for room, not out of the page) and
        // offers the site's sign-out, not a sign-in.
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("observer-south-1");
        await Expect(page.GetByTestId("logout")).ToBeInViewportAsync();
        await Expect(page.GetByTestId("login-link")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("responsive/score-observer-zh-CN-390x844.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

        // The page's sign-out signs out of the site: /score and the app bar both ask for a sign-in, the page's token is gone.
        await page.GetByTestId("score-signout").TapAsync();
        await Expect(page.GetByTestId("login-user")).ToBeVisibleAsync();
        await SignedOutOnTheScoringPageAsync(page);

        // Its sign-in is the site's, and leads back to it.
        await page.GetByTestId("score-login-link").TapAsync();
        await SignIn.WithFormAsync(page, "observer-south-1", SignedInClients.DemoPassword(host));
        await Expect(page.GetByTestId("score-site").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("observer-south-1");

        // The app bar's sign-out signs the page out too.
        await page.GetByTestId("logout").TapAsync();
        await Expect(page.GetByTestId("login-user")).ToBeVisibleAsync();
        await SignedOutOnTheScoringPageAsync(page);
    }

    private static async Task SignedOutOnTheScoringPageAsync(IPage page)
    {
        await page.GotoAsync("/score");
        await Expect(page.GetByTestId("score-login")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("login-link")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("score-site")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("score-signout")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('liveboard.score.token')"));
    }

    [Fact]
    public async Task A_reporter_on_a_phone_sees_a_wrong_value_named_on_leaving_the_field_and_reaches_submit_with_the_thumb()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new()
        {
            BaseURL = root.ToString(), ViewportSize = new() { Width = 360, Height = 740 }, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login?returnUrl=%2Freport");
        await SignIn.WithFormAsync(page, DemoAccounts.Reporter("hure"), SignedInClients.DemoPassword(host));
        await Expect(page.Locator("[data-testid=report-page][data-ready=true][data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await using var db = await host.DbAsync();
        var revisions = await db.FigureRevisions.CountAsync();

        // The one submit is on screen from the start, at the bottom, where the thumb is.
        var submit = page.GetByTestId("report-submit");
        await Expect(submit).ToBeInViewportAsync();
        var box = (await submit.BoundingBoxAsync())!;
        Assert.True(box.Y + box.Height > 740 * 0.75, $"submit at {box.Y}px");

        var signed = page.Locator("[data-testid=entry][data-indicator=signed-projects]");
        var value = signed.Locator("[data-testid=entry-value] input");
        Assert.Equal("decimal", await value.GetAttributeAsync("inputmode"));
        await value.FillAsync("十二");
        await value.PressAsync("Tab");
        await Expect(signed).ToContainTextAsync("请输入数字");

        // A change of a reported figure needs a reason: asked for once the reason field is left empty, not before.
        await value.FillAsync("16");
        await value.PressAsync("Tab");
        await Expect(signed).Not.ToContainTextAsync("请输入数字");
        var reason = signed.Locator("[data-testid=entry-reason] input");
        await Expect(reason).ToBeVisibleAsync();
        await Expect(signed).Not.ToContainTextAsync("修改已填报的数值须填写原因");
        await reason.FocusAsync();
        await reason.PressAsync("Tab");
        await Expect(signed).ToContainTextAsync("修改已填报的数值须填写原因");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("report-validation-360x740.png"), Animations = ScreenshotAnimations.Disabled });
        Assert.Equal(revisions, await db.FigureRevisions.CountAsync());
    }

    // Below md the pages are in a drawer behind the menu button; from md up the drawer is docked and the button hidden.
    private static async Task MenuFoldsOnPhonesAsync(IPage page, int width)
    {
        var toggle = page.GetByTestId("menu-toggle");
        var audit = page.GetByTestId("nav-audit");
        await Expect(page.Locator(Interactive)).ToBeVisibleAsync(new() { Timeout = 15_000 });
        if (width < 960)
        {
            await Expect(toggle).ToBeVisibleAsync();
            await Expect(audit).Not.ToBeInViewportAsync();
            await toggle.ClickAsync();
            await Expect(audit).ToBeInViewportAsync();
            await Expect(page.GetByTestId("nav-screens")).ToBeInViewportAsync();
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"responsive/menu-open-{width}.png"), Animations = ScreenshotAnimations.Disabled });
            await audit.ClickAsync();
            await Expect(page.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        }
        else
        {
            await Expect(toggle).ToBeHiddenAsync();
            await Expect(audit).ToBeInViewportAsync();
        }
        // Sign-out and the language switch are always on screen.
        await Expect(page.GetByTestId("logout")).ToBeInViewportAsync();
        await Expect(page.GetByTestId("switch-language")).ToBeInViewportAsync();
        // The brand leads home.
        await page.GetByTestId("brand").ClickAsync();
        await Expect(page.Locator("main .lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    /// <summary>Checks the open page at the first size, then resized to each of the others, and leaves it at the first.</summary>
    private async Task CheckAtEverySizeAsync(IPage page, string name, string culture, (int Width, int Height)[] sizes,
        Words words, List<string> problems, List<AxeFinding> axe, bool? screenshot = null)
    {
        foreach (var (width, height) in sizes)
        {
            if (page.ViewportSize is { } now && (now.Width != width || now.Height != height))
            {
                await T("resize", async () =>
                {
                    await page.SetViewportSizeAsync(width, height);
                    if ((now.Width < MenuDocksAt) != (width < MenuDocksAt)) await MenuFollowsTheWindowAsync(page, width);
                    // Two frames: the resize has been laid out and painted, and resize observers have run.
                    await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
                });
            }
            await CheckAsync(page, name, culture, width, height, words, problems, axe, screenshot);
        }
        if (sizes.Length > 1) await page.SetViewportSizeAsync(sizes[0].Width, sizes[0].Height);
    }

    // MudBlazor's md breakpoint: below it the menu is a drawer behind the button, from it up the menu is docked.
    private const int MenuDocksAt = 960;

    /// <summary>
    /// Across md the page's circuit hears of the new width and docks or folds the menu, which then slides (a CSS
    /// transition, as the main content's margin does): the checks look at the layout once both have settled.
    /// </summary>
    private static async Task MenuFollowsTheWindowAsync(IPage page, int width)
    {
        var menu = page.Locator("[data-testid=menu]");
        if (await menu.CountAsync() == 1)
        {
            if (width >= MenuDocksAt) await Expect(menu).ToBeInViewportAsync(new() { Timeout = 10_000 });
            else await Expect(menu).Not.ToBeInViewportAsync(new() { Timeout = 10_000 });
        }
        await page.EvaluateAsync("""
            () => Promise.allSettled(document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished))
            """);
    }

    private async Task CheckAsync(IPage page, string name, string culture, int width, int height, Words words,
        List<string> problems, List<AxeFinding> axe, bool? screenshot = null)
    {
        var where = $"{name} ({culture}, {width}x{height})";
        var clipped = await T("noclip", () => page.EvaluateAsync<string[]>(NoClipScript));
        problems.AddRange(clipped.Select(c => $"{where}: {c}"));
        problems.AddRange(words.Check(await T("text", () => page.EvaluateAsync<string>(TextScript)), culture).Select(w => $"{where}: {w}"));
        if (await page.Locator("main").CountAsync() is var mains and not 1) problems.Add($"{where}: {mains} main landmarks");
        if (await page.Locator("h1").CountAsync() is var headings and not 1) problems.Add($"{where}: {headings} h1 headings");
        if (screenshot ?? ScreenshotWidths.Contains(width))
            await T("shot " + name, () => page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"responsive/{name}-{culture}-{width}x{height}.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled }));
        // axe in the default language only: the rules it applies (names, roles, contrast, landmarks, the page's lang)
        // see the same markup and colours in English, and its runs were a third of the walk's time.
        if (!AxeWidths.Contains(width) || culture != "zh-CN") return;
        var result = await T("axe " + name, async () =>
        {
            // Evaluated, not added as a script tag: the page's content security policy stays on for the walk, and refuses
            // a script it did not send. The trailing 0 keeps the source's last value from being taken for a function to call.
            await page.EvaluateAsync(AxeSource.Value + "\n;0");
            return await page.EvaluateAsync<JsonElement>(AxeScript);
        });
        foreach (var v in result.EnumerateArray())
            axe.Add(new AxeFinding(name, culture, width, v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString() ?? "minor",
                v.GetProperty("nodes").GetInt32(), v.GetProperty("target").GetString() ?? ""));
    }

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Axe", "axe.min.js")));

    public sealed record AxeFinding(string Page, string Culture, int Width, string Rule, string Impact, int Nodes, string Target);

    // The page never scrolls sideways, and nothing in the main content reaches past the window unless it sits in a box
    // that scrolls (or clips) on its own. A district name is never broken over lines.
    private const string NoClipScript = """
        () => {
          const out = [];
          if (document.scrollingElement.scrollWidth > innerWidth) out.push(`page scrolls sideways: ${document.scrollingElement.scrollWidth} > ${innerWidth}`);
          const scrolls = e => { for (let a = e.parentElement; a && a.tagName !== 'MAIN'; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
          const main = document.querySelector('main');
          for (const e of main.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            if ((r.right > innerWidth + 1 || r.left < -1) && !scrolls(e)) { out.push(`clipped: <${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(r.left)}..${Math.round(r.right)}`); if (out.length > 5) break; }
          }
          // The composite ranking is read whole: every column in view, at every size.
          for (const e of main.querySelectorAll('.lb-ranking .mud-table-container')) {
            if (e.scrollWidth > e.clientWidth + 1) {
              const edge = e.getBoundingClientRect().right;
              const past = [...e.querySelectorAll('*')].filter(c => c.getBoundingClientRect().right > edge + 1).slice(-3)
                .map(c => `<${c.tagName.toLowerCase()} class="${c.className}">${(c.textContent || '').trim().slice(0, 20)}`).join(', ');
              out.push(`ranking columns cut off: ${e.scrollWidth} > ${e.clientWidth}: ${past}`);
            }
          }
          // A row of a list or table holds its text: nothing spills over the next row.
          for (const e of main.querySelectorAll('li, tr')) {
            if (e.clientHeight > 0 && e.scrollHeight > e.clientHeight + 2 && getComputedStyle(e).overflowY === 'visible')
              out.push(`text spills out of its row: <${e.tagName.toLowerCase()} class="${e.className}"> ${(e.textContent || '').trim().slice(0, 30)}`);
          }
          for (const e of main.querySelectorAll('.lb-name-full, .lb-name-short')) {
            // A Chinese name on two lines is a name cut in pieces; an English one may wrap between its words.
            if (/[\u3400-\u9fff]/.test(e.textContent) && e.getClientRects().length > 1) out.push(`district name broken over lines: ${e.textContent}`);
          }
          return out;
        }
        """;

    // What a reader sees in the app bar, the menu and the main content; the stored audit detail (JSON) is left out.
    private const string TextScript = """
        () => {
          const m = document.querySelector('main').cloneNode(true);
          m.querySelectorAll('[data-raw]').forEach(e => e.remove());
          const bar = document.querySelector('.mud-appbar');
          const nav = document.querySelector('.mud-drawer');
          return [document.title, bar ? bar.innerText : '', nav ? nav.textContent : '', m.textContent].join('\n');
        }
        """;

    private const string AxeScript = """
        async () => {
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') }));
        }
        """;

    // The codes a reader must never see in the Chinese UI, and what people typed (names, reasons, notes), which shows
    // as typed in either language.
    private static async Task<Words> WordsAsync(LiveBoardHost host)
    {
        await using var db = await host.DbAsync();
        var codes = new List<string>();
        codes.AddRange(await db.Districts.Select(d => d.Code).ToListAsync());
        codes.AddRange(await db.TouringGroups.Select(g => g.Code).ToListAsync());
        codes.AddRange([Channels.Web, Channels.Api, Channels.Import, Channels.Seed]);
        codes.AddRange(typeof(AuditKinds).GetFields().Select(f => (string)f.GetValue(null)!));
        codes.AddRange(await db.AuditEvents.Select(e => e.Kind).Distinct().ToListAsync());
        codes.AddRange(Roles.All);
        var typed = new List<string>();
        typed.AddRange(await db.Users.Select(u => u.UserName!).ToListAsync());
        typed.AddRange(await db.Users.Where(u => u.DisplayName != null).Select(u => u.DisplayName!).ToListAsync());
        typed.AddRange(await db.FigureRevisions.Select(r => r.Reason).ToListAsync());
        typed.AddRange(await db.Screens.Select(s => s.Name).ToListAsync());
        typed.AddRange(await db.PublishedRankings.Select(p => p.Note).ToListAsync());
        return new Words(codes.Distinct().ToList(), typed.Where(t => t.Length > 0).Distinct().OrderByDescending(t => t.Length).ToList());
    }

    private sealed partial class Words(IReadOnlyList<string> codes, IReadOnlyList<string> typed)
    {
        public IEnumerable<string> Check(string text, string culture)
        {
            foreach (var t in typed) text = text.Replace(t, " ", StringComparison.Ordinal);
            if (culture == "en")
            {
                // The switch back to Chinese is written in Chinese on purpose.
                text = text.Replace("中文", " ", StringComparison.Ordinal);
                foreach (Match m in Cjk().Matches(text)) yield return $"Chinese in the English UI: \"{Around(text, m.Index)}\"";
            }
            else
            {
                foreach (var code in codes)
                    foreach (Match m in Regex.Matches(text, $@"(?<![\w-]){Regex.Escape(code)}(?![\w-])"))
                        yield return $"raw code \"{code}\": \"{Around(text, m.Index)}\"";
            }
        }

        private static string Around(string text, int at) =>
            text.Substring(Math.Max(0, at - 20), Math.Min(text.Length - Math.Max(0, at - 20), 50)).ReplaceLineEndings(" ");

        [GeneratedRegex(@"[\u3400-\u9fff]+")]
        private static partial Regex Cjk();
    }
}
