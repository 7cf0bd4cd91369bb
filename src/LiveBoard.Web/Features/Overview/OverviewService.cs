using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Features.Overview;

/// <summary>A city figure against its target.</summary>
public sealed record CityTotal(Indicator Indicator, decimal? Value, decimal? Progress, int Reporting, int Districts);

/// <summary>What the live overview shows: totals against targets and the rankings with movement.</summary>
public sealed record OverviewModel(
    Campaign Campaign,
    IReadOnlyList<CityTotal> Totals,
    RankingResult Ranking,
    RankingSnapshot? ComparedWith,
    FigureTable Figures,
    DateTimeOffset? LastChange,
    InspectionStandings? Inspection = null)
{
    public District District(string code) => Campaign.Districts.First(d => d.Code == code);
}

public sealed class OverviewService(CampaignStore store, RankingEngine engine, InspectionService inspectionService)
{
    // Screens and hub clients share concurrent loads; the model they get is read-only to them.
    private readonly SharedLoad<OverviewModel?> _shared = new(() => LoadAsync(store, engine, inspectionService, CancellationToken.None));

    public Task<OverviewModel?> GetAsync(CancellationToken ct = default) => _shared.GetAsync(ct);

    /// <summary>A model loaded after <paramref name="startedAfter"/> (Stopwatch timestamp), possibly one already loading.</summary>
    public Task<OverviewModel?> GetAsync(long startedAfter, CancellationToken ct = default) => _shared.GetAsync(startedAfter, ct);

    private static async Task<OverviewModel?> LoadAsync(CampaignStore store, RankingEngine engine, InspectionService inspectionService, CancellationToken ct)
    {
        var state = await store.LoadCurrentAsync(ct);
        if (state is null) return null;
        var campaign = state.Campaign;
        var headline = campaign.Indicators.Where(i => i.Category == IndicatorCategory.Headline).ToList();
        var totals = headline.Select(i => Total(i, campaign.Districts, state.Figures)).ToList();
        var inspection = await inspectionService.StandingsAsync(campaign, ct);
        var ranked = headline.Concat(InspectionComponents(campaign, inspection, state.Figures)).ToList();
        var ranking = engine.Rank(campaign.Districts, ranked, state.Figures, state.LastPublished);
        return new OverviewModel(campaign, totals, ranking, state.LastPublished, state.Figures, state.LastChange, inspection);
    }

    public const string InspectionCode = "inspection";
    public const string GradeCode = "be-grade";

    /// <summary>
    /// The inspection week enters the composite as synthetic indicators ranked like any other: the district inspection
    /// score (mean of its sites' trimmed means) with the campaign's inspection weight, and the mean grade points when
    /// grades carry a weight. A district without a score yet is ranked on its other components (ExcludeWhenMissing):
    /// sites are visited district by district through the week. Their cells are added to <paramref name="figures"/>.
    /// </summary>
    private static IEnumerable<Indicator> InspectionComponents(Campaign campaign, InspectionStandings? standings, FigureTable figures)
    {
        if (standings is null) yield break;
        var order = campaign.Indicators.Count == 0 ? 0 : campaign.Indicators.Max(i => i.SortOrder);
        if (standings.AnyScored && standings.Settings.InspectionWeight > 0)
        {
            foreach (var (district, score) in standings.Inspection)
                if (score is { } v) figures.Set(district, InspectionCode, v);
            yield return Synthetic(campaign, InspectionCode, "观摩评分", "Inspection score", standings.Settings.InspectionWeight, order + 1);
        }
        if (standings.GradeQuarter is not null && standings.Settings.GradeWeight > 0)
        {
            foreach (var (district, points) in standings.GradePoints)
                if (points is { } v) figures.Set(district, GradeCode, v);
            yield return Synthetic(campaign, GradeCode, "营商环境评定", "Business-environment grades", standings.Settings.GradeWeight, order + 2);
        }
    }

    // Unit Grade formats as a plain number: scores and grade points have no unit of their own.
    private static Indicator Synthetic(Campaign campaign, string code, string name, string nameEn, decimal weight, int order) => new()
    {
        CampaignId = campaign.Id, Code = code, Name = name, NameEn = nameEn, Category = IndicatorCategory.Headline, Unit = IndicatorUnit.Grade,
        Direction = Direction.HigherIsBetter, Aggregation = Aggregation.Mean, Weight = weight, Decimals = 2, SortOrder = order,
        // A district the touring groups have not reached yet (or not graded yet) is not penalised for it.
        ExcludeWhenMissing = true,
    };

    /// <summary>Counts and money add up across districts; rates are shown as the mean of reporting districts.</summary>
    public static CityTotal Total(Indicator indicator, IReadOnlyList<District> districts, FigureTable figures)
    {
        var values = districts.Select(d => figures.Get(d.Code, indicator.Code)).OfType<decimal>().ToList();
        decimal? total = values.Count == 0
            ? null
            : indicator.Aggregation == Aggregation.Sum ? values.Sum() : Math.Round(values.Average(), indicator.Decimals);
        return new CityTotal(indicator, total, FigureFormat.Progress(total, indicator.Target), values.Count, districts.Count);
    }
}
