using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Data;

namespace LiveBoard.Web.Standings;

/// <summary>One accepted figure, for the latest-changes ticker.</summary>
public sealed record RecentChange(long Id, District District, Indicator Indicator, decimal NewValue, decimal? OldValue, DateTimeOffset ChangedAt);

/// <summary>Where a site stands on its group's route: visited, the group is there now, the next stop, or later.</summary>
public enum StopProgress { Visited, Current, Next, Later }

/// <summary>One touring group's route for the day, in visiting order, with the visits marked so far.</summary>
public sealed record TouringRoute(TouringGroup Group, IReadOnlyList<SiteRow> Sites)
{
    /// <summary>Kilometres driven so far today: the legs entered for the sites reached.</summary>
    public decimal KilometresSoFar => Sites.Where(s => s.Visit is not null).Sum(s => s.Kilometres ?? 0);

    public int VisitedCount => Sites.Count(s => s.Visit == Core.Inspection.VisitKind.Visited);

    /// <summary>
    /// Each site's progress. The group is at a site it arrived at and has not left; the next stop is the first not reached
    /// after the last one reached (a site skipped on the way stays "later": the route was changed, not missed).
    /// </summary>
    public StopProgress ProgressOf(SiteRow site)
    {
        if (site.Visit == Core.Inspection.VisitKind.Visited) return StopProgress.Visited;
        if (site.Visit == Core.Inspection.VisitKind.Arrived) return StopProgress.Current;
        var lastReached = Sites.Select((s, i) => (s, i)).LastOrDefault(x => x.s.Visit is not null);
        var next = Sites.Skip(lastReached.s is null ? 0 : lastReached.i + 1).FirstOrDefault(s => s.Visit is null);
        return ReferenceEquals(next, site) ? StopProgress.Next : StopProgress.Later;
    }
}

/// <summary>
/// The city's standings and what every screen shows beside them, as they were after the change counted by
/// <see cref="Version"/>. One instance is shared, read-only, by every reader: overview, wall displays, meeting pages,
/// the API and the hub. <see cref="ComputedAt"/> is when the server finished it (the bench splits server time from
/// browser time at this stamp).
/// </summary>
public sealed record StandingsSnapshot(
    long Version,
    DateTimeOffset ComputedAt,
    CityStandings City,
    IReadOnlyList<RecentChange> Recent,
    ReportingDay Reporting,
    DateOnly ItineraryDay,
    IReadOnlyList<TouringRoute> Itinerary,
    DateTimeOffset? LastChange)
{
    public Campaign Campaign => City.Campaign;
}
