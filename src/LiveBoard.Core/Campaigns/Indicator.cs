namespace LiveBoard.Core.Campaigns;

public enum IndicatorUnit
{
    /// <summary>Whole number of things (projects): non-negative integer.</summary>
    Count,
    /// <summary>Money in 亿元 (100 million yuan), as officials report investment.</summary>
    HundredMillionYuan,
    /// <summary>Percentage points, e.g. growth year on year.</summary>
    Percent,
    /// <summary>好/较好/一般 business-environment grade; not a number districts report.</summary>
    Grade,
}

public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,
}

public enum IndicatorCategory
{
    /// <summary>A figure districts report and the composite ranking weighs.</summary>
    Headline,
    /// <summary>One of the 25 business-environment (营商环境) indicators, graded per district.</summary>
    BusinessEnvironment,
}

/// <summary>How district figures combine into the city figure.</summary>
public enum Aggregation
{
    /// <summary>Counts and money add up.</summary>
    Sum,
    /// <summary>Rates (growth %) do not add up; the city figure shown is the mean of reporting districts.</summary>
    Mean,
}

/// <summary>A figure districts report (指标), with unit, direction, target and weight.</summary>
public sealed class Indicator
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public IndicatorCategory Category { get; set; }
    public IndicatorUnit Unit { get; set; }
    public Direction Direction { get; set; }
    public Aggregation Aggregation { get; set; }
    /// <summary>City-level target for the campaign period; null when none is set.</summary>
    public decimal? Target { get; set; }
    /// <summary>Weight in the composite ranking; 0 keeps the indicator out of it.</summary>
    public decimal Weight { get; set; }
    /// <summary>Decimal places districts report and screens show.</summary>
    public int Decimals { get; set; }
    /// <summary>Values outside [PlausibleMin, PlausibleMax] need an explicit confirmation.</summary>
    public decimal? PlausibleMin { get; set; }
    public decimal? PlausibleMax { get; set; }
    public int SortOrder { get; set; }

    /// <summary>
    /// District code → that district's own target, set where districts differ (Tongliao gives each its own); a district
    /// not listed is measured against its share of the city target (<see cref="DistrictTarget(int)"/>).
    /// </summary>
    public Dictionary<string, decimal> DistrictTargets { get; set; } = [];

    /// <summary>
    /// A district without a value is ranked on the other components instead of scoring 0 for this one. For components
    /// that arrive district by district through the week (the inspection score of a district not visited yet), not for
    /// figures a district failed to report. Not stored: only synthetic components set it.
    /// </summary>
    public bool ExcludeWhenMissing { get; set; }

    public bool IsRanked => Category == IndicatorCategory.Headline && Weight > 0;

    /// <summary>
    /// One district's share of the city target: divided evenly for figures that add up, the city target itself for
    /// rates. Null without a positive target.
    /// </summary>
    public decimal? DistrictTarget(int districtCount) => Target is not { } target || target <= 0
        ? null
        : Aggregation == Aggregation.Sum ? target / Math.Max(1, districtCount) : target;

    /// <summary>
    /// The target <paramref name="district"/> is measured against: its own where one is set, else its share of the city
    /// target. What completion, the target-attainment score and the "why" of a rank all use.
    /// </summary>
    public decimal? TargetOf(string district, int districtCount) =>
        DistrictTargets.TryGetValue(district, out var own) && own > 0 ? own : DistrictTarget(districtCount);
}
