using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Standings;

namespace LiveBoard.Web.Features.Hub;

// The JSON contract of /hubs/live (documented in docs/live-hub.md). These are deliberately separate from the
// domain types: LED controllers and other systems depend on these names, not on our internals.

/// <summary>One district's place in the composite ranking. Movement is "up", "down", "same" or "new".</summary>
public sealed record LiveRankingEntry(string DistrictCode, string DistrictName, int Rank, decimal Score, string Movement, int Places, int MissingCount);

/// <summary>A city figure against its target; Value null means no district has reported it.</summary>
public sealed record LiveTotal(string IndicatorCode, string IndicatorName, string Unit, decimal? Value, decimal? Target, decimal? Progress, int Reporting, int Districts);

/// <summary>Sent to each client once, right after it connects: the state to draw before any event arrives.</summary>
public sealed record LiveSnapshot(string CampaignCode, string CampaignName, DateTimeOffset At, DateTimeOffset? LastChange,
    IReadOnlyList<LiveRankingEntry> Ranking, IReadOnlyList<LiveTotal> Totals);

/// <summary>An accepted figure. Who changed it stays internal.</summary>
public sealed record LiveFigureReported(string DistrictCode, string IndicatorCode, decimal? OldValue, decimal NewValue, int Version, DateTimeOffset ChangedAt, string Channel)
{
    public static LiveFigureReported From(FigureChanged e) =>
        new(e.DistrictCode, e.IndicatorCode, e.OldValue, e.NewValue, e.Version, e.ChangedAt, e.Channel);
}

/// <summary>A district's reporting status for today changed: it sent its first report of the day.</summary>
public sealed record LiveReportingStatusChanged(string DistrictCode, bool ReportedToday, DateTimeOffset LastReportAt);

/// <summary>The composite ranking after figures changed, with the city totals it came from.</summary>
public sealed record LiveRankingChanged(DateTimeOffset At, IReadOnlyList<LiveRankingEntry> Ranking, IReadOnlyList<LiveTotal> Totals);

/// <summary>
/// The evening meeting moved: <see cref="Step"/> is the agenda index, <see cref="ItemKind"/> "overview", "district",
/// "ranking", "gaps" or "grades" (null when the meeting is not running), <see cref="DistrictCode"/> set for a district item.
/// </summary>
public sealed record LiveMeetingChanged(string Day, bool Active, int Step, string? ItemKind, string? DistrictCode, DateTimeOffset At);

/// <summary>A ranking was published: its version, the day it is for (null for none) and where its document is read.</summary>
public sealed record LiveRankingPublished(int Version, string? Day, string Url, DateTimeOffset At);

public static class LivePayloads
{
    public static LiveSnapshot Snapshot(StandingsSnapshot standings, DateTimeOffset at) => new(
        standings.Campaign.Code, standings.Campaign.Name, at, standings.LastChange, Ranking(standings.City), Totals(standings.City));

    public static IReadOnlyList<LiveRankingEntry> Ranking(CityStandings model) => model.Ranking.Composite
        .Select(s => new LiveRankingEntry(s.DistrictCode, model.District(s.DistrictCode).Name, s.Rank, Math.Round(s.Score, 4),
            s.Movement.Kind.ToString().ToLowerInvariant(), s.Movement.Places, s.MissingCount))
        .ToList();

    public static IReadOnlyList<LiveTotal> Totals(CityStandings model) => model.Totals
        .Select(t => new LiveTotal(t.Indicator.Code, t.Indicator.Name, t.Indicator.Unit.ToString(), t.Value, t.Indicator.Target,
            t.Progress, t.Reporting, t.Districts))
        .ToList();
}
