using System.Text.Encodings.Web;
using System.Text.Json;
using LiveBoard.Core.Meeting;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>A publication as listed: no document.</summary>
public sealed record PublicationSummary(int Id, int Version, DateOnly? Day, string Label, string LabelEn, string Note, string PublishedBy, DateTimeOffset TakenAt);

/// <summary>A day's announced ranking as stored: the composite with its movement, and each indicator's standings by code.</summary>
public sealed record Announced(PublicationSummary Summary, string? ComparedWith, IReadOnlyList<CompositeStanding> Ranking,
    IReadOnlyDictionary<string, IReadOnlyList<IndicatorStanding>> ByIndicator);

/// <summary>One district's rank in each publication of the campaign, in publication order.</summary>
public sealed record RankHistory(IReadOnlyList<PublicationSummary> Publications, IReadOnlyDictionary<string, IReadOnlyList<int?>> Ranks);

/// <summary>
/// Publishes the ranking (公布排名): a new immutable version holding everything it was computed from, as canonical JSON.
/// Rows are only ever inserted (the DbContext refuses updates and deletes), so an announced ranking can be re-read and
/// re-checked forever; later corrections show as "changed since published" until the next version picks them up.
/// </summary>
public sealed class PublicationService(IDbContextFactory<LiveBoardDbContext> dbFactory, OverviewService overview,
    InspectionService inspection, IChangeFeed feed, TimeProvider clock)
{
    public const string AuditKind = "ranking.published";

    // Canonical: property order is the declaration order below, dictionaries are sorted, numbers invariant, Chinese unescaped.
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    // One publication at a time in this process: the version number is max + 1 (the unique index catches the rest).
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<PublicationSummary?> PublishAsync(DateOnly? day, string? note, string by, string channel, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var model = await overview.GetAsync(ct);
            if (model is null) return null;
            var (quarter, _, grades) = await inspection.GradesAsync(null, ct);
            var now = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var campaignId = model.Campaign.Id;
            var version = 1 + (await db.PublishedRankings.Where(p => p.CampaignId == campaignId).MaxAsync(p => (int?)p.Version, ct) ?? 0);
            var label = day is { } d ? $"{d:yyyy年M月d日}排名（第{version}版）" : $"排名（第{version}版）";
            var labelEn = day is { } e ? $"Ranking of {e:yyyy-MM-dd} (version {version})" : $"Ranking (version {version})";
            var document = Document(model, quarter, grades, version, day, note?.Trim() ?? "", by, now);
            var row = new PublishedRanking
            {
                CampaignId = campaignId, Label = label, LabelEn = labelEn, TakenAt = now, PublishedBy = by, Version = version,
                Day = day, Note = note?.Trim() ?? "", Document = document,
                Entries = model.Ranking.Composite.Select(c => new PublishedRankingEntry { DistrictCode = c.DistrictCode, Rank = c.Rank, Score = c.Score }).ToList(),
            };
            db.PublishedRankings.Add(row);
            db.AuditEvents.Add(InspectionService.Audit(AuditKind, by, channel, null, now, new { version, day, note = row.Note }));
            await db.SaveChangesAsync(ct);
            await feed.PublishAsync(new RankingPublished(campaignId, row.Id, version, day, by, now), CancellationToken.None);
            return Summary(row);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The JSON document of a publication: figures, inspection scores, grades, weights and settings, the ranking.</summary>
    internal static string Document(OverviewModel model, string? quarter,
        IReadOnlyDictionary<(string District, string Indicator), DistrictGrade> grades, int version, DateOnly? day, string note, string by, DateTimeOffset at)
    {
        var campaign = model.Campaign;
        var ranked = model.Ranking.ByIndicator.Select(r => r.Indicator).ToList();
        var doc = new
        {
            campaign = campaign.Code,
            version,
            day = day?.ToString("yyyy-MM-dd"),
            note,
            publishedBy = by,
            publishedAt = at.ToString("O"),
            indicators = ranked.Select(i => new
            {
                code = i.Code, name = i.Name, unit = i.Unit.ToString(), direction = i.Direction.ToString(), weight = i.Weight, target = i.Target,
                excludeWhenMissing = i.ExcludeWhenMissing,
            }),
            settings = model.Inspection?.Settings is { } s ? new
            {
                s.StructureMax, s.EfficiencyMax, s.ServiceMax, s.ResultsMax, s.StructureWeight, s.EfficiencyWeight, s.ServiceWeight,
                s.ResultsWeight, s.TrimThreshold, s.InspectionWeight, s.GradeWeight,
            } : null,
            figures = new SortedDictionary<string, SortedDictionary<string, decimal?>>(campaign.Districts.ToDictionary(d => d.Code,
                d => new SortedDictionary<string, decimal?>(campaign.Indicators.ToDictionary(i => i.Code, i => model.Figures.Get(d.Code, i.Code)), StringComparer.Ordinal)),
                StringComparer.Ordinal),
            inspection = model.Inspection is null ? null
                : new SortedDictionary<string, decimal?>(model.Inspection.Inspection.ToDictionary(), StringComparer.Ordinal),
            grades = new
            {
                quarter,
                byDistrict = new SortedDictionary<string, SortedDictionary<string, string>>(grades.GroupBy(g => g.Key.District).ToDictionary(g => g.Key,
                    g => new SortedDictionary<string, string>(g.ToDictionary(x => x.Key.Indicator, x => x.Value.Grade.ToString()), StringComparer.Ordinal)),
                    StringComparer.Ordinal),
            },
            byIndicator = model.Ranking.ByIndicator.Select(r => new
            {
                indicator = r.Indicator.Code,
                standings = r.Standings.Select(x => new { district = x.DistrictCode, value = x.Value, rank = x.Rank, score = x.Score }),
            }),
            comparedWith = model.ComparedWith?.Label,
            ranking = model.Ranking.Composite.Select(c => new
            {
                district = c.DistrictCode, rank = c.Rank, score = c.Score, movement = c.Movement.Kind.ToString(), places = c.Movement.Places,
                missing = c.MissingCount,
                components = new SortedDictionary<string, decimal>(c.IndicatorScores.ToDictionary(), StringComparer.Ordinal),
            }),
        };
        return JsonSerializer.Serialize(doc, Canonical);
    }

    public async Task<IReadOnlyList<PublicationSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return [];
        var rows = await db.PublishedRankings.AsNoTracking().Where(p => p.CampaignId == campaign.Id)
            .OrderBy(p => p.Version).ToListAsync(ct);
        return rows.Select(Summary).ToList();
    }

    /// <summary>The stored document of a publication, exactly as written.</summary>
    public async Task<string?> DocumentAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PublishedRankings.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(ct);
    }

    /// <summary>The ranking as announced on a day (its latest publication with that day), with movement against the version before it.</summary>
    public async Task<Announced?> AnnouncedAsync(DateOnly day, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return null;
        var row = await db.PublishedRankings.AsNoTracking().Where(p => p.CampaignId == campaign.Id && p.Day == day)
            .OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        using var json = JsonDocument.Parse(row.Document);
        var root = json.RootElement;
        var ranking = root.GetProperty("ranking").EnumerateArray().Select(r => new CompositeStanding(
            r.GetProperty("district").GetString()!,
            r.GetProperty("rank").GetInt32(),
            r.GetProperty("score").GetDecimal(),
            new Movement(Enum.Parse<MovementKind>(r.GetProperty("movement").GetString()!), r.GetProperty("places").GetInt32()),
            r.GetProperty("missing").GetInt32(),
            r.GetProperty("components").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetDecimal()))).ToList();
        var comparedWith = root.TryGetProperty("comparedWith", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var byIndicator = root.GetProperty("byIndicator").EnumerateArray().ToDictionary(r => r.GetProperty("indicator").GetString()!,
            r => (IReadOnlyList<IndicatorStanding>)r.GetProperty("standings").EnumerateArray().Select(x => new IndicatorStanding(
                x.GetProperty("district").GetString()!,
                x.GetProperty("value").ValueKind == JsonValueKind.Null ? null : x.GetProperty("value").GetDecimal(),
                x.GetProperty("rank").GetInt32(),
                x.GetProperty("score").GetDecimal())).ToList());
        return new Announced(Summary(row), comparedWith, ranking, byIndicator);
    }

    /// <summary>The latest publication's figures per district, or null before any publication that carries figures.</summary>
    public async Task<(PublicationSummary Summary, Dictionary<string, Dictionary<string, decimal?>>? Figures)?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return null;
        var row = await db.PublishedRankings.AsNoTracking().Where(p => p.CampaignId == campaign.Id)
            .OrderByDescending(p => p.Version).ThenByDescending(p => p.TakenAt).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        Dictionary<string, Dictionary<string, decimal?>>? figures = null;
        using (var json = JsonDocument.Parse(row.Document is { Length: > 0 } text ? text : "{}"))
            if (json.RootElement.TryGetProperty("figures", out var f))
                figures = f.Deserialize<Dictionary<string, Dictionary<string, decimal?>>>();
        return (Summary(row), figures);
    }

    /// <summary>
    /// The districts whose live rank or figures differ from the latest publication: the "changed since published" marker.
    /// A publication from before the campaign carries ranks only, so only ranks are compared against it.
    /// </summary>
    public static IReadOnlySet<string> ChangedSince(OverviewModel live, Dictionary<string, Dictionary<string, decimal?>>? publishedFigures)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in live.Ranking.Composite)
        {
            if (live.ComparedWith?.RankOf(c.DistrictCode) is { } rank && rank != c.Rank) changed.Add(c.DistrictCode);
            if (publishedFigures is null) continue;
            var was = publishedFigures.GetValueOrDefault(c.DistrictCode) ?? [];
            if (live.Campaign.Indicators.Any(i => live.Figures.Get(c.DistrictCode, i.Code) != was.GetValueOrDefault(i.Code)))
                changed.Add(c.DistrictCode);
        }
        return changed;
    }

    /// <summary>
    /// Each district's rank by day, oldest first: the rank-history chart. A day published more than once counts with its
    /// last version (the one that stood); publications without a day (the bulletin before the campaign) are kept as they are.
    /// </summary>
    public async Task<RankHistory> HistoryAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return new RankHistory([], new Dictionary<string, IReadOnlyList<int?>>());
        var rows = await db.PublishedRankings.AsNoTracking().Include(p => p.Entries).Where(p => p.CampaignId == campaign.Id)
            .OrderBy(p => p.Version).ToListAsync(ct);
        rows = rows.Where(p => p.Day is null || !rows.Any(q => q.Day == p.Day && q.Version > p.Version)).ToList();
        var ranks = campaign.Districts.OrderBy(d => d.SortOrder).ToDictionary(d => d.Code,
            d => (IReadOnlyList<int?>)rows.Select(p => p.Entries.FirstOrDefault(e => e.DistrictCode == d.Code)?.Rank).ToList());
        return new RankHistory(rows.Select(Summary).ToList(), ranks);
    }

    private static PublicationSummary Summary(PublishedRanking p) => new(p.Id, p.Version, p.Day, p.Label, p.LabelEn, p.Note, p.PublishedBy, p.TakenAt);
}
