using LiveBoard.Core.Inspection;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Live;
using System.Collections.Immutable;
using LiveBoard.Core;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Display;

/// <summary>One accepted figure for the latest-reports ticker.</summary>
public sealed record TickerItem(long Id, District District, Indicator Indicator, decimal NewValue, decimal? OldValue, DateTimeOffset ChangedAt);

/// <summary>Whether a district has sent a report today (seeded starting values do not count).</summary>

/// <summary>One touring group's route for the day, in visiting order, with the visits marked so far.</summary>
public sealed record TouringRoute(TouringGroup Group, IReadOnlyList<SiteRow> Sites);

/// <summary>Everything the panels of a wall display show, read in one go.</summary>
public sealed record DisplayModel(
    OverviewModel Overview,
    IReadOnlyList<TickerItem> Ticker,
    ReportingDay? Status,
    DateOnly ItineraryDay,
    IReadOnlyList<TouringRoute> Itinerary,
    IReadOnlyList<Indicator> BusinessEnvironment,
    IReadOnlyDictionary<(string District, string Indicator), Grade> Grades);

/// <summary>
/// One display model, the time the server finished building it (<see cref="LoadedAt"/>, also the stamp the bench uses to
/// split server time from browser time) and the change count it reflects. Shared, read-only, by every open screen.
/// </summary>
public sealed record DisplaySnapshot(DisplayModel? Model, DateTimeOffset LoadedAt, long Version);

/// <summary>
/// What every wall display shows, as one immutable snapshot shared by all open screens. It follows the change feed
/// itself: after a change it loads once and hands the same snapshot to every screen that follows it. Twenty screens used
/// to each react to the event with their own reload (a key check, then a shared load that most of them had to queue
/// behind), and kept up to twenty different copies of the model between changes (bench, 2026-11-29).
/// Reporting status and the itinerary come from their own features, so the wall shows exactly what their pages show.
/// </summary>
public sealed class DisplayDataService : IDisposable
{
    public const int TickerLength = 10;

    // A change written without an event on the feed (none is known, but a later feature could forget one) shows on a
    // screen opened this long after the last load at the latest; open screens are refreshed by the feed only, as before.
    internal static readonly TimeSpan MaxReuse = TimeSpan.FromSeconds(30);

    private readonly SharedLoad<DisplaySnapshot> _shared;
    private readonly Coalescer _refresh;
    private readonly IDisposable _subscription;
    private readonly TimeProvider _clock;
    private readonly ILogger<DisplayDataService> _log;
    private readonly Lock _gate = new();
    private ImmutableArray<Func<DisplaySnapshot, Task>> _followers = [];
    private DisplaySnapshot? _current;
    private long _changes;
    private long _loads;
    // When the last change was announced (Stopwatch timestamp): it was committed before, so any load started since sees it.
    private long _lastChange;

    public DisplayDataService(OverviewService overview, IDbContextFactory<LiveBoardDbContext> dbFactory,
        ReportingStatus reporting, InspectionService inspection, IChangeFeed feed, TimeProvider clock, ILogger<DisplayDataService> log)
    {
        _clock = clock;
        _log = log;
        // Changes announced before this service listened are only known to have been committed before now.
        _lastChange = System.Diagnostics.Stopwatch.GetTimestamp();
        // Loads that overlap are shared (a screen opening while the feed-driven reload runs waits for the same one).
        _shared = new(async () =>
        {
            // Read before loading: a change committed while the load runs makes this snapshot out of date.
            var version = Interlocked.Read(ref _changes);
            Interlocked.Increment(ref _loads);
            var model = await LoadAsync(overview, dbFactory, reporting, inspection, Volatile.Read(ref _lastChange), CancellationToken.None);
            return new DisplaySnapshot(model, clock.GetUtcNow(), version);
        });
        // No pause: a wall should show a figure the moment it is committed; one load in flight plus one queued bounds
        // the work under a stream of writes, whatever the number of screens.
        _refresh = new Coalescer(RefreshAsync, ex =>
        {
            // The screens keep the last good snapshot; the next change tries again.
            log.LogWarning(ex, "Could not reload the wall display data; screens keep the last good state");
            return Task.CompletedTask;
        });
        _subscription = feed.Subscribe(OnChangeAsync);
    }

    /// <summary>The latest snapshot if nothing changed since it was loaded, else a fresh one.</summary>
    public async Task<DisplaySnapshot> GetSnapshotAsync(CancellationToken ct = default)
    {
        var wanted = Interlocked.Read(ref _changes);
        if (Volatile.Read(ref _current) is { } current && current.Version >= wanted && _clock.GetUtcNow() - current.LoadedAt < MaxReuse)
            return current;
        // A load that started after the last announced change reflects every change counted above.
        return Keep(await _shared.GetAsync(Volatile.Read(ref _lastChange), ct));
    }

    public async Task<DisplayModel?> GetAsync(CancellationToken ct = default) => (await GetSnapshotAsync(ct)).Model;

    /// <summary>
    /// Calls <paramref name="onChanged"/> with each new snapshot, loaded once after a change for all followers, until the
    /// returned subscription is disposed. Called on a thread-pool thread: a page marshals onto its renderer.
    /// </summary>
    public IDisposable Follow(Func<DisplaySnapshot, Task> onChanged)
    {
        ImmutableInterlocked.Update(ref _followers, (list, f) => list.Add(f), onChanged);
        // A change that came while nobody followed loaded nothing (see OnChangeAsync); nor did one that came between this
        // page's own load and now. Either way the newest snapshot is older than the changes counted: load it now.
        if (Volatile.Read(ref _current) is not { } current || current.Version < Interlocked.Read(ref _changes)) _refresh.Request();
        return new Following(this, onChanged);
    }

    internal int FollowerCount => _followers.Length;

    /// <summary>Display models loaded since start (each a full read of the campaign).</summary>
    internal long Loads => Interlocked.Read(ref _loads);

    private Task OnChangeAsync(CampaignEvent change)
    {
        // Screen commands and key changes are for the pages themselves; they change no data.
        if (change is ScreenCommand or ScreenAccessChanged) return Task.CompletedTask;
        Volatile.Write(ref _lastChange, System.Diagnostics.Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _changes);
        // No screen open, nothing to load: during the bench's hub fan-out (10 reports/s, no wall open) these loads were a
        // full campaign read after every report. The count above makes the next screen load fresh (GetSnapshotAsync),
        // and Follow catches up a screen that starts following after this check.
        if (_followers.IsEmpty) return Task.CompletedTask;
        _refresh.Request();
        return Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        var snapshot = await GetSnapshotAsync();
        var followers = _followers;
        // All screens at once: awaiting them one by one would put every render ahead of the last screen's.
        await Task.WhenAll(followers.Select(f => NotifyAsync(f, snapshot)));
    }

    private async Task NotifyAsync(Func<DisplaySnapshot, Task> follower, DisplaySnapshot snapshot)
    {
        // One closed or broken screen must not keep the snapshot from the others.
        try { await follower(snapshot); }
        catch (Exception ex) { _log.LogWarning(ex, "A wall display could not take the new snapshot"); }
    }

    // Remembers the newest snapshot; an older one finishing late never replaces it.
    private DisplaySnapshot Keep(DisplaySnapshot snapshot)
    {
        lock (_gate)
        {
            if (_current is null || snapshot.Version > _current.Version || (snapshot.Version == _current.Version && snapshot.LoadedAt > _current.LoadedAt))
                Volatile.Write(ref _current, snapshot);
            return _current;
        }
    }

    public void Dispose() => _subscription.Dispose();

    private sealed class Following(DisplayDataService service, Func<DisplaySnapshot, Task> follower) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                ImmutableInterlocked.Update(ref service._followers, (list, f) => list.Remove(f), follower);
        }
    }

    private static async Task<DisplayModel?> LoadAsync(OverviewService overview, IDbContextFactory<LiveBoardDbContext> dbFactory,
        ReportingStatus reporting, InspectionService inspection, long lastChange, CancellationToken ct)
    {
        // The hub's ranking asks for the overview right after the same change: share its load if it started after the change.
        var model = await overview.GetAsync(lastChange, ct);
        if (model is null) return null;
        var campaign = model.Campaign;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var revisions = await db.FigureRevisions.AsNoTracking().Where(r => r.CampaignId == campaign.Id)
            .OrderByDescending(r => r.Id).Take(TickerLength).ToListAsync(ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id);
        var ticker = revisions
            .Where(r => districts.ContainsKey(r.DistrictId) && indicators.ContainsKey(r.IndicatorId))
            .Select(r => new TickerItem(r.Id, districts[r.DistrictId], indicators[r.IndicatorId], r.NewValue, r.OldValue, r.ChangedAt))
            .ToList();

        var status = await reporting.TodayAsync(ct);
        var route = await inspection.ItineraryAsync(ct: ct);
        var day = route?.Day ?? campaign.StartDate;
        var itinerary = campaign.TouringGroups
            .Select(g => new TouringRoute(g, route?.Sites.Where(s => s.Group == g.Code).OrderBy(s => s.Order).ToList() ?? []))
            .ToList();

        var business = campaign.Indicators.Where(i => i.Category == IndicatorCategory.BusinessEnvironment).ToList();
        var (_, _, graded) = await inspection.GradesAsync(ct: ct);
        var grades = graded.ToDictionary(g => g.Key, g => g.Value.Grade);
        return new DisplayModel(model, ticker, status, day, itinerary, business, grades);
    }
}
