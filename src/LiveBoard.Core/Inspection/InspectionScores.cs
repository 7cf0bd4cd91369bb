namespace LiveBoard.Core.Inspection;

/// <summary>A site's aggregated score and how it was reached, so the "why" can be shown.</summary>
public sealed record SiteScore(decimal? Score, int Observers, bool Trimmed);

/// <summary>Aggregates observers' marks into site and district scores.</summary>
public static class InspectionScores
{
    /// <summary>
    /// The mean of the observers' totals; from <see cref="ScoringScheme.TrimThreshold"/> observers on, the scheme's number
    /// of highest and lowest totals are dropped first (only that many, even when more observers tie on them).
    /// No observers: no score (null), never 0.
    /// </summary>
    public static SiteScore Site(ScoringScheme scheme, IReadOnlyCollection<ObserverScore> scores)
    {
        if (scores.Count == 0) return new SiteScore(null, 0, false);
        var totals = scores.Select(scheme.Total).Order().ToList();
        var trimmed = scores.Count >= scheme.TrimThreshold;
        if (trimmed) totals = totals.Skip(scheme.DropLowest).Take(totals.Count - scheme.DropLowest - scheme.DropHighest).ToList();
        return new SiteScore(Math.Round(totals.Average(), 2), scores.Count, trimmed);
    }

    /// <summary>The mean of a district's scored sites; sites nobody scored do not count; none scored: null.</summary>
    public static decimal? District(IEnumerable<SiteScore> sites)
    {
        var scored = sites.Where(s => s.Score is not null).Select(s => s.Score!.Value).ToList();
        return scored.Count == 0 ? null : Math.Round(scored.Average(), 2);
    }
}
