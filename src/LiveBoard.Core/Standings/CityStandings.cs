using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Ranking;

namespace LiveBoard.Core.Standings;

/// <summary>One site's observer sheets, with the district it counts for.</summary>
public sealed record SiteSheets(int SiteId, string DistrictCode, IReadOnlyList<ObserverScore> Sheets);

/// <summary>
/// What the inspection week adds to the composite: the scoring scheme, the sheets of every site and the weight of the
/// district inspection score (0 leaves it out).
/// </summary>
public sealed record InspectionInput(ScoringScheme Scheme, decimal Weight, IReadOnlyList<SiteSheets> Sites)
{
    public static InspectionInput None { get; } = new(ScoringScheme.Default, 0, []);
}

/// <summary>
/// The business-environment grades of one quarter (the latest graded, or none) by district and indicator code, how they
/// turn into points, and the weight of the mean grade points in the composite (0 leaves them out).
/// </summary>
public sealed record GradeInput(string? Quarter, decimal Weight, GradeRule Rule, IReadOnlyDictionary<(string District, string Indicator), Grade> Grades)
{
    public static GradeInput None { get; } = new(null, 0, GradeRule.Default, new Dictionary<(string, string), Grade>());
}

/// <summary>
/// The latest announced ranking: the ranks movement is measured against and, when the publication recorded them, the
/// figures it was computed from (district code → indicator code → value), so corrections made since can be marked.
/// <see cref="Previous"/> is the publication before it, if any: the one the latest's own movement was announced against.
/// </summary>
public sealed record PublishedInput(RankingSnapshot Ranks, IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal?>>? Figures)
{
    public RankingSnapshot? Previous { get; init; }
}

/// <summary>Everything the city's standings are composed from. Nothing in it is changed by the composition.</summary>
public sealed record StandingsInput(Campaign Campaign, FigureTable Figures)
{
    public InspectionInput Inspection { get; init; } = InspectionInput.None;
    public GradeInput Grades { get; init; } = GradeInput.None;
    public PublishedInput? Published { get; init; }
}

/// <summary>A city figure against its target.</summary>
public sealed record CityTotal(Indicator Indicator, decimal? Value, decimal? Progress, int Reporting, int Districts)
{
    /// <summary>Counts and money add up across districts; rates are shown as the mean of reporting districts.</summary>
    public static CityTotal Of(Indicator indicator, IReadOnlyList<District> districts, FigureTable figures)
    {
        var values = districts.Select(d => figures.Get(d.Code, indicator.Code)).OfType<decimal>().ToList();
        decimal? total = values.Count == 0
            ? null
            : indicator.Aggregation == Aggregation.Sum ? values.Sum() : Math.Round(values.Average(), indicator.Decimals);
        return new CityTotal(indicator, total, FigureFormat.Progress(total, indicator.Target), values.Count, districts.Count);
    }
}

/// <summary>One component's share in a district's composite score: the "why" of a rank.</summary>
/// <param name="Component">the indicator, or the synthetic inspection or grade component</param>
/// <param name="Value">the district's value (figure, inspection score, grade points); null when it has none</param>
/// <param name="Target">the district's target (its own, or its share of the city target), when it has one</param>
/// <param name="Score">the 0–100 score the normalisation gave the value (0 when not reported)</param>
/// <param name="Counted">false for a component the district has no value for yet and is not penalised for (not visited)</param>
/// <param name="Points">what this component adds to the composite: weight × score ÷ the weights counted</param>
public sealed record ComponentShare(Indicator Component, decimal? Value, decimal? Target, decimal Score, bool Counted, decimal Points);

/// <summary>
/// Why a district stands where it does: rank, score, movement and each component's share, computed with the campaign's
/// weights and targets of <see cref="WeightsVersion"/>.
/// </summary>
public sealed record CompositeBreakdown(string DistrictCode, int Rank, decimal Score, Movement Movement, IReadOnlyList<ComponentShare> Components,
    int WeightsVersion = 1);

/// <summary>
/// The city's standings at one moment: totals against targets, the composite ranking with the inspection score and the
/// grades folded in, each indicator's ranking, movement against the latest publication and the "why" of every score.
/// Immutable once composed: every screen reads the same instance.
/// </summary>
public sealed class CityStandings
{
    /// <summary>The synthetic component for the district inspection score (mean of its sites' trimmed means).</summary>
    public const string InspectionCode = "inspection";
    /// <summary>The synthetic component for the mean business-environment grade points.</summary>
    public const string GradeCode = "be-grade";

    internal CityStandings(StandingsInput input, IReadOnlyList<CityTotal> totals, RankingResult ranking, FigureTable ranked,
        IReadOnlyDictionary<int, SiteScore> siteScores, IReadOnlyDictionary<string, decimal?> inspection,
        IReadOnlyDictionary<string, decimal?> gradePoints, IReadOnlySet<string> changed, RankingSnapshot? comparedWith)
    {
        Campaign = input.Campaign;
        Figures = input.Figures;
        Totals = totals;
        Ranking = ranking;
        RankedValues = ranked;
        SiteScores = siteScores;
        InspectionScores = inspection;
        GradePoints = gradePoints;
        GradeQuarter = input.Grades.Quarter;
        Grades = input.Grades.Grades;
        ScoringScheme = input.Inspection.Scheme;
        InspectionWeight = input.Inspection.Weight;
        GradeWeight = input.Grades.Weight;
        LatestPublished = input.Published?.Ranks;
        ComparedWith = comparedWith;
        ChangedSincePublished = changed;
        Components = ranking.ByIndicator.Select(r => r.Indicator).Where(i => i.IsRanked).ToList();
    }

    public Campaign Campaign { get; }

    /// <summary>The reported figures (district × indicator); a missing cell was never reported.</summary>
    public FigureTable Figures { get; }

    /// <summary>The city figure of every headline indicator.</summary>
    public IReadOnlyList<CityTotal> Totals { get; }

    /// <summary>The composite and each ranked component's own ranking (the inspection score and grade points included).</summary>
    public RankingResult Ranking { get; }

    /// <summary>The weighed components of the composite, in order: headline indicators, then inspection and grades if they count.</summary>
    public IReadOnlyList<Indicator> Components { get; }

    /// <summary>Each district's inspection score; null until one of its sites is scored.</summary>
    public IReadOnlyDictionary<string, decimal?> InspectionScores { get; }

    /// <summary>Each scored site's aggregate (trimmed mean), by site id.</summary>
    public IReadOnlyDictionary<int, SiteScore> SiteScores { get; }

    /// <summary>Each district's mean grade points in <see cref="GradeQuarter"/>; null when not graded.</summary>
    public IReadOnlyDictionary<string, decimal?> GradePoints { get; }

    /// <summary>The quarter whose grades count (the latest graded); null when nothing is graded.</summary>
    public string? GradeQuarter { get; }

    /// <summary>That quarter's grades by district and indicator code.</summary>
    public IReadOnlyDictionary<(string District, string Indicator), Grade> Grades { get; }

    public ScoringScheme ScoringScheme { get; }
    public decimal InspectionWeight { get; }
    public decimal GradeWeight { get; }

    /// <summary>Whether any site has been scored yet.</summary>
    public bool AnyScored => SiteScores.Count > 0;

    /// <summary>Whether the inspection score is one of the composite's components now.</summary>
    public bool InspectionCounts => Components.Any(c => c.Code == InspectionCode);

    /// <summary>
    /// The announced ranking the composite's movement is shown against; null before any publication. That is the latest
    /// publication, except while the live ranking still stands exactly as the latest announced it: then the screens show
    /// that announcement's own arrows (against the publication before it), not a row of "same".
    /// </summary>
    public RankingSnapshot? ComparedWith { get; }

    /// <summary>The latest publication; null before any.</summary>
    public RankingSnapshot? LatestPublished { get; }

    /// <summary>A district's movement against the latest publication: what a new publication records as its movement.</summary>
    public Movement SinceLatestPublished(CompositeStanding standing) =>
        LatestPublished is null ? Movement.New : Movement.Between(standing.Rank, LatestPublished.RankOf(standing.DistrictCode));

    /// <summary>Districts whose rank or figures differ from the latest publication: corrected since it was announced.</summary>
    public IReadOnlySet<string> ChangedSincePublished { get; }

    /// <summary>The figures with the synthetic components' values added: what the ranking was computed from.</summary>
    private FigureTable RankedValues { get; }

    public District District(string code) => Campaign.Districts.First(d => d.Code == code);

    /// <summary>The composite standing of a district.</summary>
    public CompositeStanding StandingOf(string district) => Ranking.Composite.First(c => c.DistrictCode == district);

    /// <summary>Why <paramref name="district"/> has its composite score: each component's value, target, score and share.</summary>
    public CompositeBreakdown Why(string district)
    {
        var standing = StandingOf(district);
        var counted = Components.Where(c => standing.IndicatorScores.ContainsKey(c.Code)).ToList();
        var weights = counted.Sum(c => c.Weight);
        var shares = Components.Select(c =>
        {
            var value = RankedValues.Get(district, c.Code);
            var isCounted = standing.IndicatorScores.TryGetValue(c.Code, out var score);
            var points = isCounted && weights > 0 ? Math.Round(c.Weight * score / weights, 4) : 0m;
            return new ComponentShare(c, value, c.TargetOf(district, Campaign.Districts.Count), score, isCounted, points);
        }).ToList();
        return new CompositeBreakdown(district, standing.Rank, standing.Score, standing.Movement, shares, Campaign.WeightsVersion);
    }
}

/// <summary>
/// Composes the city's standings from a campaign, its figures, the inspection week's scores and the grades (a pure
/// function: the same input gives the same standings, and the input is not changed). The inspection week enters the
/// composite as synthetic components ranked like any indicator: the district inspection score with the campaign's
/// inspection weight, and the mean grade points when grades carry a weight. A district without a score yet is ranked
/// on its other components (<see cref="Indicator.ExcludeWhenMissing"/>): sites are visited district by district.
/// </summary>
public sealed class StandingsComposer(RankingEngine engine)
{
    public CityStandings Compose(StandingsInput input)
    {
        var campaign = input.Campaign;
        var headline = campaign.Indicators.Where(i => i.Category == IndicatorCategory.Headline).OrderBy(i => i.SortOrder).ToList();
        var totals = headline.Select(i => CityTotal.Of(i, campaign.Districts, input.Figures)).ToList();

        var scheme = input.Inspection.Scheme;
        var siteScores = input.Inspection.Sites
            .Select(s => (s.SiteId, Score: InspectionScores.Site(scheme, s.Sheets)))
            .Where(s => s.Score.Score is not null)
            .ToDictionary(s => s.SiteId, s => s.Score);
        var inspection = campaign.Districts.ToDictionary(d => d.Code, d => InspectionScores.District(
            input.Inspection.Sites.Where(s => s.DistrictCode == d.Code).Select(s => siteScores.GetValueOrDefault(s.SiteId) ?? new SiteScore(null, 0, false))));
        var rule = input.Grades.Rule;
        var gradePoints = campaign.Districts.ToDictionary(d => d.Code,
            d => rule.MeanPoints(input.Grades.Grades.Where(g => g.Key.District == d.Code).Select(g => g.Value)));

        // The ranking reads the figures plus the synthetic components' values, in a table of its own.
        var ranked = input.Figures.Copy();
        var components = new List<Indicator>(headline);
        var order = campaign.Indicators.Count == 0 ? 0 : campaign.Indicators.Max(i => i.SortOrder);
        if (siteScores.Count > 0 && input.Inspection.Weight > 0)
        {
            foreach (var (district, score) in inspection)
                if (score is { } v) ranked.Set(district, CityStandings.InspectionCode, v);
            components.Add(Synthetic(campaign, CityStandings.InspectionCode, input.Inspection.Weight, order + 1));
        }
        if (input.Grades.Quarter is not null && input.Grades.Weight > 0)
        {
            foreach (var (district, points) in gradePoints)
                if (points is { } v) ranked.Set(district, CityStandings.GradeCode, v);
            components.Add(Synthetic(campaign, CityStandings.GradeCode, input.Grades.Weight, order + 2));
        }

        var ranking = engine.Rank(campaign.Districts, components, ranked, input.Published?.Ranks);
        var comparedWith = input.Published?.Ranks;
        if (input.Published is { Previous: { } previous } && ranking.Composite.All(c => c.Movement.Kind == MovementKind.Same))
        {
            comparedWith = previous;
            ranking = ranking with
            {
                Composite = ranking.Composite.Select(c => c with { Movement = Movement.Between(c.Rank, previous.RankOf(c.DistrictCode)) }).ToList(),
            };
        }
        return new CityStandings(input, totals, ranking, ranked, siteScores, inspection, gradePoints,
            ChangedSince(campaign, ranking, input.Figures, input.Published), comparedWith);
    }

    // Names are left empty: a screen names the synthetic components from its resources, in its reader's language.
    // Unit Grade formats as a plain number: scores and grade points have no unit of their own.
    private static Indicator Synthetic(Campaign campaign, string code, decimal weight, int order) => new()
    {
        CampaignId = campaign.Id, Code = code, Name = "", NameEn = "", Category = IndicatorCategory.Headline, Unit = IndicatorUnit.Grade,
        Direction = Direction.HigherIsBetter, Aggregation = Aggregation.Mean, Weight = weight, Decimals = 2, SortOrder = order,
        // A district the touring groups have not reached yet (or not graded yet) is not penalised for it.
        ExcludeWhenMissing = true,
    };

    /// <summary>
    /// The districts whose live rank or figures differ from the latest publication. A publication from before the
    /// campaign carries ranks only, so only ranks are compared against it.
    /// </summary>
    private static HashSet<string> ChangedSince(Campaign campaign, RankingResult live, FigureTable figures, PublishedInput? published)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (published is null) return changed;
        foreach (var c in live.Composite)
        {
            if (published.Ranks.RankOf(c.DistrictCode) is { } rank && rank != c.Rank) changed.Add(c.DistrictCode);
            if (published.Figures is null) continue;
            var was = published.Figures.GetValueOrDefault(c.DistrictCode);
            if (campaign.Indicators.Any(i => figures.Get(c.DistrictCode, i.Code) != was?.GetValueOrDefault(i.Code)))
                changed.Add(c.DistrictCode);
        }
        return changed;
    }
}
