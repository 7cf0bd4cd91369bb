using System.Text.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Ranking;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Standings;

/// <summary>
/// Reads everything the standings are composed from, in one short-lived context, and has Core compose them: the current
/// campaign and its figures, the latest publication, the inspection sheets and settings, the grades, and beside them the
/// latest changes, today's reporting and today's itinerary.
/// </summary>
public sealed class StandingsLoader(IDbContextFactory<LiveBoardDbContext> dbFactory, StandingsComposer composer, CampaignClock clock,
    ReportingStatus reporting)
{
    public const int RecentLength = 10;

    // The figures a publication recorded never change (publications are append-only): parsed once per publication.
    private sealed record PublishedFigures(int Id, IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal?>>? Figures);
    private PublishedFigures? _published;

    public async Task<StandingsSnapshot?> LoadAsync(long version, TimeProvider time, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentStateAsync(ct) is not { } state) return null;
        var campaign = state.Campaign;
        clock.Follow(campaign);
        var city = await ComposeAsync(db, state, cache: true, ct);

        var districts = campaign.Districts.ToDictionary(d => d.Id);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id);
        var recent = (await db.FigureRevisions.AsNoTracking().Where(r => r.CampaignId == campaign.Id)
                .OrderByDescending(r => r.Id).Take(RecentLength).ToListAsync(ct))
            .Where(r => districts.ContainsKey(r.DistrictId) && indicators.ContainsKey(r.IndicatorId))
            .Select(r => new RecentChange(r.Id, districts[r.DistrictId], indicators[r.IndicatorId], r.NewValue, r.OldValue, r.ChangedAt))
            .ToList();
        var today = await reporting.TodayAsync(db, campaign, ct);
        var day = clock.CampaignToday(campaign);
        var sites = await db.SiteRowsAsync(campaign, day, ct: ct);
        var itinerary = campaign.TouringGroups
            .Select(g => new TouringRoute(g, sites.Where(s => s.Group == g.Code).OrderBy(s => s.Order).ToList()))
            .ToList();
        return new StandingsSnapshot(version, time.GetUtcNow(), city, recent, today, day, itinerary, state.LastChange);
    }

    /// <summary>
    /// A campaign's standings composed from its own data, whichever campaign is current: the archive's bulletins of a
    /// closed campaign (read-only, so composed as they stood when it closed). Null when there is no such campaign.
    /// </summary>
    public async Task<CityStandings?> ComposeAsync(int campaignId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CampaignStateAsync(campaignId, ct) is { } state ? await ComposeAsync(db, state, cache: false, ct) : null;
    }

    // The current campaign's composition keeps its latest publication's figures (cache); another campaign's does not
    // replace them.
    private async Task<CityStandings> ComposeAsync(LiveBoardDbContext db, CampaignState state, bool cache, CancellationToken ct)
    {
        var (campaign, figures) = (state.Campaign, state.Figures);
        var settings = await db.InspectionSettingsAsync(campaign.Id, ct);
        var grades = await db.GradeSheetAsync(campaign, null, ct);
        var input = new StandingsInput(campaign, figures)
        {
            Inspection = new InspectionInput(settings.Scheme(), settings.InspectionWeight, await db.SiteSheetsAsync(campaign, ct)),
            Grades = new GradeInput(grades.Quarter, settings.GradeWeight, settings.GradeRule(), grades.Grades.ToDictionary(g => g.Key, g => g.Value.Grade)),
            Published = await PublishedAsync(db, campaign, cache, ct),
        };
        return composer.Compose(input);
    }

    private async Task<PublishedInput?> PublishedAsync(LiveBoardDbContext db, Campaign campaign, bool cache, CancellationToken ct)
    {
        // The latest two: the latest is what movement is measured against, the one before it what the latest's own arrows were.
        var lastTwo = await db.PublishedRankings.AsNoTracking().Include(p => p.Entries)
            .Where(p => p.CampaignId == campaign.Id)
            // The version orders publications even when two share a timestamp.
            .OrderByDescending(p => p.Version).ThenByDescending(p => p.TakenAt)
            .Select(p => new { p.Id, p.Label, p.LabelEn, p.TakenAt, p.Entries })
            .Take(2).ToListAsync(ct);
        if (lastTwo.Count == 0) return null;
        var latest = lastTwo[0];
        var snapshots = lastTwo.Select(p => new RankingSnapshot(p.Label, p.TakenAt, p.Entries.ToDictionary(e => e.DistrictCode, e => e.Rank))
        {
            LabelEn = p.LabelEn,
        }).ToList();
        if (Volatile.Read(ref _published) is not { } cached || cached.Id != latest.Id)
        {
            var document = await db.PublishedRankings.AsNoTracking().Where(p => p.Id == latest.Id).Select(p => p.Document).FirstAsync(ct);
            cached = new PublishedFigures(latest.Id, FiguresOf(document));
            if (cache) Volatile.Write(ref _published, cached);
        }
        return new PublishedInput(snapshots[0], cached.Figures) { Previous = snapshots.ElementAtOrDefault(1) };
    }

    /// <summary>The figures a publication's document recorded; null for a publication from before the campaign (ranks only).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, decimal?>>? FiguresOf(string document)
    {
        using var json = JsonDocument.Parse(document is { Length: > 0 } text ? text : "{}");
        if (!json.RootElement.TryGetProperty("figures", out var f)) return null;
        return f.Deserialize<Dictionary<string, Dictionary<string, decimal?>>>()!
            .ToDictionary(x => x.Key, x => (IReadOnlyDictionary<string, decimal?>)x.Value);
    }
}
