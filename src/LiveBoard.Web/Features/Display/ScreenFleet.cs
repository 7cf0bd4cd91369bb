using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Display;

/// <summary>One open display page (one browser tab on one wall PC), as its last heartbeat described it.</summary>
public sealed record ScreenPresence(string Id, string Slug, string Panel, int Width, int Height, DateTimeOffset ConnectedAt, DateTimeOffset LastHeartbeat,
    string Instance = "");

/// <summary>An organiser's instruction to the open pages of a screen: "reload" or "panel" (show <see cref="Panel"/>).</summary>
public sealed record ScreenCommand(string Slug, string Command, string? Panel, DateTimeOffset IssuedAt) : LiveBoard.Core.CampaignEvent(0, IssuedAt)
{
    public override bool ChangesStandings => false;

    public const string Reload = "reload";
    public const string ShowPanel = "panel";
}

/// <summary>
/// Which screens are open right now, on every instance. This instance answers for its own pages from memory (a page is
/// only open while the process that holds its circuit lives); each heartbeat is also written to the database, tagged
/// with this instance, so that an organiser on any instance sees the whole fleet. Rows of an instance that died simply
/// stop beating and drop out after three beats; its pages beat again from the instance they reconnect to.
/// Commands travel on the change feed, so they reach pages on every instance.
/// </summary>
public sealed partial class ScreenFleet : IAsyncDisposable
{
    /// <summary>How often a display page reports (seconds, default 10); a page silent for three beats is shown as offline.</summary>
    public const string HeartbeatSetting = "LiveBoard:Display:HeartbeatSeconds";

    /// <summary>
    /// How often a display page reports. A wall PC that lost its network says no goodbye: its page stops beating (the
    /// size it is asked for never comes back), so it drops off the fleet three beats after its last one, 30 s by default.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; }

    private readonly IChangeFeed feed;
    private readonly TimeProvider clock;
    private readonly IDbContextFactory<LiveBoardDbContext> dbFactory;
    private readonly ILogger<ScreenFleet>? log;
    private readonly ConcurrentDictionary<string, ScreenPresence> _pages = new();
    // Page ids whose row is to be written (or, once the page left, removed), by one writer in order.
    private readonly Channel<string> _writes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public ScreenFleet(IChangeFeed feed, TimeProvider clock, IDbContextFactory<LiveBoardDbContext> dbFactory, ILogger<ScreenFleet>? log = null,
        IConfiguration? configuration = null)
    {
        (this.feed, this.clock, this.dbFactory, this.log) = (feed, clock, dbFactory, log);
        HeartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, configuration?.GetValue(HeartbeatSetting, 10) ?? 10));
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>This instance, as the fleet's rows name it.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public void Beat(string id, string slug, string panel, int width, int height)
    {
        var now = clock.GetUtcNow();
        _pages.AddOrUpdate(id,
            _ => new ScreenPresence(id, slug, panel, width, height, now, now, Instance),
            (_, old) => old with { Slug = slug, Panel = panel, Width = width, Height = height, LastHeartbeat = now });
        _writes.Writer.TryWrite(id);
    }

    public void Leave(string id)
    {
        _pages.TryRemove(id, out _);
        _writes.Writer.TryWrite(id);
    }

    public IReadOnlyList<ScreenPresence> Online()
    {
        var cutoff = clock.GetUtcNow() - 3 * HeartbeatInterval;
        var pages = _pages.Values.Where(p => p.LastHeartbeat >= cutoff).ToList();
        try
        {
            using var db = dbFactory.CreateDbContext();
            pages.AddRange(db.ScreenPresences.AsNoTracking().Where(p => p.Instance != Instance && p.LastHeartbeat >= cutoff).AsEnumerable()
                .Select(p => new ScreenPresence(p.Id, p.Slug, p.Panel, p.Width, p.Height, p.ConnectedAt, p.LastHeartbeat, p.Instance)));
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // This instance's own pages are still known.
            if (log is not null) LogFleetNotRead(log, ex);
        }
        return pages.OrderBy(p => p.Slug).ThenBy(p => p.ConnectedAt).ToList();
    }

    public Task ReloadAsync(string slug) =>
        feed.PublishAsync(new ScreenCommand(slug, ScreenCommand.Reload, null, clock.GetUtcNow()));

    public Task ShowPanelAsync(string slug, string panel) => PanelIds.IsKnown(panel)
        ? feed.PublishAsync(new ScreenCommand(slug, ScreenCommand.ShowPanel, panel, clock.GetUtcNow()))
        : throw new ArgumentException($"Unknown panel '{panel}'.", nameof(panel));

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var due = new HashSet<string>();
        while (await reader.WaitToReadAsync())
        {
            due.Clear();
            while (reader.TryRead(out var id)) due.Add(id);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var rows = await db.ScreenPresences.Where(p => due.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
                foreach (var id in due)
                {
                    var row = rows.GetValueOrDefault(id);
                    if (!_pages.TryGetValue(id, out var page))
                    {
                        if (row is not null) db.ScreenPresences.Remove(row);
                        continue;
                    }
                    if (row is null)
                        db.ScreenPresences.Add(row = new ScreenPresenceRecord { Id = id, Slug = page.Slug, Panel = page.Panel, Instance = Instance });
                    (row.Slug, row.Panel, row.Width, row.Height, row.Instance, row.ConnectedAt, row.LastHeartbeat) =
                        (page.Slug, page.Panel, page.Width, page.Height, Instance, page.ConnectedAt, page.LastHeartbeat);
                }
                // Rows nobody has beaten for an hour: their instances are gone.
                var stale = clock.GetUtcNow() - TimeSpan.FromHours(1);
                db.ScreenPresences.RemoveRange(await db.ScreenPresences.Where(p => p.LastHeartbeat < stale).ToListAsync());
                await db.SaveChangesAsync();
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
            {
                // Presence is refreshed by the next beat; a lost write only delays how others see this screen.
                if (log is not null) LogFleetNotWritten(log, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The screen fleet of other instances could not be read")]
    private static partial void LogFleetNotRead(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance's screens could not be written to the fleet")]
    private static partial void LogFleetNotWritten(ILogger logger, Exception exception);
}
