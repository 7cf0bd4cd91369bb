using LiveBoard.Core;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Meeting;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using LiveBoard.Web.Standings;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>Where a day's meeting stands. <see cref="PresenterSession"/> identifies the one page that drives.</summary>
public sealed record MeetingState(DateOnly Day, bool Active, int Index, string? Presenter, string? PresenterSession, DateTimeOffset At)
{
    public static MeetingState Idle(DateOnly day) => new(day, false, 0, null, null, DateTimeOffset.MinValue);
}

/// <summary>A meeting's day as it appears in URLs: yyyy-MM-dd.</summary>
public static class MeetingDay
{
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : null;
}

/// <summary>
/// A site of the day with its observers' scores, their gap notes (找差距) and highlights (亮点), and the mean marks by
/// dimension (比结构、比效率、比服务、比成果; empty before the first sheet).
/// </summary>
public sealed record SiteReview(SiteRow Site, decimal? Score, IReadOnlyList<string> Gaps, int Sheets)
{
    public IReadOnlyList<string> Highlights { get; init; } = [];
    public IReadOnlyDictionary<Dimension, decimal> Dimensions { get; init; } = new Dictionary<Dimension, decimal>();
}

/// <summary>Everything the meeting's items show: the city's standings, the day's agenda and its sites with their reviews.</summary>
public sealed record MeetingData(
    DateOnly Day,
    CityStandings City,
    IReadOnlyList<AgendaItem> Agenda,
    IReadOnlyList<SiteReview> Sites)
{
    public IEnumerable<SiteReview> SitesOf(string district) => Sites.Where(s => s.Site.District == district);

    public string? GradeQuarter => City.GradeQuarter;

    public IReadOnlyDictionary<(string District, string Indicator), Grade> Grades => City.Grades;
}

/// <summary>
/// The evening review meeting (点评小结会议): one state per day, kept in the database (a restart or another instance does not
/// end a meeting), announced on the change feed after every move so the room screens follow, whichever instance they are
/// on. One page drives at a time: a second presenter follows read-only until it takes over explicitly, so two clickers
/// never fight over the big screen.
/// </summary>
public sealed class MeetingService : IDisposable
{
    private readonly IChangeFeed feed;
    private readonly TimeProvider clock;
    private readonly LiveStandings standings;
    private readonly StandingsLoader loader;
    private readonly IDbContextFactory<LiveBoardDbContext> dbFactory;
    private readonly IDisposable _subscription;
    private readonly Lock _lock = new();
    // What the database said, for the room screens that ask on every render; dropped when another instance moves a meeting.
    private readonly Dictionary<DateOnly, MeetingState> _meetings = [];

    // Every room screen reloads on every click, but the data only changes with the standings: cached per day for the
    // snapshot it was read beside.
    private readonly Dictionary<DateOnly, (StandingsSnapshot Standings, MeetingData Data)> _cache = [];

    public MeetingService(IChangeFeed feed, TimeProvider clock, LiveStandings standings, StandingsLoader loader, IDbContextFactory<LiveBoardDbContext> dbFactory)
    {
        (this.feed, this.clock, this.standings, this.loader, this.dbFactory) = (feed, clock, standings, loader, dbFactory);
        // Subscribed before any page (this service is made before them), so a page that reloads on the same event reads
        // the new state.
        _subscription = feed.Subscribe(OnChangeAsync);
    }

    public MeetingState Get(DateOnly day)
    {
        lock (_lock)
            if (_meetings.TryGetValue(day, out var known)) return known;
        using var db = dbFactory.CreateDbContext();
        var state = State(day, db.Meetings.AsNoTracking().FirstOrDefault(m => m.Day == day));
        lock (_lock) _meetings.TryAdd(day, state);
        return state;
    }

    private static MeetingState State(DateOnly day, MeetingRecord? row) => row is null
        ? MeetingState.Idle(day)
        : new MeetingState(day, row.Active, row.Index, row.Presenter, row.PresenterSession, row.At);

    private Task OnChangeAsync(CampaignEvent change)
    {
        switch (change)
        {
            case MeetingChanged moved when !feed.CommittedHere(change):
                lock (_lock) _meetings.Remove(moved.Day);
                break;
            case FeedResynced:
                lock (_lock) _meetings.Clear();
                break;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the meeting, or joins it: the caller drives if nobody else is driving (also when the presenter's page was
    /// closed or reloaded and released the meeting: it goes on at the same item).
    /// </summary>
    public Task<MeetingState> OpenAsync(int campaignId, DateOnly day, string user, string session) =>
        ChangeAsync(campaignId, day, s => s.Active && s.PresenterSession is not null && s.PresenterSession != session
            ? null
            : s with { Active = true, Presenter = user, PresenterSession = session });

    /// <summary>The presenter's page went away (closed, reloaded): the meeting stays where it is, free for the next presenter.</summary>
    public Task<MeetingState> ReleaseAsync(int campaignId, DateOnly day, string session) =>
        ChangeAsync(campaignId, day, s => s.PresenterSession != session ? null : s with { PresenterSession = null });

    /// <summary>Takes the meeting over from another presenter (that page falls back to following).</summary>
    public Task<MeetingState> TakeOverAsync(int campaignId, DateOnly day, string user, string session) =>
        ChangeAsync(campaignId, day, s => s with { Active = true, Presenter = user, PresenterSession = session });

    /// <summary>Moves to an item; ignored unless <paramref name="session"/> drives.</summary>
    public Task<MeetingState> GoAsync(int campaignId, DateOnly day, string session, int index, int count) =>
        ChangeAsync(campaignId, day, s => !s.Active || s.PresenterSession != session ? null : s with { Index = Math.Clamp(index, 0, Math.Max(0, count - 1)) });

    public Task<MeetingState> EndAsync(int campaignId, DateOnly day, string session) =>
        ChangeAsync(campaignId, day, s => !s.Active || s.PresenterSession != session ? null : MeetingState.Idle(day));

    // Decided by the database, not in this process: the move applies to the row as it is now, and the row's version
    // refuses a write from a stale read (another instance moved or started the meeting meanwhile), which is then read again.
    private Task<MeetingState> ChangeAsync(int campaignId, DateOnly day, Func<MeetingState, MeetingState?> change) =>
        WriteRace.RetryAsync(() => ChangeOnceAsync(campaignId, day, change));

    private async Task<MeetingState> ChangeOnceAsync(int campaignId, DateOnly day, Func<MeetingState, MeetingState?> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.Meetings.FirstOrDefaultAsync(m => m.Day == day);
        var current = State(day, row);
        if (change(current) is not { } changed || changed == current)
        {
            lock (_lock) _meetings[day] = current;
            return current;
        }
        var next = changed with { At = clock.GetUtcNow() };
        if (row is null) db.Meetings.Add(row = new MeetingRecord { Day = day });
        (row.Active, row.Index, row.Presenter, row.PresenterSession, row.At) = (next.Active, next.Index, next.Presenter, next.PresenterSession, next.At);
        row.Version++;
        await db.SaveChangesAsync();
        lock (_lock) _meetings[day] = next;
        await feed.PublishAsync(new MeetingChanged(campaignId, day, next.Index, next.Active, next.Presenter, next.At), CancellationToken.None);
        return next;
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>The agenda and what its items show: the standings, the day's sites with scores and gaps.</summary>
    public async Task<MeetingData?> LoadAsync(DateOnly day, CancellationToken ct = default)
    {
        if (await standings.CurrentAsync(ct) is not { } snapshot) return null;
        lock (_lock)
            if (_cache.TryGetValue(day, out var cached) && ReferenceEquals(cached.Standings, snapshot)) return cached.Data;
        var data = await ReadAsync(day, snapshot.City, ct);
        lock (_lock)
            if (!_cache.TryGetValue(day, out var cached) || cached.Standings.Version <= snapshot.Version) _cache[day] = (snapshot, data);
        return data;
    }

    /// <summary>
    /// An earlier campaign's meeting day (the archive): its own standings, sites and observers' sheets, whichever campaign
    /// is current now. Not cached: the archive is read rarely and its campaign no longer changes.
    /// </summary>
    public async Task<MeetingData?> LoadArchivedAsync(int campaignId, DateOnly day, CancellationToken ct = default) =>
        await loader.ComposeAsync(campaignId, ct) is { } city ? await ReadAsync(day, city, ct) : null;

    private async Task<MeetingData> ReadAsync(DateOnly day, CityStandings city, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sites = await db.SiteRowsAsync(city.Campaign, day, ct: ct);
        var ids = sites.Select(s => s.Id).ToList();
        var sheets = (await db.SiteScoreSheets.AsNoTracking().Where(s => ids.Contains(s.SiteId)).OrderBy(s => s.Observer)
                .ToListAsync(ct))
            .ToLookup(s => s.SiteId);
        var gaps = sheets.SelectMany(g => g).ToLookup(s => s.SiteId, s => s.Gaps);
        var groups = city.Campaign.TouringGroups.OrderBy(g => g.Id).Select(g => g.Code).ToList();
        var agenda = MeetingAgenda.Build(sites.Select(s => new RouteStop(s.Group, s.Order, s.District)), groups);
        var reviews = sites.Select(site => new SiteReview(site, city.SiteScores.GetValueOrDefault(site.Id)?.Score,
            gaps[site.Id].Where(g => !string.IsNullOrWhiteSpace(g)).ToList(), gaps[site.Id].Count())
        {
            Highlights = sheets[site.Id].Select(s => s.Highlights).Where(h => !string.IsNullOrWhiteSpace(h)).ToList(),
            Dimensions = sheets[site.Id].Any() ? DimensionMeans(sheets[site.Id].Select(s => s.ToScore()).ToList()) : new Dictionary<Dimension, decimal>(),
        }).ToList();
        return new MeetingData(day, city, agenda, reviews);
    }

    private static Dictionary<Dimension, decimal> DimensionMeans(List<ObserverScore> scores) => new()
    {
        [Dimension.Structure] = Math.Round(scores.Average(s => s.Structure), 1),
        [Dimension.Efficiency] = Math.Round(scores.Average(s => s.Efficiency), 1),
        [Dimension.Service] = Math.Round(scores.Average(s => s.Service), 1),
        [Dimension.Results] = Math.Round(scores.Average(s => s.Results), 1),
    };
}
