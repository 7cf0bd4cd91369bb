using System.Net.Http.Json;
using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests;

/// <summary>/hubs/live over a real Kestrel server with the real SignalR .NET client.</summary>
public sealed class LiveHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly LiveBoardHost _host = new();
    private Uri _root = default!;
    private ScreenWithKey _screen = default!;

    public async Task InitializeAsync()
    {
        _root = _host.Start();
        _screen = await _host.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HubConnection Connect(string? query) =>
        new HubConnectionBuilder().WithUrl(new Uri(_root, LiveHub.Path.TrimStart('/') + query)).Build();

    /// <summary>Completes with the first message of <paramref name="method"/> that matches.</summary>
    private static Task<T> Next<T>(HubConnection hub, string method, Func<T, bool>? match = null)
    {
        var received = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<T>(method, m => { if (match?.Invoke(m) ?? true) received.TrySetResult(m); });
        return received.Task;
    }

    [Fact]
    public async Task Signed_in_leader_reads_the_hub_with_a_bearer_token_and_a_bad_token_is_refused()
    {
        using var anonymous = new HttpClient { BaseAddress = _root };
        var token = await (await SignedInClients.RequestTokenAsync(anonymous, "leader", SignedInClients.DemoPassword(_host)))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var accessToken = token.GetProperty("accessToken").GetString()!;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        await hub.StartAsync();
        Assert.Equal(9, (await snapshot.WaitAsync(Wait)).Ranking.Count);

        await using var forged = new HubConnectionBuilder()
            .WithUrl(new Uri(_root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken + "x"))
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());
    }

    [Fact]
    public async Task Client_with_a_display_key_gets_the_snapshot_on_connect_then_events_after_a_write()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(_screen.Key)}");
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

        Assert.IsType<ReportOutcome.Accepted>(await _host.Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));

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
            .WithUrl(new Uri(_root, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(_screen.Key))
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
        await using var hub = Connect($"?key={Uri.EscapeDataString(_screen.Key)}");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var snapshot = Next<LiveSnapshot>(hub, "Snapshot");
        await hub.StartAsync();
        await snapshot.WaitAsync(Wait);

        await _host.Service<DisplayService>().RevokeAsync("led");

        await closed.Task.WaitAsync(Wait);
        await using var again = Connect($"?key={Uri.EscapeDataString(_screen.Key)}");
        await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
    }
}
