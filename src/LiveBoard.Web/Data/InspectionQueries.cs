using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Standings;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>A site on the itinerary with its progress; <paramref name="Version"/> is what an edit of the site names.</summary>
public sealed record SiteRow(int Id, string Name, string NameEn, string District, string Group, DateOnly Day, int Order,
    SiteStatus Status, VisitKind? Visit, DateTimeOffset? VisitAt, string? VisitBy, decimal? Kilometres, bool ScoringClosed, int Observers, int Version);

/// <summary>The grades of one quarter by district and indicator code, and every quarter graded so far (oldest first).</summary>
public sealed record GradeSheet(string? Quarter, IReadOnlyList<string> Quarters, IReadOnlyDictionary<(string District, string Indicator), DistrictGrade> Grades)
{
    public static GradeSheet Empty { get; } = new(null, [], new Dictionary<(string, string), DistrictGrade>());
}

/// <summary>The inspection week's reads, shared by the inspection pages, the standings and the meeting.</summary>
public static class InspectionQueries
{
    /// <summary>The campaign's scoring settings (the defaults when none were stored).</summary>
    public static async Task<InspectionSettings> InspectionSettingsAsync(this LiveBoardDbContext db, int campaignId, CancellationToken ct = default) =>
        await db.InspectionSettings.AsNoTracking().FirstOrDefaultAsync(s => s.CampaignId == campaignId, ct) ?? InspectionSettings.Defaults(campaignId);

    /// <summary>Sites of the campaign (of one day, one group or one site when given) with visits, closures and observer counts.</summary>
    public static async Task<List<SiteRow>> SiteRowsAsync(this LiveBoardDbContext db, Campaign campaign, DateOnly? day = null, string? group = null,
        int? siteId = null, CancellationToken ct = default)
    {
        var groupId = group is null ? (int?)null : campaign.TouringGroups.FirstOrDefault(g => g.Code == group)?.Id ?? -1;
        var sites = await db.Sites.AsNoTracking()
            .Where(s => s.CampaignId == campaign.Id && (day == null || s.Day == day) && (groupId == null || s.TouringGroupId == groupId)
                        && (siteId == null || s.Id == siteId))
            .ToListAsync(ct);
        var ids = sites.Select(s => s.Id).ToList();
        var visits = await db.SiteVisits.AsNoTracking().Where(v => ids.Contains(v.SiteId)).ToListAsync(ct);
        var latest = visits.GroupBy(v => v.SiteId).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Kind).ThenBy(v => v.Id).Last());
        var kilometres = visits.Where(v => v.Kilometres != null)
            .GroupBy(v => v.SiteId).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Id).Last().Kilometres);
        var closed = await db.ScoringClosures.AsNoTracking().Where(c => ids.Contains(c.SiteId)).Select(c => c.SiteId).ToListAsync(ct);
        var observers = await db.SiteScoreSheets.AsNoTracking().Where(s => ids.Contains(s.SiteId))
            .GroupBy(s => s.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id, d => d.Code);
        var groups = campaign.TouringGroups.ToDictionary(g => g.Id, g => g.Code);
        return sites.OrderBy(s => s.Day).ThenBy(s => groups[s.TouringGroupId]).ThenBy(s => s.RouteOrder)
            .Select(s =>
            {
                var v = latest.GetValueOrDefault(s.Id);
                return new SiteRow(s.Id, s.Name, s.NameEn, districts[s.DistrictId], groups[s.TouringGroupId], s.Day, s.RouteOrder, s.Status,
                    v?.Kind, v?.At, v?.By, kilometres.GetValueOrDefault(s.Id), closed.Contains(s.Id), observers.GetValueOrDefault(s.Id), s.Version);
            }).ToList();
    }

    /// <summary>All grades of a quarter (the latest graded quarter when none is given).</summary>
    public static async Task<GradeSheet> GradeSheetAsync(this LiveBoardDbContext db, Campaign campaign, string? quarter = null, CancellationToken ct = default)
    {
        var quarters = await db.DistrictGrades.AsNoTracking().Where(g => g.CampaignId == campaign.Id).Select(g => g.Quarter).Distinct().ToListAsync(ct);
        quarters = quarters.Order(StringComparer.Ordinal).ToList();
        var chosen = quarter ?? quarters.LastOrDefault();
        var rows = chosen is null ? [] : await db.DistrictGrades.AsNoTracking().Where(g => g.CampaignId == campaign.Id && g.Quarter == chosen).ToListAsync(ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id, d => d.Code);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id, i => i.Code);
        return new GradeSheet(chosen, quarters, rows.ToDictionary(g => (districts[g.DistrictId], indicators[g.IndicatorId])));
    }

    /// <summary>Every site of the campaign with its observers' marks: what the inspection score is computed from.</summary>
    public static async Task<List<SiteSheets>> SiteSheetsAsync(this LiveBoardDbContext db, Campaign campaign, CancellationToken ct = default)
    {
        var sites = await db.Sites.AsNoTracking().Where(s => s.CampaignId == campaign.Id).Select(s => new { s.Id, s.DistrictId }).ToListAsync(ct);
        var sheets = (await db.SiteScoreSheets.AsNoTracking().Where(s => s.CampaignId == campaign.Id).ToListAsync(ct))
            .GroupBy(s => s.SiteId).ToDictionary(g => g.Key, g => g.Select(s => s.ToScore()).ToList());
        var districts = campaign.Districts.ToDictionary(d => d.Id, d => d.Code);
        return sites.Where(s => districts.ContainsKey(s.DistrictId))
            .Select(s => new SiteSheets(s.Id, districts[s.DistrictId], sheets.GetValueOrDefault(s.Id) ?? [])).ToList();
    }
}
