using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Live;
using LiveBoard.Web.Tests.Reporting;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>
/// Two instances on one PostgreSQL database and one Redis (<see cref="TwoInstances"/>): whatever one instance accepts,
/// the other's screens, hub clients and caches follow, and what one issued (tokens, cookies) the other accepts.
/// </summary>
public sealed class TwoInstanceTests : TwoInstanceTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static HubConnection Hub(Uri root, string key) =>
        new HubConnectionBuilder().WithUrl(new Uri(root, LiveHub.Path.TrimStart('/') + "?key=" + Uri.EscapeDataString(key))).Build();

    [ScaleOutFact]
    public async Task A_hub_client_on_A_receives_FigureReported_once_for_a_write_made_on_B()
    {
        var led = await Pair.A.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
        await using var hub = Hub(Pair.RootA, led.Key);
        var reports = new List<LiveFigureReported>();
        hub.On<LiveFigureReported>("FigureReported", f => { lock (reports) reports.Add(f); });
        await hub.StartCurrentAsync(Wait);

        using var onB = await SignedInClients.ApiAsync(Pair.B, Pair.RootB, "reporter-hure");
        var written = await onB.SendAsync(RunningApp.Report("b-1", "hure", "signed-projects", 31m, "核实补报"));
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        // A second, later write: once it has arrived, a duplicate of the first would have arrived before it.
        Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("b-2", "hure", "signed-projects", 32m, "核实补报"))).StatusCode);

        await Until(() => { lock (reports) return reports.Any(r => r.NewValue == 32m); });
        lock (reports)
            Assert.Equal([(15m, 31m), (31m, 32m)], reports.Where(r => r.DistrictCode == "hure").Select(r => (r.OldValue!.Value, r.NewValue)));
    }

    [ScaleOutFact]
    public async Task A_token_issued_by_A_is_accepted_by_B_and_a_cookie_sign_in_on_A_is_valid_on_B()
    {
        using var tokenClient = await SignedInClients.ApiAsync(Pair.A, Pair.RootA, "leader");
        using var onB = new HttpClient { BaseAddress = Pair.RootB };
        onB.DefaultRequestHeaders.Authorization = tokenClient.DefaultRequestHeaders.Authorization;
        var figures = await onB.GetAsync("/api/v1/figures");
        Assert.Equal(HttpStatusCode.OK, figures.StatusCode);
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenClient.DefaultRequestHeaders.Authorization!.Parameter + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/v1/figures")).StatusCode);

        // Cookies name a host, not a port: the browser-like client signed in on A sends the same cookie to B.
        using var browser = await SignedInClients.WebAsync(Pair.A, Pair.RootA, "organiser");
        var page = await browser.GetAsync(new Uri(Pair.RootB, "/admin/users"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var stranger = SignedInClients.Anonymous(Pair.RootB);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/admin/users")).StatusCode);
    }

    [ScaleOutFact]
    public async Task Revoking_a_display_key_on_B_closes_the_screens_hub_connection_on_A()
    {
        var led = await Pair.A.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
        await using var hub = Hub(Pair.RootA, led.Key);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartCurrentAsync(Wait);

        Assert.True(await Pair.B.Service<DisplayService>().RevokeAsync("led"));

        await closed.Task.WaitAsync(Wait);
    }

    [ScaleOutFact]
    public async Task An_account_disabled_on_A_is_refused_by_B_at_once()
    {
        using var reporterOnB = await SignedInClients.ApiAsync(Pair.B, Pair.RootB, "reporter-hure");
        // B has checked (and kept) the answer that this account is active.
        Assert.Equal(HttpStatusCode.OK, (await reporterOnB.GetAsync("/api/v1/campaigns/current")).StatusCode);

        Assert.Empty(await Pair.A.Service<UserAdmin>().SetDisabledAsync("reporter-hure", true, "organiser"));

        await Until(async () => (await reporterOnB.GetAsync("/api/v1/campaigns/current")).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
    }

    [ScaleOutFact]
    public async Task Two_instances_writing_one_figure_at_once_never_give_two_writes_the_same_version()
    {
        using var onA = await SignedInClients.ApiAsync(Pair.A, Pair.RootA, "reporter-hure");
        using var onB = await SignedInClients.ApiAsync(Pair.B, Pair.RootB, "reporter-hure");
        var start = await TestData.FigureAsync(Pair.A, "hure", "funds-in-place");

        // Both from the version they read: the database lets exactly one through.
        var racing = await Task.WhenAll(
            onA.SendAsync(RunningApp.Report("race-a", "hure", "funds-in-place", 40m, "核实补报", start.Version)),
            onB.SendAsync(RunningApp.Report("race-b", "hure", "funds-in-place", 41m, "核实补报", start.Version)));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], racing.Select(r => r.StatusCode).Order());

        // Without a version each write applies on top of the last: forty writes, forty versions.
        var writes = Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? onA : onB).SendAsync(RunningApp.Report($"many-{i}", "hure", "funds-in-place", 100m + i, "核实补报")));
        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var history = await TestData.HistoryAsync(Pair.B, "hure", "funds-in-place");
        var versions = history.Select(h => h.Version).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions.Order());
        Assert.Equal(start.Version + 41, versions.Max());
        // Each revision's old value is the value before it: nothing was written from a stale read.
        var ordered = history.OrderBy(h => h.Version).ToList();
        for (var i = 1; i < ordered.Count; i++) Assert.Equal(ordered[i - 1].NewValue, ordered[i].OldValue);
    }

    [ScaleOutFact]
    public async Task A_meeting_step_taken_on_A_moves_the_meeting_on_B_and_B_cannot_drive_it_without_taking_over()
    {
        var day = new DateOnly(2023, 7, 29);
        var (onA, onB) = (Pair.A.Service<MeetingService>(), Pair.B.Service<MeetingService>());
        var campaign = (await Pair.A.Service<LiveStandings>().CurrentAsync())!.City.Campaign.Id;
        Assert.False(onB.Get(day).Active);
        var movedOnB = new TaskCompletionSource<MeetingChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var following = Pair.B.Service<IChangeFeed>().Subscribe(e =>
        {
            if (e is MeetingChanged { Index: 3 } m) movedOnB.TrySetResult(m);
            return Task.CompletedTask;
        });

        await onA.OpenAsync(campaign, day, "organiser", "presenter-on-a");
        await onA.GoAsync(campaign, day, "presenter-on-a", 3, 10);

        // What a room page on B does when the step arrives: it reads the meeting and shows item 3.
        await movedOnB.Task.WaitAsync(Wait);
        Assert.Equal((true, 3, "organiser"), (onB.Get(day).Active, onB.Get(day).Index, onB.Get(day).Presenter));
        // The driver is known on B too: a page there cannot move the meeting until it takes over.
        Assert.Equal(3, (await onB.GoAsync(campaign, day, "page-on-b", 5, 10)).Index);
        await onB.TakeOverAsync(campaign, day, "organiser", "page-on-b");
        Assert.Equal(5, (await onB.GoAsync(campaign, day, "page-on-b", 5, 10)).Index);
        // A's page now only follows: its click changes nothing.
        Assert.Equal(5, (await onA.GoAsync(campaign, day, "presenter-on-a", 3, 10)).Index);
        Assert.Equal(5, onB.Get(day).Index);
    }

    [ScaleOutFact]
    public async Task An_organiser_on_A_sees_the_screens_open_on_B_with_their_instance_until_they_leave()
    {
        var (onA, onB) = (Pair.A.Service<ScreenFleet>(), Pair.B.Service<ScreenFleet>());
        onA.Beat("wall-on-a", "hall", PanelIds.Ranking, 1920, 1080);
        onB.Beat("wall-on-b", "lobby", PanelIds.Ticker, 3840, 2160);

        await Until(() => onA.Online().Any(p => p.Id == "wall-on-b"));
        var fleet = onA.Online();
        Assert.Equal([("hall", onA.Instance), ("lobby", onB.Instance)], fleet.Select(p => (p.Slug, p.Instance)));
        Assert.Equal((PanelIds.Ticker, 3840), (fleet[1].Panel, fleet[1].Width));

        onB.Leave("wall-on-b");
        await Until(() => onA.Online().All(p => p.Id != "wall-on-b"));
    }

    private static Task Until(Func<bool> condition) => Eventually.Until(condition, Wait);

    private static Task Until(Func<Task<bool>> condition) => Eventually.Until(condition, Wait);
}
