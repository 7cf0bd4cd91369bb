using LiveBoard.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>
/// The figure changes of a campaign a follower has not seen, read back from the revision history: what a screen that
/// lost the shared feed for a while missed. Each figure's versions in order; across figures in the order they were made.
/// </summary>
public static class MissedFigureChanges
{
    /// <summary>The current version of every figure of the campaign, by district and indicator code.</summary>
    public static async Task<Dictionary<(string District, string Indicator), int>> FigureVersionsAsync(this LiveBoardDbContext db, int campaignId,
        CancellationToken ct = default) =>
        await (from f in db.Figures.AsNoTracking()
               where f.CampaignId == campaignId
               join d in db.Districts on f.DistrictId equals d.Id
               join i in db.Indicators on f.IndicatorId equals i.Id
               select new { District = d.Code, Indicator = i.Code, f.Version })
            .ToDictionaryAsync(x => (x.District, x.Indicator), x => x.Version, ct);

    /// <param name="seen">the last version seen of each figure; a figure not in it was seen at none</param>
    public static async Task<IReadOnlyList<FigureChanged>> FigureChangesAfterAsync(this LiveBoardDbContext db, int campaignId,
        IReadOnlyDictionary<(string District, string Indicator), int> seen, CancellationToken ct = default)
    {
        var current = await db.FigureVersionsAsync(campaignId, ct);
        var behind = current.Where(c => c.Value > seen.GetValueOrDefault(c.Key)).Select(c => c.Key).ToList();
        if (behind.Count == 0) return [];
        var districts = behind.Select(b => b.District).Distinct().ToList();
        var indicators = behind.Select(b => b.Indicator).Distinct().ToList();
        var rows = await (from r in db.FigureRevisions.AsNoTracking()
                          where r.CampaignId == campaignId
                          join d in db.Districts on r.DistrictId equals d.Id
                          join i in db.Indicators on r.IndicatorId equals i.Id
                          where districts.Contains(d.Code) && indicators.Contains(i.Code)
                          select new { District = d.Code, Indicator = i.Code, r.OldValue, r.NewValue, r.Version, r.ChangedAt, r.ChangedBy, r.Channel, r.Id })
            .ToListAsync(ct);
        var missed = rows.Where(r => r.Version > seen.GetValueOrDefault((r.District, r.Indicator)))
            .OrderBy(r => r.ChangedAt).ThenBy(r => r.Id).ToList();
        // Two instances' clocks may disagree by a little: the slots stay in time order, and each figure's versions
        // fill its own slots in version order, so no version ever comes before the one it replaced.
        var byFigure = missed.GroupBy(r => (r.District, r.Indicator)).ToDictionary(g => g.Key, g => new Queue<int>(g.Select(r => r.Version).Order()));
        var byVersion = missed.ToDictionary(r => (r.District, r.Indicator, r.Version));
        return missed.Select(slot =>
        {
            var r = byVersion[(slot.District, slot.Indicator, byFigure[(slot.District, slot.Indicator)].Dequeue())];
            return new FigureChanged(campaignId, r.District, r.Indicator, r.OldValue, r.NewValue, r.Version, r.ChangedAt, r.ChangedBy, r.Channel);
        }).ToList();
    }
}
