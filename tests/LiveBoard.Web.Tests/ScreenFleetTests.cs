using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Bunit;
using LiveBoard.Core;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.Components;

namespace LiveBoard.Web.Tests;

/// <summary>The screen fleet: open pages report in, organisers switch or reload them remotely.</summary>
public sealed class ScreenFleetTests : DemoBunitContext
{
    [Fact]
    public async Task Open_display_page_reports_to_the_fleet_and_obeys_a_remote_panel_switch()
    {
        var screen = await Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall", PinnedPanel: PanelIds.Ranking));
        var nav = Service<NavigationManager>();
        nav.NavigateTo(nav.GetUriWithQueryParameter("key", screen.Key).Replace(nav.BaseUri, nav.BaseUri + "display/hall"));
        var cut = Render<DisplayPage>(p => p.Add(x => x.Slug, "hall"));
        var fleet = Service<ScreenFleet>();
        cut.WaitForAssertion(() => Assert.Equal(("hall", "ranking"), (fleet.Online().Single().Slug, fleet.Online().Single().Panel)));

        // Sent by an organiser whose UI is English, from another thread: the wall stays Chinese.
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            return fleet.ShowPanelAsync("hall", PanelIds.Headline);
        });

        cut.WaitForAssertion(() => Assert.Equal("headline", cut.Find("[data-testid=display-panel]").GetAttribute("data-current-panel")));
        Assert.Equal("核心指标", cut.Find("[data-panel=headline] h2").TextContent);
        Assert.Equal("2023年上半年项目建设竞进拉练观摩", cut.Find(".lb-display-title h1").TextContent);
        cut.WaitForAssertion(() => Assert.Equal("headline", fleet.Online().Single().Panel));
        await DisposeComponentsAsync();
        Assert.Empty(fleet.Online());
    }

    [Theory]
    [InlineData("1920x1080", 1920, 1080)]
    [InlineData("3840x2160", 3840, 2160)]
    [InlineData(null, 0, 0)]
    [InlineData("", 0, 0)]
    [InlineData("1920x", 0, 0)]
    [InlineData("1920,1080", 0, 0)]
    public void A_walls_window_size_is_read_from_what_its_script_reports(string? reported, int width, int height) =>
        Assert.Equal((width, height), DisplayPage.WindowSize(reported));

    [Fact]
    public async Task Fleet_page_lists_online_screens_and_sends_reload_and_panel_commands()
    {
        await Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"));
        var fleet = Service<ScreenFleet>();
        fleet.Beat("page-1", "hall", PanelIds.Ticker, 3840, 2160);
        var commands = new List<ScreenCommand>();
        using var _ = Service<IChangeFeed>().Subscribe(e => { if (e is ScreenCommand c) lock (commands) commands.Add(c); return Task.CompletedTask; });

        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var cut = Render<ScreenFleetPage>();
        var row = cut.Find("[data-testid=fleet-row][data-screen=hall]");
        Assert.Equal("最新填报", row.QuerySelector("[data-testid=fleet-panel]")!.TextContent);
        Assert.Equal("3840×2160", row.QuerySelector("[data-testid=fleet-size]")!.TextContent);

        cut.Find("[data-testid=fleet-reload]").Click();
        cut.Find("[data-testid=fleet-show][data-panel=heatmap]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            [("hall", ScreenCommand.Reload, (string?)null), ("hall", ScreenCommand.ShowPanel, "heatmap")],
            commands.Select(c => (c.Slug, c.Command, c.Panel))));
    }

    [Fact]
    public async Task Creating_a_display_over_the_API_needs_an_organiser_and_returns_a_url_that_opens_the_screen()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("LED"));
        using var anonymous = new HttpClient { BaseAddress = root };
        JsonContent Body() => JsonContent.Create(new { name = "大厅 Hall", playlist = new[] { "ranking", "ticker" } });

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("api/v1/displays", Body())).StatusCode);
        // A display key reads one screen; it never sets screens up.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsync($"api/v1/displays?key={Uri.EscapeDataString(screen.Key)}", Body())).StatusCode);
        using var leader = await SignedInClients.ApiAsync(host, root, "leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync("api/v1/displays", Body())).StatusCode);

        using var organiser = await SignedInClients.ApiAsync(host, root, "organiser");
        var created = await organiser.PostAsync("api/v1/displays", Body());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var response = (await created.Content.ReadFromJsonAsync<CreateDisplayResponse>())!;
        // The returned URL opens the new screen with no login.
        var page = await anonymous.GetStringAsync(new Uri(response.Url).PathAndQuery);
        Assert.Contains($"data-screen=\"{response.Slug}\" data-authorised=\"true\"", page);
    }

    [Fact]
    public async Task Create_display_handler_returns_the_url_with_its_key_once_and_refuses_unknown_panels()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        http.Scheme = "http";
        http.Host = new Microsoft.AspNetCore.Http.HostString("127.0.0.1:5080");
        var displays = Service<DisplayService>();

        var result = await DisplayEndpoints.CreateAsync(new CreateDisplayRequest("大厅 Hall", null, ["ranking", "ticker"], 30, null, null),
            displays, http, CancellationToken.None);
        var created = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Created<CreateDisplayResponse>>(result.Result).Value!;
        Assert.Equal("hall", created.Slug);
        Assert.Equal($"http://127.0.0.1:5080/display/hall?key={created.Key}", created.Url);
        var screen = await displays.AuthoriseAsync("hall", created.Key);
        Assert.Equal(["ranking", "ticker"], screen!.Playlist);
        Assert.Equal(30, screen.IntervalSeconds);

        var refused = await DisplayEndpoints.CreateAsync(new CreateDisplayRequest("x", null, ["clock"], null, null, null),
            displays, http, CancellationToken.None);
        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ValidationProblem>(refused.Result);
    }
}
