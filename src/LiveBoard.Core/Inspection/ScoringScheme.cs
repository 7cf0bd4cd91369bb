namespace LiveBoard.Core.Inspection;

/// <summary>The four things observers compare at a site: 比结构、比效率、比服务、比成果.</summary>
public enum Dimension
{
    Structure,
    Efficiency,
    Service,
    Results,
}

/// <summary>One observer's marks for one site.</summary>
public sealed record ObserverScore(string Observer, decimal Structure, decimal Efficiency, decimal Service, decimal Results)
{
    public decimal Points(Dimension d) => d switch
    {
        Dimension.Structure => Structure,
        Dimension.Efficiency => Efficiency,
        Dimension.Service => Service,
        _ => Results,
    };
}

public sealed record DimensionRule(Dimension Dimension, decimal MaxPoints, decimal Weight);

/// <summary>Why a score sheet is refused; the key names a resource string.</summary>
public sealed record ScoreError(Dimension Dimension, string Key, decimal Max);

/// <summary>
/// How a campaign scores sites: maximum points and weight per dimension, and from how many observers how many of the
/// highest and lowest totals are dropped (the judging convention 去掉一个最高分、去掉一个最低分).
/// </summary>
public sealed record ScoringScheme(IReadOnlyList<DimensionRule> Dimensions, int TrimThreshold = 5, int DropHighest = 1, int DropLowest = 1)
{
    /// <summary>The demo scheme: 25 points each, equal weights, trimming from 5 observers.</summary>
    public static ScoringScheme Default { get; } = new(
        Enum.GetValues<Dimension>().Select(d => new DimensionRule(d, 25m, 1m)).ToList());

    /// <summary>The trimming rule is usable: at the threshold, dropping the highest and lowest still leaves a score to average.</summary>
    public static bool TrimLeavesScores(int threshold, int dropHighest, int dropLowest) =>
        dropHighest >= 0 && dropLowest >= 0 && threshold > dropHighest + dropLowest;

    public IReadOnlyList<ScoreError> Validate(ObserverScore score)
    {
        var errors = new List<ScoreError>();
        foreach (var rule in Dimensions)
        {
            var points = score.Points(rule.Dimension);
            if (points < 0 || points > rule.MaxPoints)
                errors.Add(new ScoreError(rule.Dimension, "Score_OutOfRange", rule.MaxPoints));
            else if (points != decimal.Round(points, 1))
                errors.Add(new ScoreError(rule.Dimension, "Score_TooPrecise", rule.MaxPoints));
        }
        return errors;
    }

    /// <summary>
    /// One observer's total on a 0–100 scale: each dimension's share of its maximum, weighted.
    /// With the default scheme this is simply the sum of the four marks.
    /// </summary>
    public decimal Total(ObserverScore score)
    {
        var weight = Dimensions.Sum(d => d.Weight);
        if (weight == 0) return 0;
        var total = Dimensions.Sum(d => d.Weight * score.Points(d.Dimension) / d.MaxPoints) / weight * 100m;
        return Math.Round(total, 4);
    }
}
