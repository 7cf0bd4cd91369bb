using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>The current campaign (districts, indicators and days in their official order) and its figures, read together.</summary>
public sealed record CampaignState(
    Campaign Campaign,
    FigureTable Figures,
    IReadOnlyList<Figure> FigureRows,
    DateTimeOffset? LastChange)
{
    public District District(int id) => Campaign.Districts.First(d => d.Id == id);
    public Indicator Indicator(int id) => Campaign.Indicators.First(i => i.Id == id);
}

/// <summary>Reads the current campaign (see <see cref="CampaignQueries.Current"/>).</summary>
public sealed class CampaignStore(IDbContextFactory<LiveBoardDbContext> dbFactory)
{
    public async Task<CampaignState?> LoadCurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CurrentStateAsync(ct);
    }
}

/// <summary>The one rule for which campaign is current, shared by every reader and writer.</summary>
public static class CampaignQueries
{
    /// <summary>
    /// The current campaign: the active one. Activating a campaign closes the one active before (CampaignLifecycle), so
    /// there is one; in a database from before the lifecycle every campaign was migrated as active, and then the one
    /// that started last is current, as it was.
    /// </summary>
    public static IQueryable<Campaign> Current(this IQueryable<Campaign> campaigns) =>
        campaigns.Where(c => c.Status == CampaignStatus.Active).OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id);

    /// <summary>The current campaign with its districts, indicators, touring groups and days, untracked.</summary>
    public static Task<Campaign?> CurrentCampaignAsync(this LiveBoardDbContext db, CancellationToken ct = default) =>
        db.CampaignsWithLists().Current().FirstOrDefaultAsync(ct);

    /// <summary>Campaigns with their districts, indicators, touring groups and days, untracked.</summary>
    public static IQueryable<Campaign> CampaignsWithLists(this LiveBoardDbContext db) =>
        db.Campaigns.AsNoTracking()
            .Include(c => c.Districts).Include(c => c.Indicators).Include(c => c.TouringGroups).Include(c => c.Days)
            .AsSplitQuery();

    /// <summary>The version of a campaign's weights and targets in force: 1 as created, one more for each change since.</summary>
    public static async Task<int> WeightsVersionAsync(this LiveBoardDbContext db, int campaignId, CancellationToken ct = default) =>
        await db.WeightsVersions.Where(v => v.CampaignId == campaignId).MaxAsync(v => (int?)v.Version, ct) ?? 1;

    /// <summary>
    /// The current campaign with its lists in official order, its weights version, and its figures; null when there is none.
    /// </summary>
    public static Task<CampaignState?> CurrentStateAsync(this LiveBoardDbContext db, CancellationToken ct = default) =>
        db.StateAsync(db.CurrentCampaignAsync, ct);

    /// <summary>
    /// Any campaign by id (the archive reads a closed one), as <see cref="CurrentStateAsync"/> reads the current one;
    /// null when there is no such campaign.
    /// </summary>
    public static Task<CampaignState?> CampaignStateAsync(this LiveBoardDbContext db, int campaignId, CancellationToken ct = default) =>
        db.StateAsync(c => db.CampaignsWithLists().FirstOrDefaultAsync(x => x.Id == campaignId, c), ct);

    private static async Task<CampaignState?> StateAsync(this LiveBoardDbContext db, Func<CancellationToken, Task<Campaign?>> read, CancellationToken ct)
    {
        Campaign? campaign;
        // A change of weights commits its version row with the new weights. When no version row was added while the
        // campaign and its version were read, the weights read are that version's; else read again.
        for (var attempt = 0; ; attempt++)
        {
            var before = await db.WeightsVersions.MaxAsync(v => (int?)v.Id, ct);
            campaign = await read(ct);
            if (campaign is null) return null;
            campaign.WeightsVersion = await db.WeightsVersionAsync(campaign.Id, ct);
            if (before == await db.WeightsVersions.MaxAsync(v => (int?)v.Id, ct) || attempt == 2) break;
        }
        campaign.Districts = campaign.Districts.OrderBy(d => d.SortOrder).ToList();
        campaign.Indicators = campaign.Indicators.OrderBy(i => i.SortOrder).ToList();
        campaign.Days = campaign.Days.OrderBy(d => d.Date).ToList();

        var rows = await db.Figures.AsNoTracking().Where(f => f.CampaignId == campaign.Id).ToListAsync(ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id, d => d.Code);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id, i => i.Code);
        var table = new FigureTable();
        foreach (var f in rows) table.Set(districts[f.DistrictId], indicators[f.IndicatorId], f.Value);
        return new CampaignState(campaign, table, rows, rows.Count == 0 ? null : rows.Max(f => f.UpdatedAt));
    }
}
