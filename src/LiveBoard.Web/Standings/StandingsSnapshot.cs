using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Data;

namespace LiveBoard.Web.Standings;

/// <summary>One accepted figure, for the latest-changes ticker.</summary>
public sealed record RecentChange(long Id, District District, Indicator Indicator, decimal NewValue, decimal? OldValue, DateTimeOffset ChangedAt);

/// <summary>One touring group's route for the day, in visiting order, with the visits marked so far.</summary>
public sealed record TouringRoute(TouringGroup Group, IReadOnlyList<SiteRow> Sites);

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
