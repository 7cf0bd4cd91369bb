using LiveBoard.Core.Inspection;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Display;

/// <summary>One accepted figure for the latest-reports ticker.</summary>
public sealed record TickerItem(long Id, District District, Indicator Indicator, decimal NewValue, decimal? OldValue, DateTimeOffset ChangedAt);

/// <summary>Whether a district has sent a report today (seeded starting values do not count).</summary>

/// <summary>One touring group's route for the day, in visiting order, with the visits marked so far.</summary>
public sealed record TouringRoute(TouringGroup Group, IReadOnlyList<SiteRow> Sites);

/// <summary>Everything the panels of a wall display show, read in one go.</summary>
public sealed record DisplayModel(
    OverviewModel Overview,
    IReadOnlyList<TickerItem> Ticker,
    ReportingDay? Status,
    DateOnly ItineraryDay,
    IReadOnlyList<TouringRoute> Itinerary,
    IReadOnlyList<Indicator> BusinessEnvironment,
    IReadOnlyDictionary<(string District, string Indicator), Grade> Grades);

// Reporting status and the itinerary come from their own features, so the wall shows exactly what their pages show.
public sealed class DisplayDataService(OverviewService overview, IDbContextFactory<LiveBoardDbContext> dbFactory,
    ReportingStatus reporting, InspectionService inspection)
{
    public const int TickerLength = 10;

    // Every wall screen reloads right after the same change: they share one load (and one model) instead of each
    // running the same queries.
    private readonly SharedLoad<DisplayModel?> _shared = new(() => LoadAsync(overview, dbFactory, reporting, inspection, CancellationToken.None));

    public Task<DisplayModel?> GetAsync(CancellationToken ct = default) => _shared.GetAsync(ct);

    private static async Task<DisplayModel?> LoadAsync(OverviewService overview, IDbContextFactory<LiveBoardDbContext> dbFactory,
        ReportingStatus reporting, InspectionService inspection, CancellationToken ct)
    {
        var model = await overview.GetAsync(ct);
        if (model is null) return null;
        var campaign = model.Campaign;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var revisions = await db.FigureRevisions.AsNoTracking().Where(r => r.CampaignId == campaign.Id)
            .OrderByDescending(r => r.Id).Take(TickerLength).ToListAsync(ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id);
        var ticker = revisions
            .Where(r => districts.ContainsKey(r.DistrictId) && indicators.ContainsKey(r.IndicatorId))
            .Select(r => new TickerItem(r.Id, districts[r.DistrictId], indicators[r.IndicatorId], r.NewValue, r.OldValue, r.ChangedAt))
            .ToList();

        var status = await reporting.TodayAsync(ct);
        var route = await inspection.ItineraryAsync(ct: ct);
        var day = route?.Day ?? campaign.StartDate;
        var itinerary = campaign.TouringGroups
            .Select(g => new TouringRoute(g, route?.Sites.Where(s => s.Group == g.Code).OrderBy(s => s.Order).ToList() ?? []))
            .ToList();

        var business = campaign.Indicators.Where(i => i.Category == IndicatorCategory.BusinessEnvironment).ToList();
        var (_, _, graded) = await inspection.GradesAsync(ct: ct);
        var grades = graded.ToDictionary(g => g.Key, g => g.Value.Grade);
        return new DisplayModel(model, ticker, status, day, itinerary, business, grades);
    }
}
