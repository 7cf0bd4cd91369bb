using System.Collections.Concurrent;
using LiveBoard.Web.Live;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LiveBoard.Web.Features.Hub;

/// <summary>
/// The public live hub for non-Blazor consumers (LED controllers, other systems). Read-only: clients call nothing,
/// they receive "Snapshot" on connect and then "FigureReported", "RankingChanged" and "ReportingStatusChanged", or only
/// the topics they name in ?topics= (see docs/live-hub.md).
/// Who may connect is decided by the <see cref="ReaderPolicy"/> policy, so another scheme (bearer tokens for
/// signed-in roles) joins by being added to that policy, not by changing the hub.
/// </summary>
[Authorize(Policy = ReaderPolicy)]
public sealed class LiveHub(LiveStandings standings, LiveConnections connections, SnapshotFrames snapshots, TimeProvider clock) : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hubs/live";
    public const string ReaderPolicy = "LiveHubReader";

    /// <summary>A request of the hub's own (negotiate, or the WebSocket that lasts as long as its connection).</summary>
    public static bool Serves(HttpRequest request) => request.Path.StartsWithSegments(Path);

    public override async Task OnConnectedAsync()
    {
        // What the client draws decides what it is sent: an LED strip that shows the figures ticker should not receive,
        // parse and drop a 2.5 KB ranking every second (at 10,000 connections that is most of the hub's extra cost over
        // a bare SignalR hub; bench/notes/2026-11-29-fan-out.md). Without ?topics= a client gets every topic: one that
        // does not choose misses nothing.
        var requested = Context.GetHttpContext()?.Request.Query["topics"].ToString();
        var (topics, unknown) = LiveTopics.Parse(requested);
        if (unknown is not null)
            throw new HubException($"Unknown topic '{unknown}'. Topics: {string.Join(", ", LiveTopics.All)}.");
        // Counted before the snapshot below is read: a change that finds no subscriber (and so is not sent) is then
        // already in the snapshot this client gets.
        connections.Add(Context, topics, Context.User?.FindFirst(DisplayKeyAuthentication.ScreenClaim)?.Value);
        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveTopics.GroupOf(topics), Context.ConnectionAborted);
            var model = await standings.CurrentAsync(Context.ConnectionAborted);
            if (model is not null)
                await Clients.Caller.SendAsync("Snapshot", snapshots.For(model, clock.GetUtcNow()), Context.ConnectionAborted);
            await base.OnConnectedAsync();
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync failed.
            connections.Remove(Context);
            throw;
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>
/// What a hub client may ask for with ?topics=a,b: "figures" (FigureReported), "ranking" (RankingChanged), "status"
/// (ReportingStatusChanged). Each is a SignalR group, so a send costs only the connections that asked for it.
/// </summary>
public static class LiveTopics
{
    public const string Figures = "figures", Ranking = "ranking", Status = "status", Meeting = "meeting";
    public static readonly IReadOnlyList<string> All = [Figures, Ranking, Status, Meeting];

    /// <summary>The topics asked for (every topic when none are named), or the first name that is not a topic.</summary>
    public static (IReadOnlyList<string> Topics, string? Unknown) Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query)) return (All, null);
        var names = query.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.FirstOrDefault(n => !All.Contains(n)) is { } unknown) return ([], unknown);
        // Each open connection keeps its list for its whole life: one shared list per choice of topics (in All's order),
        // not the query's own strings and a list per connection.
        return (Chosen[MaskOf(names)], null);
    }

    /// <summary>
    /// The one SignalR group of the connections that chose these topics. One group per choice, not one per topic: a
    /// viewer joins once, and each join to a group of thousands takes every lock of that group twice inside SignalR
    /// (GroupConnectionList.Equals counting both lists: 5 % of the restarted server's CPU in the reconnect storm, with two
    /// topics a viewer). SignalR keeps the name each connection joined with: these strings are shared.
    /// </summary>
    public static string GroupOf(IReadOnlyList<string> topics) => ChoiceGroups[MaskOf(topics)];

    /// <summary>The groups whose connections take <paramref name="topic"/>: every choice that has it.</summary>
    public static IReadOnlyList<string> GroupsWith(string topic) => Taking[topic];

    private static int MaskOf(IReadOnlyCollection<string> names) => All.Select((topic, i) => names.Contains(topic) ? 1 << i : 0).Sum();

    // Every choice of topics, indexed by its bit mask over All.
    private static readonly IReadOnlyList<string>[] Chosen = [.. Enumerable.Range(0, 1 << All.Count)
        .Select(mask => (IReadOnlyList<string>)[.. All.Where((_, i) => (mask & 1 << i) != 0)])];

    private static readonly string[] ChoiceGroups = [.. Chosen.Select(topics => "topics:" + string.Join(',', topics))];

    private static readonly Dictionary<string, IReadOnlyList<string>> Taking = All.Select((topic, i) => (topic, i)).ToDictionary(
        x => x.topic, x => (IReadOnlyList<string>)[.. Enumerable.Range(0, ChoiceGroups.Length).Where(mask => (mask & 1 << x.i) != 0).Select(mask => ChoiceGroups[mask])],
        StringComparer.Ordinal);
}

/// <summary>
/// The open hub connections: which topics each asked for (so nothing is computed for a topic nobody takes) and, for
/// those a display key opened, which screen (so a revoked key can be cut off at once).
/// </summary>
public sealed class LiveConnections
{
    private sealed record Entry(HubCallerContext Context, IReadOnlyList<string> Topics, string? Screen);

    private readonly ConcurrentDictionary<string, Entry> _open = new();
    private readonly ConcurrentDictionary<string, int> _subscribers = new();

    /// <summary>Counts the connection among the subscribers of each of its topics until <see cref="Remove"/>.</summary>
    public void Add(HubCallerContext context, IReadOnlyList<string> topics, string? screen)
    {
        if (!_open.TryAdd(context.ConnectionId, new Entry(context, topics, screen))) return;
        foreach (var topic in topics) _subscribers.AddOrUpdate(topic, 1, (_, n) => n + 1);
    }

    public void Remove(HubCallerContext context)
    {
        if (_open.TryRemove(context.ConnectionId, out var entry))
            foreach (var topic in entry.Topics) _subscribers.AddOrUpdate(topic, 0, (_, n) => n - 1);
    }

    /// <summary>This instance's connections that asked for <paramref name="topic"/>.</summary>
    public IReadOnlyList<string> ConnectionsOf(string topic) => [.. _open.Where(e => e.Value.Topics.Contains(topic)).Select(e => e.Key)];

    /// <summary>Connections that asked for <paramref name="topic"/>: nothing needs computing for a topic nobody takes.</summary>
    public int Subscribers(string topic) => _subscribers.TryGetValue(topic, out var n) ? n : 0;

    /// <summary>Closes every connection a screen's key opened; a client that still holds a valid key reconnects.</summary>
    public void AbortScreen(string screen)
    {
        foreach (var entry in _open.Values.Where(e => e.Screen == screen)) entry.Context.Abort();
    }
}
