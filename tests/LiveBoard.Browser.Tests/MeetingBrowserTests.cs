using LiveBoard.Web.Data;
using System.Diagnostics;
using System.Globalization;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Core.Figures;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveBoard.Browser.Tests;

[Collection(SharedBrowser.Name)]
public sealed class MeetingBrowserTests(BrowserFixture browser, ITestOutputHelper output) : BrowserTest(browser)
{
    private const string Day1 = "2023-07-29";
    private const string RoomKey = "room-test-key";

    private static LiveBoardHost NewHost() => new(settings: new()
    {
        [CampaignClock.Setting] = Day1,
        [Room.RoomKeySetting] = RoomKey,
    });

    private static async Task<IPage> SignInAsync(IBrowserContext context, string user, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(path)}");
        await page.GetByTestId("login-user").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(DemoAccounts.DefaultPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.Locator(".lb-page[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        return page;
    }

    private const int StepWait = 10_000;

    [Fact]
    public async Task Next_key_on_the_presenter_moves_both_room_screens_a_second_presenter_only_follows_and_ending_returns_the_rooms()
    {
        await using var host = NewHost();
        var root = host.Start();
        var wall = new BrowserNewContextOptions { BaseURL = root.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } };
        await using var room1 = await Browser.NewContextAsync(wall);
        await using var room2 = await Browser.NewContextAsync(wall);
        await using var laptop = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        await using var phone = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });

        var rooms = new List<IPage>();
        foreach (var context in new[] { room1, room2 })
        {
            var room = await context.NewPageAsync();
            await room.GotoAsync($"/meeting/{Day1}/room?key={RoomKey}");
            await Expect(room.Locator(".lb-room[data-live=true]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(room.GetByTestId("meeting-waiting")).ToBeVisibleAsync();
            rooms.Add(room);
        }

        var presenter = await SignInAsync(laptop, DemoAccounts.Organiser, $"/meeting/{Day1}");
        // Driving, and listening to the clicker's keys (attached just after the meeting is opened).
        await Expect(presenter.Locator(".lb-presenter[data-driving=true][data-keys=true]")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        foreach (var room in rooms)
            await Expect(room.GetByTestId("meeting-item")).ToHaveAttributeAsync("data-item", "overview", new() { Timeout = 5_000 });

        // The agenda: overview, the day's districts in route order, ranking, gaps.
        var agenda = presenter.GetByTestId("agenda-item");
        var keys = await agenda.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.item)");
        output.WriteLine("agenda: " + string.Join(", ", keys));
        Assert.Equal("overview", keys[0]);
        Assert.StartsWith("district:", keys[1]);
        Assert.Equal(["ranking", "gaps", "grades"], keys[^3..]);

        // A clicker sends PageDown / arrow keys: each step reaches both room screens. How fast is printed, not asserted: a
        // timed assertion failed on a loaded machine (a step took over 1 s while other suites ran); speed is for the bench.
        var expected = keys[1];
        var clock = Stopwatch.StartNew();
        await presenter.Keyboard.PressAsync("ArrowRight");
        foreach (var room in rooms)
            await Expect(room.GetByTestId("meeting-item")).ToHaveAttributeAsync("data-item", expected, new() { Timeout = StepWait });
        output.WriteLine($"next → both rooms: {clock.ElapsedMilliseconds} ms");
        await Expect(rooms[0].GetByTestId("meeting-rank")).ToBeVisibleAsync();
        await Expect(rooms[0].GetByTestId("meeting-figure")).Not.ToHaveCountAsync(0);

        clock.Restart();
        await presenter.Keyboard.PressAsync("PageDown");
        foreach (var room in rooms)
            await Expect(room.GetByTestId("meeting-item")).ToHaveAttributeAsync("data-item", keys[2], new() { Timeout = StepWait });
        output.WriteLine($"PageDown → both rooms: {clock.ElapsedMilliseconds} ms");
        await Expect(presenter.Locator("[data-testid=agenda-item][data-current=true]")).ToHaveAttributeAsync("data-item", keys[2]);
        await rooms[0].ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("meeting-room-district.png") });
        await presenter.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("meeting-presenter.png") });

        // A second organiser on a phone follows read-only: its keys move nothing until it takes over explicitly.
        var second = await SignInAsync(phone, DemoAccounts.Organiser, $"/meeting/{Day1}");
        await Expect(second.Locator(".lb-presenter[data-driving=false][data-keys=true]")).ToBeVisibleAsync();
        await Expect(second.GetByTestId("meeting-take-over")).ToBeVisibleAsync();
        await second.Keyboard.PressAsync("ArrowLeft");
        await Expect(presenter.Locator("[data-testid=agenda-item][data-current=true]")).ToHaveAttributeAsync("data-item", keys[2]);
        await Expect(second.Locator("[data-testid=agenda-item][data-current=true]")).ToHaveAttributeAsync("data-item", keys[2]);
        // Its agenda reads in full contrast but choosing an item there moves nothing either.
        await Expect(second.Locator("[data-testid=agenda-item][aria-disabled=true]")).ToHaveCountAsync(keys.Length);
        // (Playwright would wait for an aria-disabled item to become enabled; a finger just taps it.)
        await second.Locator("[data-testid=agenda-item][data-item=ranking]").ClickAsync(new() { Force = true });
        await Expect(presenter.Locator("[data-testid=agenda-item][data-current=true]")).ToHaveAttributeAsync("data-item", keys[2]);

        await second.GetByTestId("meeting-take-over").ClickAsync();
        await Expect(second.Locator(".lb-presenter[data-driving=true]")).ToBeVisibleAsync();
        await Expect(presenter.Locator(".lb-presenter[data-driving=false]")).ToBeVisibleAsync();
        await second.Keyboard.PressAsync("ArrowLeft");
        foreach (var room in rooms)
            await Expect(room.GetByTestId("meeting-item")).ToHaveAttributeAsync("data-item", keys[1], new() { Timeout = StepWait });

        // Jump to an item from the agenda; publish the ranking from the meeting.
        await second.Locator("[data-testid=agenda-item][data-item=ranking]").ClickAsync();
        foreach (var room in rooms)
            await Expect(room.GetByTestId("meeting-item")).ToHaveAttributeAsync("data-item", "ranking", new() { Timeout = StepWait });
        await second.GetByTestId("meeting-publish").ClickAsync();
        // Publishing is irreversible: it is confirmed in a dialog first.
        await second.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "确认公布" }).ClickAsync();
        await Expect(second.GetByTestId("meeting-published")).ToContainTextAsync("第2版");
        Assert.Equal(2, (await host.Service<PublicationService>().ListAsync()).Count);

        // Ending the meeting returns the room screens to their normal view.
        await second.GetByTestId("meeting-end").ClickAsync();
        foreach (var room in rooms)
        {
            await Expect(room).ToHaveURLAsync(root.ToString(), new() { Timeout = 5_000 });
            await Expect(room.Locator(".lb-page[data-live=true] [data-testid=ranking-row]").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        }
        Assert.False(host.Service<MeetingService>().Get(DateOnly.Parse(Day1, CultureInfo.InvariantCulture)).Active);
    }

    [Fact]
    public async Task Room_page_without_key_or_sign_in_shows_nothing_of_the_meeting()
    {
        await using var host = NewHost();
        var root = host.Start();
        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/meeting/{Day1}/room?key=wrong");
        await Expect(page.GetByTestId("meeting-item")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("meeting-waiting")).ToHaveCountAsync(0);
        // The presenter page sends an anonymous visitor to sign in.
        await page.GotoAsync($"/meeting/{Day1}");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));

        // Leaders read the bulletin but do not drive the meeting.
        var leader = await SignInAsync(context, DemoAccounts.Leader, "/history");
        await leader.GotoAsync($"/meeting/{Day1}/bulletin");
        await Expect(leader.GetByTestId("bulletin-ranking")).ToBeVisibleAsync();
        await leader.GotoAsync($"/meeting/{Day1}");
        await Expect(leader).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/denied"));
        Assert.False(host.Service<MeetingService>().Get(DateOnly.Parse(Day1, CultureInfo.InvariantCulture)).Active);
    }

    [Fact]
    public async Task Leader_sees_the_rank_history_from_publications_and_prints_the_bulletin_in_black_and_white()
    {
        await using var host = NewHost();
        var root = host.Start();
        var publications = host.Service<PublicationService>();
        await publications.PublishAsync(DateOnly.Parse(Day1, CultureInfo.InvariantCulture), "第一天", DemoAccounts.Organiser, Channels.Api);
        var day1 = (await host.Service<LiveStandings>().CurrentAsync())!.City.Ranking.Composite.Select(c => c.DistrictCode).ToArray();
        var last = day1[^1];
        await host.Service<FigureService>().ReportAsync(new ReportRequest(last,
            [new FigureEntry("signed-projects", 500, null, "核实后补报")], DemoAccounts.Organiser, Channels.Web));
        await publications.PublishAsync(DateOnly.Parse("2023-07-30", CultureInfo.InvariantCulture), "第二天", DemoAccounts.Organiser, Channels.Api);

        await using var context = await Browser.NewContextAsync(new() { BaseURL = root.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await SignInAsync(context, DemoAccounts.Leader, "/history");
        await Expect(page.GetByTestId("rank-history-line")).ToHaveCountAsync(9);
        var ranks = await page.Locator($"[data-testid=rank-history-line][data-district={last}]").GetAttributeAsync("data-ranks");
        output.WriteLine($"{last}: {ranks}");
        var parts = ranks!.Split(',').Select(int.Parse).ToArray();
        Assert.Equal(3, parts.Length); // the demo's bulletin, day 1, day 2
        Assert.True(parts[2] < parts[1], "the correction lifted the district in the second publication");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("rank-history.png"), FullPage = true });

        await page.GotoAsync($"/meeting/{Day1}/bulletin");
        var rows = page.Locator("[data-testid=bulletin-ranking] tbody tr");
        await Expect(rows).ToHaveCountAsync(9, new() { Timeout = 10_000 });
        // The day's bulletin reports the ranking as announced that day, not the later correction.
        Assert.Equal(day1, await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.district)"));
        await Expect(page.GetByTestId("bulletin-announced")).ToContainTextAsync("第2版");
        await Expect(page.Locator($"[data-testid=bulletin-indicator-row][data-district={last}] [data-indicator=signed-projects]"))
            .Not.ToContainTextAsync("500 个");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.GetByTestId("bulletin-xlsx")).ToBeHiddenAsync();
        Assert.Equal("rgb(0, 0, 0)", await rows.First.EvaluateAsync<string>("r => getComputedStyle(r).color"));
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("bulletin-print.png"), FullPage = true });
        // Day 2's bulletin: the corrected district moved up against day 1's publication, written out in words.
        await page.GotoAsync("/meeting/2023-07-30/bulletin");
        await Expect(page.Locator($"[data-testid=bulletin-ranking] tr[data-district={last}]")).ToContainTextAsync("上升1位");
        await Expect(page.Locator($"[data-testid=bulletin-indicator-row][data-district={last}] [data-indicator=signed-projects]"))
            .ToContainTextAsync("500 个（1）");
    }
}
