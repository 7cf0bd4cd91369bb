using LiveBoard.Core.Inspection;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Live;

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

/// <summary>A site of the day with its observers' scores and their gap notes (找差距).</summary>
public sealed record SiteReview(SiteRow Site, decimal? Score, IReadOnlyList<string> Gaps, int Sheets);

/// <summary>Everything the meeting's items show, loaded once per change.</summary>
public sealed record MeetingData(
    DateOnly Day,
    OverviewModel Overview,
    IReadOnlyList<AgendaItem> Agenda,
    IReadOnlyList<SiteReview> Sites,
    string? GradeQuarter,
    IReadOnlyDictionary<(string District, string Indicator), DistrictGrade> Grades)
{
    public IEnumerable<SiteReview> SitesOf(string district) => Sites.Where(s => s.Site.District == district);
}

/// <summary>
/// The evening review meeting (点评小结会议): one state per day, kept in this process (a singleton), announced on the change
/// feed after every move so the room screens follow. One page drives at a time: a second presenter follows read-only
/// until it takes over explicitly, so two clickers never fight over the big screen.
/// </summary>
public sealed class MeetingService
{
    private readonly IChangeFeed feed;
    private readonly TimeProvider clock;
    private readonly OverviewService overview;
    private readonly InspectionService inspection;
    private readonly Lock _lock = new();
    private readonly Dictionary<DateOnly, MeetingState> _meetings = [];

    // Every room screen reloads on every click; the data only changes with a campaign change. So the data is cached per
    // day and dropped when anything but the meeting itself changes (every accepted change raises an event).
    private readonly Dictionary<DateOnly, (int Generation, MeetingData Data)> _cache = [];
    private int _generation;

    public MeetingService(IChangeFeed feed, TimeProvider clock, OverviewService overview, InspectionService inspection)
    {
        (this.feed, this.clock, this.overview, this.inspection) = (feed, clock, overview, inspection);
        // Subscribed for the app's lifetime (a singleton), and before any page that reads through it.
        feed.Subscribe(change =>
        {
            if (change is not MeetingChanged) Interlocked.Increment(ref _generation);
            return Task.CompletedTask;
        });
    }

    public MeetingState Get(DateOnly day)
    {
        lock (_lock) return _meetings.GetValueOrDefault(day) ?? MeetingState.Idle(day);
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

    private async Task<MeetingState> ChangeAsync(int campaignId, DateOnly day, Func<MeetingState, MeetingState?> change)
    {
        MeetingState next;
        lock (_lock)
        {
            var current = _meetings.GetValueOrDefault(day) ?? MeetingState.Idle(day);
            if (change(current) is not { } changed || changed == current) return current;
            next = changed with { At = clock.GetUtcNow() };
            _meetings[day] = next;
        }
        await feed.PublishAsync(new MeetingChanged(campaignId, day, next.Index, next.Active, next.Presenter, next.At), CancellationToken.None);
        return next;
    }

    /// <summary>The agenda and what its items show: overview, the day's sites with scores and gaps, grades.</summary>
    public async Task<MeetingData?> LoadAsync(DateOnly day, CancellationToken ct = default)
    {
        // Read before loading: a change that lands during the load leaves the entry stale, and the next call reloads.
        var generation = Volatile.Read(ref _generation);
        lock (_lock)
            if (_cache.TryGetValue(day, out var cached) && cached.Generation == generation) return cached.Data;
        var data = await ReadAsync(day, ct);
        if (data is not null)
            lock (_lock) _cache[day] = (generation, data);
        return data;
    }

    private async Task<MeetingData?> ReadAsync(DateOnly day, CancellationToken ct)
    {
        var model = await overview.GetAsync(ct);
        if (model is null) return null;
        var sites = await inspection.SitesAsync(day, null, ct);
        var groups = model.Campaign.TouringGroups.OrderBy(g => g.Id).Select(g => g.Code).ToList();
        var agenda = MeetingAgenda.Build(sites.Select(s => new RouteStop(s.Group, s.Order, s.District)), groups);
        var reviews = new List<SiteReview>();
        foreach (var site in sites)
        {
            var scores = await inspection.ScoresAsync(site.Id, ct);
            var gaps = scores?.Sheets.Select(s => s.Gaps).Where(g => !string.IsNullOrWhiteSpace(g)).ToList() ?? [];
            reviews.Add(new SiteReview(site, scores?.Aggregate.Score, gaps, scores?.Sheets.Count ?? 0));
        }
        var (quarter, _, grades) = await inspection.GradesAsync(null, ct);
        return new MeetingData(day, model, agenda, reviews, quarter, grades);
    }
}
