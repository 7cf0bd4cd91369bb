using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;

namespace LiveBoard.Core.Ranking;

/// <summary>One district's place for one indicator. <see cref="Value"/> null means not reported (shown "—").</summary>
/// <param name="Unranked">
/// true for a district an <see cref="Indicator.ExcludeWhenMissing"/> indicator does not judge yet (not visited, not graded):
/// it has no place on that indicator, is listed last and shows no rank number; <see cref="Rank"/> then only orders it last.
/// </param>
public sealed record IndicatorStanding(string DistrictCode, decimal? Value, int Rank, decimal Score, bool Unranked = false);

public sealed record IndicatorRanking(Indicator Indicator, IReadOnlyList<IndicatorStanding> Standings);

/// <summary>One district's place in the composite ranking.</summary>
public sealed record CompositeStanding(
    string DistrictCode,
    int Rank,
    decimal Score,
    Movement Movement,
    int MissingCount,
    IReadOnlyDictionary<string, decimal> IndicatorScores);

public sealed record RankingResult(IReadOnlyList<CompositeStanding> Composite, IReadOnlyList<IndicatorRanking> ByIndicator)
{
    public IndicatorRanking For(string indicatorCode) => ByIndicator.First(r => r.Indicator.Code == indicatorCode);
}

/// <summary>
/// Ranks districts per indicator and overall.
/// <list type="bullet">
/// <item>Per indicator: by value in the indicator's direction. Districts that did not report rank last, together.</item>
/// <item>Composite: the weighted mean of per-indicator scores (0–100) over ranked indicators (weight &gt; 0);
/// an indicator a district did not report scores 0 for it, unless the indicator is <see cref="Indicator.ExcludeWhenMissing"/>:
/// then the district's composite is the weighted mean over its other indicators.</item>
/// <item>Ties: standard competition ranking (1, 2, 2, 4). Ties are not broken by any hidden rule, because an
/// announced rank must be explainable; within a tie rows are listed in the campaign's official district order.
/// Composite scores are compared at 4 decimal places so that arithmetic noise never splits a real tie.</item>
/// </list>
/// </summary>
public sealed class RankingEngine(INormalisation normalisation)
{
    private const int ComparePrecision = 4;

    public INormalisation Normalisation => normalisation;

    public RankingResult Rank(
        IReadOnlyList<District> districts,
        IReadOnlyList<Indicator> indicators,
        FigureTable figures,
        RankingSnapshot? previous = null)
    {
        var ordered = districts.OrderBy(d => d.SortOrder).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        var ranked = indicators.Where(i => i.Category == IndicatorCategory.Headline)
            .OrderBy(i => i.SortOrder).ToList();

        var byIndicator = ranked.Select(i => RankIndicator(i, ordered, figures)).ToList();

        var rankedIndicators = byIndicator.Where(r => r.Indicator.IsRanked).ToList();
        var composite = ordered.Select(d =>
        {
            var weighted = rankedIndicators.Where(r => !r.Indicator.ExcludeWhenMissing || figures.Get(d.Code, r.Indicator.Code) is not null).ToList();
            var totalWeight = weighted.Sum(r => r.Indicator.Weight);
            var scores = weighted.ToDictionary(
                r => r.Indicator.Code,
                r => r.Standings.First(s => s.DistrictCode == d.Code).Score);
            var score = totalWeight == 0 ? 0m : weighted.Sum(r => r.Indicator.Weight * scores[r.Indicator.Code]) / totalWeight;
            var missing = weighted.Count(r => figures.Get(d.Code, r.Indicator.Code) is null);
            return (District: d, Score: Math.Round(score, ComparePrecision), Missing: missing, Scores: scores);
        }).ToList();

        var compositeRanks = CompetitionRanks(composite, c => c.Score, descending: true);
        var standings = composite
            .Select((c, i) => new CompositeStanding(
                c.District.Code,
                compositeRanks[i],
                c.Score,
                previous is null ? Movement.New : Movement.Between(compositeRanks[i], previous.RankOf(c.District.Code)),
                c.Missing,
                c.Scores))
            .OrderBy(s => s.Rank)
            .ThenBy(s => ordered.FindIndex(d => d.Code == s.DistrictCode))
            .ToList();

        return new RankingResult(standings, byIndicator);
    }

    private IndicatorRanking RankIndicator(Indicator indicator, List<District> districts, FigureTable figures)
    {
        var values = districts.Select(d => (District: d, Value: figures.Get(d.Code, indicator.Code))).ToList();
        var reported = values.Where(v => v.Value is not null).Select(v => v.Value!.Value).ToList();

        var reportedRows = values.Where(v => v.Value is not null).ToList();
        var sign = indicator.Direction == Direction.HigherIsBetter;
        var ranks = CompetitionRanks(reportedRows, v => v.Value!.Value, descending: sign);
        var standings = reportedRows
            .Select((v, i) => new IndicatorStanding(
                v.District.Code, v.Value, ranks[i],
                normalisation.Score(indicator, v.Value!.Value, reported, indicator.TargetOf(v.District.Code, districts.Count))))
            .ToList();

        // Not reporting ranks below everyone who did, all together, and scores nothing. On an indicator a district is not
        // judged on until it has a value (the inspection score before its sites are visited), it has no place at all.
        var missingRank = reportedRows.Count + 1;
        standings.AddRange(values.Where(v => v.Value is null)
            .Select(v => new IndicatorStanding(v.District.Code, null, missingRank, 0m, Unranked: indicator.ExcludeWhenMissing)));

        var order = districts.Select(d => d.Code).ToList();
        return new IndicatorRanking(indicator,
            standings.OrderBy(s => s.Rank).ThenBy(s => order.IndexOf(s.DistrictCode)).ToList());
    }

    /// <summary>Standard competition ranks (1, 2, 2, 4) for items in their given order.</summary>
    internal static int[] CompetitionRanks<T>(IReadOnlyList<T> items, Func<T, decimal> key, bool descending)
    {
        var ranks = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var mine = key(items[i]);
            ranks[i] = 1 + items.Count(other => descending ? key(other) > mine : key(other) < mine);
        }
        return ranks;
    }
}
