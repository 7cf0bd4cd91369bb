using System.Collections.Concurrent;
using LiveBoard.Web.Features.Overview;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LiveBoard.Web.Live;

/// <summary>
/// The public live hub for non-Blazor consumers (LED controllers, other systems). Read-only: clients call nothing,
/// they receive "Snapshot" on connect and then "FigureReported", "RankingChanged" and "ReportingStatusChanged"
/// (see docs/live-hub.md).
/// Who may connect is decided by the <see cref="ReaderPolicy"/> policy, so another scheme (bearer tokens for
/// signed-in roles) joins by being added to that policy, not by changing the hub.
/// </summary>
[Authorize(Policy = ReaderPolicy)]
public sealed class LiveHub(OverviewService overview, LiveConnections connections, TimeProvider clock) : Hub
{
    public const string Path = "/hubs/live";
    public const string ReaderPolicy = "LiveHubReader";

    public override async Task OnConnectedAsync()
    {
        if (Context.User?.FindFirst(DisplayKeyAuthentication.ScreenClaim)?.Value is { } screen)
            connections.Add(screen, Context);
        var model = await overview.GetAsync(Context.ConnectionAborted);
        if (model is not null)
            await Clients.Caller.SendAsync("Snapshot", LivePayloads.Snapshot(model, clock.GetUtcNow()), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Open hub connections by the screen whose key opened them, so a revoked key can be cut off at once.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, (string Screen, HubCallerContext Context)> _open = new();

    public void Add(string screen, HubCallerContext context) => _open[context.ConnectionId] = (screen, context);

    public void Remove(HubCallerContext context) => _open.TryRemove(context.ConnectionId, out _);

    public int Count => _open.Count;

    /// <summary>Closes every connection a screen's key opened; a client that still holds a valid key reconnects.</summary>
    public void AbortScreen(string screen)
    {
        foreach (var (_, entry) in _open.Where(x => x.Value.Screen == screen)) entry.Context.Abort();
    }
}
