using System.Net.Http.Json;
using System.Net;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Hub;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using System.Text.Json;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Tests;

/// <summary>/hubs/live over a real Kestrel server with the real SignalR .NET client.</summary>
public sealed class LiveHubTests : LiveHubHost
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private HubConnection Connect(string? query) =>
        new HubConnectionBuilder().WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/') + query)).Build();

    private static Task<T> Next<T>(HubConnection hub, string method, Func<T, bool>? match = null) => hub.Next(method, match);

    [Fact]
    public async Task Signed_in_leader_reads_the_hub_with_a_bearer_token_and_a_bad_token_is_refused()
    {
        using var anonymous = new HttpClient { BaseAddress = Root };
        var token = await (await SignedInClients.RequestTokenAsync(anonymous, "leader", SignedInClients.DemoPassword(Host)))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var accessToken = token.GetProperty("accessToken").GetString()!;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        await hub.StartAsync();
        Assert.Equal(9, (await snapshot.WaitAsync(Wait)).Ranking.Count);

        await using var forged = new HubConnectionBuilder()
            .WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken + "x"))
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());
    }

    [Fact]
    public async Task Client_with_a_display_key_gets_the_snapshot_on_connect_then_events_after_a_write()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(Led.Key)}");
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        var reported = Next<LiveFigureReported>(hub, "FigureReported", f => f.IndicatorCode == "signed-projects");
        var ranking = Next<LiveRankingChanged>(hub, "RankingChanged", r => r.Ranking[0].DistrictCode == "hure");
        var status = Next<LiveReportingStatusChanged>(hub, "ReportingStatusChanged");
        await hub.StartAsync();

        var first = await snapshot.WaitAsync(Wait);
        Assert.Equal(9, first.Ranking.Count);
        Assert.Equal(5, first.Totals.Count);
        Assert.NotEqual("hure", first.Ranking[0].DistrictCode);
        Assert.Equal(229m, first.Totals.Single(t => t.IndicatorCode == "signed-projects").Value);

        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));

        var figure = await reported.WaitAsync(Wait);
        Assert.Equal(("hure", 15m, 90m), (figure.DistrictCode, figure.OldValue!.Value, figure.NewValue));
        var changed = await ranking.WaitAsync(Wait);
        Assert.Equal((1, "up"), (changed.Ranking[0].Rank, changed.Ranking[0].Movement));
        Assert.Equal(304m, changed.Totals.Single(t => t.IndicatorCode == "signed-projects").Value);
        Assert.Equal(("hure", true), ((await status.WaitAsync(Wait)).DistrictCode, (await status).ReportedToday));
    }

    [Fact]
    public async Task Access_token_works_like_the_key_for_clients_that_send_tokens()
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Led.Key))
            .Build();
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        await hub.StartAsync();
        Assert.Equal(9, (await snapshot.WaitAsync(Wait)).Ranking.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("?key=not-a-key")]
    public async Task Client_without_a_valid_key_is_rejected(string? query)
    {
        await using var hub = Connect(query);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Revoking_the_key_closes_open_connections_and_refuses_new_ones()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(Led.Key)}");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        await hub.StartAsync();
        await snapshot.WaitAsync(Wait);

        await Host.Service<DisplayService>().RevokeAsync("led");

        await closed.Task.WaitAsync(Wait);
        await using var again = Connect($"?key={Uri.EscapeDataString(Led.Key)}");
        await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
    }

    [Fact]
    public async Task A_client_that_asks_for_figures_only_gets_figures_and_no_ranking()
    {
        var key = Uri.EscapeDataString(Led.Key);
        await using var ticker = Connect($"?key={key}&topics=figures");
        await using var wall = Connect($"?key={key}&topics=figures,ranking");
        var rankingsOnTicker = 0;
        ticker.On<LiveRankingChanged>("RankingChanged", _ => Interlocked.Increment(ref rankingsOnTicker));
        var tickerSnapshot = Next<LiveSnapshot>(ticker, "Snapshot");
        var wallSnapshot = Next<LiveSnapshot>(wall, "Snapshot");
        var tickerFirst = Next<LiveFigureReported>(ticker, "FigureReported", f => f.DistrictCode == "hure");
        var wallRanking = Next<LiveRankingChanged>(wall, "RankingChanged", r => r.Ranking[0].DistrictCode == "hure");
        await ticker.StartAsync();
        await wall.StartAsync();
        // Both still get the state to draw on connect.
        Assert.Equal(9, (await tickerSnapshot.WaitAsync(Wait)).Ranking.Count);
        Assert.Equal(9, (await wallSnapshot.WaitAsync(Wait)).Ranking.Count);

        var figures = Host.Service<FigureService>();
        Assert.IsType<ReportOutcome.Accepted>(await figures.ReportAsync(DemoReports.HureTakesTheLead()));
        Assert.Equal(90m, (await tickerFirst.WaitAsync(Wait)).NewValue);
        await wallRanking.WaitAsync(Wait);

        // A second figure reaches the ticker after the ranking reached the wall: had the ticker been sent that ranking,
        // it would have arrived first on its ordered connection.
        var tickerSecond = Next<LiveFigureReported>(ticker, "FigureReported", f => f.DistrictCode == "naiman");
        Assert.IsType<ReportOutcome.Accepted>(await figures.ReportAsync(
            new ReportRequest("naiman", [new FigureEntry("started-projects", 77, Reason: "复核")], "reporter-naiman", Channels.Web)));
        await tickerSecond.WaitAsync(Wait);
        Assert.Equal(0, Volatile.Read(ref rankingsOnTicker));
    }

    [Fact]
    public async Task The_ranking_is_worked_out_only_while_someone_takes_it_and_a_late_ranking_client_still_reads_it_current()
    {
        var key = Uri.EscapeDataString(Led.Key);
        var connections = Host.Service<LiveConnections>();
        await using var ticker = Connect($"?key={key}&topics=figures");
        var tickerFigure = Next<LiveFigureReported>(ticker, "FigureReported", f => f.DistrictCode == "hure");
        await ticker.StartCurrentAsync();
        Assert.Equal((1, 0), (connections.Subscribers(LiveTopics.Figures), connections.Subscribers(LiveTopics.Ranking)));

        // With only a ticker connected, a figure that moves the ranking is sent, and no ranking is worked out for it...
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
        await tickerFigure.WaitAsync(Wait);

        // ...so a wall that asks for the ranking afterwards must find the move in the snapshot it is sent on connect.
        await using (var wall = Connect($"?key={key}&topics=ranking"))
        {
            var wallSnapshot = Next<LiveSnapshot>(wall, "Snapshot");
            await wall.StartAsync();
            Assert.Equal("hure", (await wallSnapshot.WaitAsync(Wait)).Ranking[0].DistrictCode);
            Assert.Equal(1, connections.Subscribers(LiveTopics.Ranking));
        }
        // SignalR handles the wall's disconnect after its client returns.
        await Eventually.Until(() => connections.Subscribers(LiveTopics.Ranking) == 0, Wait, "the wall's disconnect");
        Assert.Equal(1, connections.Subscribers(LiveTopics.Figures));
    }

    [Fact]
    public async Task The_snapshot_is_serialised_once_per_standings_and_written_exactly_as_the_documented_snapshot()
    {
        // When thousands of clients reconnect at once they are all sent the same standings: serialised once, not per client.
        var standings = (await Host.Service<LiveStandings>().CurrentAsync())!;
        var frames = Host.Service<SnapshotFrames>();
        var options = Host.Service<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
        var at = DateTimeOffset.Parse("2026-11-29T03:02:11.123+00:00", System.Globalization.CultureInfo.InvariantCulture);
        var first = frames.For(standings, at);
        var second = frames.For(standings, at.AddSeconds(1));
        Assert.Same(first.RankingJson, second.RankingJson);
        Assert.Equal(JsonSerializer.Serialize(LivePayloads.Snapshot(standings, at), options), JsonSerializer.Serialize(first, options));
        Assert.Equal(JsonSerializer.Serialize(LivePayloads.Snapshot(standings, at.AddSeconds(1)), options), JsonSerializer.Serialize(second, options));
    }

    [Fact]
    public async Task Many_figures_written_at_once_move_a_ranking_client_once_not_once_per_recomputation()
    {
        // An import commits every row at once and announces them one by one: the ranking must go out once for it.
        await using var wall = Connect($"?key={Uri.EscapeDataString(Led.Key)}&topics=figures,ranking");
        var rankings = new List<LiveRankingChanged>();
        wall.On<LiveRankingChanged>("RankingChanged", r => { lock (rankings) rankings.Add(r); });
        var lastOfImport = Next<LiveFigureReported>(wall, "FigureReported", f => f.DistrictCode == "kailu" && f.NewValue == 49);
        var hureLeads = Next<LiveRankingChanged>(wall, "RankingChanged", r => r.Ranking[0].DistrictCode == "hure");
        await wall.StartCurrentAsync();
        LiveSnapshot afterImport;
        var districts = new[] { "horqin", "naiman", "kailu" };
        var import = districts.Select((d, i) => new ReportRequest(d,
            [new FigureEntry("signed-projects", 40 + 3 * i + 1, Reason: "导入"), new FigureEntry("started-projects", 40 + 3 * i + 2, Reason: "导入"),
             new FigureEntry("funds-in-place", 40 + 3 * i + 3, Reason: "导入")], "organiser", Channels.Import, "import-1")).ToList();
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportManyAsync(import));
        Assert.Equal(49m, (await lastOfImport.WaitAsync(Wait)).NewValue);
        // Every recomputation the import asked for has run (the one at once and the one after the pause).
        var broadcaster = Host.Services.GetServices<IHostedService>().OfType<LiveHubBroadcaster>().Single();
        await broadcaster.RankingIdleAsync(CancellationToken.None).WaitAsync(Wait);
        await using (var late = Connect($"?key={Uri.EscapeDataString(Led.Key)}&topics=ranking"))
            afterImport = await late.StartCurrentAsync();

        // A later change that moves the ranking still goes out: the wall has seen exactly the import's and this one.
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
        await hureLeads.WaitAsync(Wait);
        lock (rankings)
        {
            Assert.Equal(2, rankings.Count);
            // The first is the import's, whole: as a client connecting after it reads it.
            Assert.Equal(afterImport.Totals, rankings[0].Totals);
            Assert.Equal(afterImport.Ranking, rankings[0].Ranking);
            Assert.Equal("hure", rankings[1].Ranking[0].DistrictCode);
        }
    }

    [Fact]
    public async Task An_unknown_topic_closes_the_connection_with_a_message_naming_it()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(Led.Key)}&topics=figures,weather");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        var snapshots = 0;
        hub.On<LiveSnapshot>("Snapshot", _ => Interlocked.Increment(ref snapshots));
        try { await hub.StartAsync(); } catch (Exception e) { closed.TrySetResult(e); }

        var error = await closed.Task.WaitAsync(Wait);
        Assert.NotNull(error);
        Assert.Contains("Unknown topic 'weather'", error.Message);
        Assert.Equal(0, snapshots);
    }

    [Theory]
    [InlineData("figures,status", "figures,status")]
    [InlineData("status, figures", "figures,status")]
    [InlineData("ranking", "ranking")]
    [InlineData("", "figures,ranking,status,meeting")]
    public void A_viewer_joins_one_group_for_its_choice_of_topics_and_each_topic_reaches_every_choice_that_has_it(string query, string choice)
    {
        var (topics, unknown) = LiveTopics.Parse(query);
        Assert.Null(unknown);
        var group = LiveTopics.GroupOf(topics);
        Assert.Equal("topics:" + choice, group);
        foreach (var topic in LiveTopics.All)
        {
            // Each topic is sent to the groups of the 8 choices (of 16) that have it, so every viewer gets it once or not at all.
            Assert.Equal(8, LiveTopics.GroupsWith(topic).Count);
            Assert.Equal(topics.Contains(topic), LiveTopics.GroupsWith(topic).Contains(group));
        }
    }

    [Fact]
    public async Task Figures_reported_in_quick_succession_reach_a_client_in_the_order_they_were_accepted()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(Led.Key)}&topics=figures");
        var seen = new List<decimal>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int Reports = 60;
        hub.On<LiveFigureReported>("FigureReported", f =>
        {
            if (f.DistrictCode != "kailu") return;
            lock (seen)
            {
                seen.Add(f.NewValue);
                if (seen.Count == Reports) all.TrySetResult();
            }
        });
        await hub.StartCurrentAsync();

        // Several writers at once, as districts report in the evening; each value is accepted in some order, and the
        // hub must tell every client that same order (a later value must never be overtaken by an earlier one).
        var figures = Host.Service<FigureService>();
        var accepted = new List<(int Version, decimal Value)>();
        await Task.WhenAll(Enumerable.Range(1, Reports).Select(n => Task.Run(async () =>
        {
            var outcome = Assert.IsType<ReportOutcome.Accepted>(await figures.ReportAsync(
                new ReportRequest("kailu", [new FigureEntry("signed-projects", 1000 + n, Reason: "顺序")], "reporter-kailu", Channels.Api)));
            lock (accepted) accepted.Add((outcome.Changes[0].Version, 1000m + n));
        })));

        await all.Task.WaitAsync(Wait);
        Assert.Equal(accepted.OrderBy(a => a.Version).Select(a => a.Value), seen);
    }
}
