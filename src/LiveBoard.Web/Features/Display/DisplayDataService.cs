using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Overview;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Display;

/// <summary>One accepted figure for the latest-reports ticker.</summary>
public sealed record TickerItem(long Id, District District, Indicator Indicator, decimal NewValue, decimal? OldValue, DateTimeOffset ChangedAt);

/// <summary>Whether a district has sent a report today (seeded starting values do not count).</summary>
public sealed record ReportingStatus(District District, DateTimeOffset? LastReportAt, bool ReportedToday);

/// <summary>One touring group's route for the day, in visiting order.</summary>
public sealed record GroupRoute(TouringGroup Group, IReadOnlyList<Site> Sites);

/// <summary>Everything the panels of a wall display show, read in one go.</summary>
public sealed record DisplayModel(
    OverviewModel Overview,
    IReadOnlyList<TickerItem> Ticker,
    IReadOnlyList<ReportingStatus> Status,
    DateOnly ItineraryDay,
    IReadOnlyList<GroupRoute> Itinerary,
    IReadOnlyList<Indicator> BusinessEnvironment);

public sealed class DisplayDataService(OverviewService overview, IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock)
{
    public const int TickerLength = 10;

    public async Task<DisplayModel?> GetAsync(CancellationToken ct = default)
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

        var now = clock.GetLocalNow();
        var midnight = new DateTimeOffset(now.Date, now.Offset);
        var lastReports = await db.FigureRevisions.AsNoTracking()
            .Where(r => r.CampaignId == campaign.Id && r.Channel != FigureChannel.Seed)
            .GroupBy(r => r.DistrictId)
            .Select(g => new { DistrictId = g.Key, Last = g.Max(r => r.Id) })
            .ToListAsync(ct);
        var lastIds = lastReports.Select(x => x.Last).ToList();
        var lastTimes = await db.FigureRevisions.AsNoTracking().Where(r => lastIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.DistrictId, r => r.ChangedAt, ct);
        var status = campaign.Districts.Select(d =>
        {
            DateTimeOffset? last = lastTimes.TryGetValue(d.Id, out var t) ? t : null;
            return new ReportingStatus(d, last, last >= midnight);
        }).ToList();

        // Outside the campaign week a screen still shows a route: the first day's plan.
        var today = DateOnly.FromDateTime(now.Date);
        var day = campaign.Days.Any(d => d.Date == today) ? today : campaign.StartDate;
        var sites = await db.Sites.AsNoTracking().Where(s => s.CampaignId == campaign.Id && s.Day == day)
            .OrderBy(s => s.RouteOrder).ToListAsync(ct);
        var itinerary = campaign.TouringGroups
            .Select(g => new GroupRoute(g, sites.Where(s => s.TouringGroupId == g.Id).ToList()))
            .ToList();

        var business = campaign.Indicators.Where(i => i.Category == IndicatorCategory.BusinessEnvironment).ToList();
        return new DisplayModel(model, ticker, status, day, itinerary, business);
    }
}
