using LiveBoard.Core.Campaigns;

namespace LiveBoard.Core.Ranking;

/// <summary>
/// Turns one district's value of one indicator into a score from 0 to 100 so that indicators with
/// different units can be weighed together. A strategy, so a city can choose how it compares districts.
/// </summary>
public interface INormalisation
{
    string Name { get; }

    /// <param name="indicator">the indicator being scored</param>
    /// <param name="value">the district's reported value</param>
    /// <param name="reported">every reporting district's value of this indicator, this one included</param>
    /// <param name="target">the district's target for the indicator (<see cref="Indicator.TargetOf"/>); null when it has none</param>
    decimal Score(Indicator indicator, decimal value, IReadOnlyList<decimal> reported, decimal? target);
}

/// <summary>
/// The efficacy-coefficient method (功效系数法) common in Chinese government assessments:
/// score = floor + span × (x − worst) / (best − worst). With the defaults the best district gets 100,
/// the worst reporting district 60, and a district that did not report gets 0 (see <see cref="RankingEngine"/>),
/// so not reporting is always worse than reporting the lowest figure. When every district reports the same
/// value they all get the full score.
/// </summary>
public sealed class EfficacyCoefficientNormalisation(decimal floor = 60m, decimal span = 40m) : INormalisation
{
    public string Name => "efficacy-coefficient";

    public decimal Score(Indicator indicator, decimal value, IReadOnlyList<decimal> reported, decimal? target)
    {
        var min = reported.Min();
        var max = reported.Max();
        if (max == min) return floor + span;
        var share = indicator.Direction == Direction.HigherIsBetter
            ? (value - min) / (max - min)
            : (max - value) / (max - min);
        return floor + span * share;
    }
}

/// <summary>
/// Share of target reached, capped: score = 100 × min(cap, x / districtTarget). The district target is the district's
/// own where the organisers set one, else the city target divided evenly for indicators that add up, and the city
/// target itself for rates.
/// For lower-is-better indicators the share is target / x. Indicators without a target fall back to
/// <see cref="EfficacyCoefficientNormalisation"/>.
/// </summary>
public sealed class TargetAttainmentNormalisation(decimal cap = 1.2m) : INormalisation
{
    private readonly EfficacyCoefficientNormalisation _fallback = new();

    public string Name => "target-attainment";

    public decimal Score(Indicator indicator, decimal value, IReadOnlyList<decimal> reported, decimal? target)
    {
        if (target is not > 0)
            return _fallback.Score(indicator, value, reported, target);
        decimal share = indicator.Direction == Direction.HigherIsBetter
            ? value / target.Value
            : value <= 0 ? cap : target.Value / value;
        return 100m * Math.Clamp(share, 0m, cap) / cap;
    }
}
