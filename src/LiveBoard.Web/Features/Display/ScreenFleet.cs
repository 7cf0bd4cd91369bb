using LiveBoard.Web.Data;
using System.Collections.Concurrent;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Features.Display;

/// <summary>One open display page (one browser tab on one wall PC), as its last heartbeat described it.</summary>
public sealed record ScreenPresence(string Id, string Slug, string Panel, int Width, int Height, DateTimeOffset ConnectedAt, DateTimeOffset LastHeartbeat);

/// <summary>An organiser's instruction to the open pages of a screen: "reload" or "panel" (show <see cref="Panel"/>).</summary>
public sealed record ScreenCommand(string Slug, string Command, string? Panel, DateTimeOffset IssuedAt) : LiveBoard.Core.CampaignEvent(0, IssuedAt)
{
    public override bool ChangesStandings => false;

    public const string Reload = "reload";
    public const string ShowPanel = "panel";
}

/// <summary>
/// Which screens are open right now. In memory on purpose: presence is only true while the process that holds the
/// circuit lives, and every open page re-announces itself with its next heartbeat after a restart.
/// Commands travel on the change feed, so they reach pages on any machine once the feed is shared.
/// </summary>
public sealed class ScreenFleet(IChangeFeed feed, TimeProvider clock)
{
    /// <summary>How often a display page reports; a page silent for three beats is shown as offline.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ScreenPresence> _pages = new();

    public void Beat(string id, string slug, string panel, int width, int height)
    {
        var now = clock.GetUtcNow();
        _pages.AddOrUpdate(id,
            _ => new ScreenPresence(id, slug, panel, width, height, now, now),
            (_, old) => old with { Slug = slug, Panel = panel, Width = width, Height = height, LastHeartbeat = now });
    }

    public void Leave(string id) => _pages.TryRemove(id, out _);

    public IReadOnlyList<ScreenPresence> Online()
    {
        var cutoff = clock.GetUtcNow() - 3 * HeartbeatInterval;
        return _pages.Values.Where(p => p.LastHeartbeat >= cutoff).OrderBy(p => p.Slug).ThenBy(p => p.ConnectedAt).ToList();
    }

    public Task ReloadAsync(string slug) =>
        feed.PublishAsync(new ScreenCommand(slug, ScreenCommand.Reload, null, clock.GetUtcNow()));

    public Task ShowPanelAsync(string slug, string panel) => PanelIds.IsKnown(panel)
        ? feed.PublishAsync(new ScreenCommand(slug, ScreenCommand.ShowPanel, panel, clock.GetUtcNow()))
        : throw new ArgumentException($"Unknown panel '{panel}'.", nameof(panel));
}
