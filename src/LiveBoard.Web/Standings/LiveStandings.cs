using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Standings;

/// <summary>
/// The standings room: follows the change feed, and after each change that may move the standings loads once, has Core
/// compute once, and hands the same immutable <see cref="StandingsSnapshot"/> to every reader. Readers never load or
/// rank for themselves: pages and panels follow it (<see cref="Follow"/>), the API, the hub and the meeting ask for the
/// current one (<see cref="CurrentAsync"/>).
/// </summary>
/// <remarks>
/// No work for nobody: while no page follows, a change only marks the snapshot out of date, and the next reader loads.
/// Loads that overlap are shared, and a burst of changes costs one load in flight plus one queued. The changes of one
/// write (an import's 10,000 figures) are committed before the first is announced: the load waits for the last of them
/// (<see cref="IChangeFeed.EndsWrite"/>), so that one import is one update on every screen, not two.
/// </remarks>
public sealed partial class LiveStandings : IDisposable
{
    // A change written without an event on the feed (none is known, but a later feature could forget one) shows on a
    // screen opened this long after the last load at the latest; open screens are refreshed by the feed only.
    internal static readonly TimeSpan MaxReuse = TimeSpan.FromSeconds(30);

    private sealed record Loaded(StandingsSnapshot? Snapshot, long Version, DateTimeOffset At, DateOnly Day);

    private readonly SharedLoad<Loaded> _shared;
    private readonly Coalescer _refresh;
    private readonly IDisposable _subscription;
    private readonly Subscribers<StandingsSnapshot> _followers = new();
    private readonly IChangeFeed _feed;
    private readonly TimeProvider _clock;
    private readonly CampaignClock _campaignClock;
    private readonly ILogger<LiveStandings> _log;
    private readonly Lock _gate = new();
    private Loaded? _current;
    private long _changes;
    private long _loads;
    // When the last change was announced (Stopwatch timestamp): it was committed before, so any load started since sees it.
    private long _lastChange;

    public LiveStandings(StandingsLoader loader, IChangeFeed feed, TimeProvider clock, CampaignClock campaignClock, ILogger<LiveStandings> log)
    {
        _clock = clock;
        _feed = feed;
        _campaignClock = campaignClock;
        _log = log;
        // Changes announced before this room listened are only known to have been committed before now.
        _lastChange = System.Diagnostics.Stopwatch.GetTimestamp();
        _shared = new(async () =>
        {
            // Read before loading: a change committed while the load runs makes this snapshot out of date.
            var version = Interlocked.Read(ref _changes);
            var day = campaignClock.Today;
            Interlocked.Increment(ref _loads);
            var snapshot = await loader.LoadAsync(version, clock, CancellationToken.None);
            return new Loaded(snapshot, version, clock.GetUtcNow(), day);
        });
        // No pause: a wall should show a figure the moment it is committed.
        _refresh = new Coalescer(RefreshAsync, ex =>
        {
            // Followers keep the last good snapshot; the next change tries again.
            LogReloadFailed(log, ex);
            return Task.CompletedTask;
        });
        _subscription = feed.Subscribe(OnChangeAsync);
    }

    /// <summary>The standings as of every change announced before this call; null when there is no campaign.</summary>
    public async Task<StandingsSnapshot?> CurrentAsync(CancellationToken ct = default) => (await GetAsync(ct)).Snapshot;

    /// <summary>
    /// Calls <paramref name="onChanged"/> with each new snapshot, computed once after a change for all followers, until
    /// the returned subscription is disposed. Called on a thread-pool thread: a page marshals onto its renderer.
    /// </summary>
    public IDisposable Follow(Func<StandingsSnapshot, Task> onChanged)
    {
        var subscription = _followers.Add(onChanged);
        // A change that came while nobody followed loaded nothing (see OnChangeAsync); nor did one that came between this
        // page's own load and now. Either way the newest snapshot is older than the changes counted: load it now.
        if (Volatile.Read(ref _current) is not { } current || current.Version < Interlocked.Read(ref _changes)) _refresh.Request();
        return subscription;
    }

    internal int FollowerCount => _followers.Count;

    /// <summary>No refresh for followers is running or requested.</summary>
    internal bool RefreshIdle => _refresh.Idle;

    /// <summary>Completes once no refresh for followers is running or requested (polls; for tests).</summary>
    internal Task WhenIdleAsync(CancellationToken ct = default) => _refresh.WhenIdleAsync(ct);

    /// <summary>Snapshots loaded since start (each a full read of the campaign).</summary>
    internal long Loads => Interlocked.Read(ref _loads);

    private async Task<Loaded> GetAsync(CancellationToken ct)
    {
        var wanted = Interlocked.Read(ref _changes);
        if (Volatile.Read(ref _current) is { } current && current.Version >= wanted && _clock.GetUtcNow() - current.At < MaxReuse
            && current.Day == _campaignClock.Today)
            return current;
        // A load that started after the last announced change reflects every change counted above.
        return Keep(await _shared.GetAsync(Volatile.Read(ref _lastChange), ct));
    }

    private Task OnChangeAsync(CampaignEvent change)
    {
        if (!change.ChangesStandings) return Task.CompletedTask;
        Volatile.Write(ref _lastChange, System.Diagnostics.Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _changes);
        // More of the same write follows at once: counted above (a reader now still loads fresh), loaded after the last.
        if (!_feed.EndsWrite(change)) return Task.CompletedTask;
        // Nobody follows, nothing to load: the count above makes the next reader load fresh, and Follow catches up a
        // page that starts following after this check. Except for a new current campaign: the load moves the campaign
        // clock to its time zone (StandingsLoader), which every time shown on this instance depends on.
        if (_followers.IsEmpty && change is not CampaignActivated) return Task.CompletedTask;
        _refresh.Request();
        return Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        if ((await GetAsync(CancellationToken.None)).Snapshot is not { } snapshot) return;
        // All followers at once: awaiting them one by one would put every render ahead of the last screen's.
        await Task.WhenAll(_followers.Current.Select(f => NotifyAsync(f, snapshot)));
    }

    private async Task NotifyAsync(Func<StandingsSnapshot, Task> follower, StandingsSnapshot snapshot)
    {
        // One closed or broken screen must not keep the snapshot from the others.
        try { await follower(snapshot); }
        catch (Exception ex) { LogFollowerFailed(_log, ex); }
    }

    // Remembers the newest snapshot; an older one finishing late never replaces it.
    private Loaded Keep(Loaded loaded)
    {
        lock (_gate)
        {
            if (_current is null || loaded.Version > _current.Version || (loaded.Version == _current.Version && loaded.At > _current.At))
                Volatile.Write(ref _current, loaded);
            return _current;
        }
    }

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the standings; screens keep the last good state")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A follower could not take the new standings")]
    private static partial void LogFollowerFailed(ILogger logger, Exception exception);
}
