using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;

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
    DateTimeOffset? LastChange)
{
    public District District(string code) => Campaign.Districts.First(d => d.Code == code);
}

public sealed class OverviewService(CampaignStore store, RankingEngine engine)
{
    public async Task<OverviewModel?> GetAsync(CancellationToken ct = default)
    {
        var state = await store.LoadCurrentAsync(ct);
        if (state is null) return null;
        var campaign = state.Campaign;
        var headline = campaign.Indicators.Where(i => i.Category == IndicatorCategory.Headline).ToList();
        var totals = headline.Select(i => Total(i, campaign.Districts, state.Figures)).ToList();
        var ranking = engine.Rank(campaign.Districts, headline, state.Figures, state.LastPublished);
        return new OverviewModel(campaign, totals, ranking, state.LastPublished, state.Figures, state.LastChange);
    }

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
