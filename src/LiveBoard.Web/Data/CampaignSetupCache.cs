using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>The current campaign's id and its districts and indicators by code: what every figure write is checked against.</summary>
public sealed record CampaignSetup(int CampaignId, IReadOnlyDictionary<string, District> Districts, IReadOnlyDictionary<string, Indicator> Indicators);

/// <summary>
/// Keeps <see cref="CampaignSetup"/> in memory: every report read it afresh (three queries per POST) although it
/// changes only when an organiser edits the campaign. Any save of a campaign, district or indicator row in this
/// process drops the copy at once (<see cref="CachedRowsInterceptor"/>), so the next report sees the change.
/// The districts and indicators handed out are shared: read them, never change them.
/// </summary>
public sealed class CampaignSetupCache(IDbContextFactory<LiveBoardDbContext> dbFactory, CachedRows rows)
{
    private sealed record Copy(long Generation, CampaignSetup? Setup);

    private Copy? _copy;

    /// <summary>The current campaign's setup; null when there is no campaign.</summary>
    public async Task<CampaignSetup?> CurrentAsync(CancellationToken ct = default)
    {
        var generation = rows.CampaignSetup.Current;
        if (Volatile.Read(ref _copy) is { } copy && copy.Generation == generation) return copy.Setup;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        CampaignSetup? setup = null;
        if (await db.Campaigns.AsNoTracking().Current().Select(c => new { c.Id }).FirstOrDefaultAsync(ct) is { } campaign)
        {
            var districts = await db.Districts.AsNoTracking().Where(d => d.CampaignId == campaign.Id).ToDictionaryAsync(d => d.Code, ct);
            var indicators = await db.Indicators.AsNoTracking().Where(i => i.CampaignId == campaign.Id).ToDictionaryAsync(i => i.Code, ct);
            setup = new CampaignSetup(campaign.Id, districts, indicators);
        }
        // Kept only if nothing was saved while loading; otherwise this caller uses what it read, as it would have without a cache.
        if (rows.CampaignSetup.Current == generation) Volatile.Write(ref _copy, new Copy(generation, setup));
        return setup;
    }
}
