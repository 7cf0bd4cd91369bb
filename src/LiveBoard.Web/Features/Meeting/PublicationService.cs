using System.Text.Encodings.Web;
using System.Text.Json;
using LiveBoard.Core.Meeting;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;
using System.Globalization;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Live;
using LiveBoard.Web.Standings;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>A publication as listed: no document.</summary>
public sealed record PublicationSummary(int Id, int Version, DateOnly? Day, string Label, string LabelEn, string Note, string PublishedBy, DateTimeOffset TakenAt);

/// <summary>A day's announced ranking as stored: the composite with its movement, and each indicator's standings by code.</summary>
public sealed record Announced(PublicationSummary Summary, string? ComparedWith, IReadOnlyList<CompositeStanding> Ranking,
    IReadOnlyDictionary<string, IReadOnlyList<IndicatorStanding>> ByIndicator);

/// <summary>One district's rank in each publication of the campaign, in publication order.</summary>
/// <param name="Campaign">the campaign whose history it is, with its districts; null when there is none.</param>
public sealed record RankHistory(IReadOnlyList<PublicationSummary> Publications, IReadOnlyDictionary<string, IReadOnlyList<int?>> Ranks, LiveBoard.Core.Campaigns.Campaign? Campaign = null);

/// <summary>What a publish request did: published a new version, answered a repeated Idempotency-Key, or found no campaign.</summary>
public abstract record PublishOutcome
{
    public sealed record Published(PublicationSummary Summary) : PublishOutcome;
    public sealed record Repeated(IdempotencyRecord Record) : PublishOutcome;
    public sealed record NoCampaign : PublishOutcome;
}

/// <summary>
/// Publishes the ranking (公布排名): a new immutable version holding everything it was computed from, as canonical JSON.
/// Rows are only ever inserted (the DbContext refuses updates and deletes), so an announced ranking can be re-read and
/// re-checked forever; later corrections show as "changed since published" until the next version picks them up.
/// What is published is the standings room's current snapshot: the ranking every screen shows at that moment.
/// </summary>
public sealed class PublicationService(IDbContextFactory<LiveBoardDbContext> dbFactory, LiveStandings standings, IChangeFeed feed, TimeProvider clock)
    : IDisposable
{
    public const string AuditKind = "ranking.published";

    // Canonical: property order is the declaration order below, dictionaries are sorted, numbers invariant, Chinese unescaped.
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    // The publication is the city's document: its component names are Chinese whatever the publisher's language.
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo(Cultures.Chinese);

    // One publication at a time in this process: the version number is max + 1 (the unique index catches the rest).
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The history the walls show, read once per latest publication and shared by all of them: each wall used to read it
    // for itself (fifty queries when fifty walls reconnect after a restart) and keep its own copy of the campaign.
    private volatile SharedHistory? _shared;

    private sealed record SharedHistory(HistoryKey Key, Task<RankHistory> History);

    /// <summary>What the current rank history depends on: the current campaign and its latest publication.</summary>
    public readonly record struct HistoryKey(int CampaignId, string? Label, DateTimeOffset? TakenAt)
    {
        /// <summary>The key of the history that goes with these standings.</summary>
        public static HistoryKey Of(CityStandings city) => new(city.Campaign.Id, city.LatestPublished?.Label, city.LatestPublished?.TakenAt);
    }

    public void Dispose() => _gate.Dispose();

    public async Task<PublicationSummary?> PublishAsync(DateOnly? day, string? note, string by, string channel, CancellationToken ct = default) =>
        await PublishAsync(day, note, by, channel, null, ct) is PublishOutcome.Published p ? p.Summary : null;

    /// <summary>
    /// Publishes the current standings. With an idempotency key, a key seen before returns the first answer and publishes
    /// nothing; the check runs inside the write transaction.
    /// </summary>
    public async Task<PublishOutcome> PublishAsync(DateOnly? day, string? note, string by, string channel, Idempotency? key, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // Another instance publishing at the same moment takes the same next version (or the same key): the unique
            // index refuses the second, which then reads again and publishes the version after (or answers the repeat).
            return await WriteRace.RetryAsync(() => PublishOnceAsync(day, note, by, channel, key, ct));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PublishOutcome> PublishOnceAsync(DateOnly? day, string? note, string by, string channel, Idempotency? key, CancellationToken ct)
    {
        var snapshot = await standings.CurrentAsync(ct);
        if (snapshot is null) return new PublishOutcome.NoCampaign();
        var city = snapshot.City;
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (key is not null && await db.SeenAsync(by, key, ct) is { } seen) return new PublishOutcome.Repeated(seen);
        var campaignId = city.Campaign.Id;
        var version = 1 + (await db.PublishedRankings.Where(p => p.CampaignId == campaignId).MaxAsync(p => (int?)p.Version, ct) ?? 0);
        var label = day is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d:yyyy年M月d日}排名（第{version}版）") : $"排名（第{version}版）";
        var labelEn = day is { } e ? string.Create(CultureInfo.InvariantCulture, $"Ranking of {e:yyyy-MM-dd} (version {version})") : $"Ranking (version {version})";
        var document = Document(city, version, day, note?.Trim() ?? "", by, now);
        var row = new PublishedRanking
        {
            CampaignId = campaignId, Label = label, LabelEn = labelEn, TakenAt = now, PublishedBy = by, Version = version,
            Day = day, Note = note?.Trim() ?? "", Document = document, WeightsVersion = city.Campaign.WeightsVersion,
            Entries = city.Ranking.Composite.Select(c => new PublishedRankingEntry { DistrictCode = c.DistrictCode, Rank = c.Rank, Score = c.Score }).ToList(),
        };
        db.PublishedRankings.Add(row);
        db.AuditEvents.Add(AuditLog.Event(AuditKind, by, channel, null, now, new { version, day, note = row.Note }));
        await db.SaveChangesAsync(ct);
        var summary = Summary(row);
        if (key is not null)
        {
            db.IdempotencyRecords.Add(key.Record(by, summary, now));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await feed.PublishAsync(new RankingPublished(campaignId, row.Id, version, day, by, now), CancellationToken.None);
        return new PublishOutcome.Published(summary);
    }

    /// <summary>The JSON document of a publication: figures, inspection scores, grades, weights and settings, the ranking.</summary>
    internal static string Document(CityStandings city, int version, DateOnly? day, string note, string by, DateTimeOffset at)
    {
        var campaign = city.Campaign;
        var ranked = city.Ranking.ByIndicator.Select(r => r.Indicator).ToList();
        decimal Max(Dimension d) => city.ScoringScheme.Dimensions.First(r => r.Dimension == d).MaxPoints;
        decimal Weight(Dimension d) => city.ScoringScheme.Dimensions.First(r => r.Dimension == d).Weight;
        var doc = new
        {
            campaign = campaign.Code,
            version,
            day = day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            note,
            publishedBy = by,
            publishedAt = at.ToString("O"),
            indicators = ranked.Select(i => new
            {
                code = i.Code, name = ComponentNames.Of(i, Zh), unit = i.Unit.ToString(), direction = i.Direction.ToString(), weight = i.Weight, target = i.Target,
                excludeWhenMissing = i.ExcludeWhenMissing,
            }),
            settings = new
            {
                StructureMax = Max(Dimension.Structure), EfficiencyMax = Max(Dimension.Efficiency), ServiceMax = Max(Dimension.Service),
                ResultsMax = Max(Dimension.Results), StructureWeight = Weight(Dimension.Structure), EfficiencyWeight = Weight(Dimension.Efficiency),
                ServiceWeight = Weight(Dimension.Service), ResultsWeight = Weight(Dimension.Results), city.ScoringScheme.TrimThreshold,
                city.InspectionWeight, city.GradeWeight,
            },
            figures = new SortedDictionary<string, SortedDictionary<string, decimal?>>(campaign.Districts.ToDictionary(d => d.Code,
                d => new SortedDictionary<string, decimal?>(campaign.Indicators.ToDictionary(i => i.Code, i => city.Figures.Get(d.Code, i.Code)), StringComparer.Ordinal)),
                StringComparer.Ordinal),
            inspection = new SortedDictionary<string, decimal?>(city.InspectionScores.ToDictionary(), StringComparer.Ordinal),
            grades = new
            {
                quarter = city.GradeQuarter,
                byDistrict = new SortedDictionary<string, SortedDictionary<string, string>>(city.Grades.GroupBy(g => g.Key.District).ToDictionary(g => g.Key,
                    g => new SortedDictionary<string, string>(g.ToDictionary(x => x.Key.Indicator, x => x.Value.ToString()), StringComparer.Ordinal)),
                    StringComparer.Ordinal),
            },
            byIndicator = city.Ranking.ByIndicator.Select(r => new
            {
                indicator = r.Indicator.Code,
                standings = r.Standings.Select(x => new { district = x.DistrictCode, value = x.Value, rank = x.Rank, score = x.Score, unranked = x.Unranked }),
            }),
            // A publication's movement is against the publication before it, whatever the screens showed until now.
            comparedWith = city.LatestPublished?.Label,
            ranking = city.Ranking.Composite.Select(c =>
            {
                var m = city.SinceLatestPublished(c);
                return new
                {
                    district = c.DistrictCode, rank = c.Rank, score = c.Score, movement = m.Kind.ToString(), places = m.Places,
                    missing = c.MissingCount,
                    components = new SortedDictionary<string, decimal>(c.IndicatorScores.ToDictionary(), StringComparer.Ordinal),
                };
            }),
        };
        return JsonSerializer.Serialize(doc, Canonical);
    }

    /// <summary>The version number the next publication will get (what a confirmation shows before publishing).</summary>
    public async Task<int> NextVersionAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return 1;
        return 1 + (await db.PublishedRankings.Where(p => p.CampaignId == campaign.Id).MaxAsync(p => (int?)p.Version, ct) ?? 0);
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
    /// <param name="campaignId">an earlier campaign's (the archive); null: the current one's.</param>
    public async Task<Announced?> AnnouncedAsync(DateOnly day, int? campaignId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if ((campaignId ?? (await db.CurrentCampaignAsync(ct))?.Id) is not { } id) return null;
        var row = await db.PublishedRankings.AsNoTracking().Where(p => p.CampaignId == id && p.Day == day)
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
                x.GetProperty("score").GetDecimal(),
                x.TryGetProperty("unranked", out var u) && u.GetBoolean())).ToList());
        return new Announced(Summary(row), comparedWith, ranking, byIndicator);
    }

    /// <summary>
    /// Each district's rank by day, oldest first: the rank-history chart. A day published more than once counts with its
    /// last version (the one that stood); publications without a day (the bulletin before the campaign) are kept as they are.
    /// </summary>
    /// <param name="campaignId">an earlier campaign's (the archive: a closed campaign's history stays readable); null: the current one's.</param>
    public async Task<RankHistory> HistoryAsync(int? campaignId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = campaignId is { } id
            ? await db.Campaigns.AsNoTracking().Include(c => c.Districts).FirstOrDefaultAsync(c => c.Id == id, ct)
            : await db.CurrentCampaignAsync(ct);
        if (campaign is null) return new RankHistory([], new Dictionary<string, IReadOnlyList<int?>>());
        var rows = await db.PublishedRankings.AsNoTracking().Include(p => p.Entries).Where(p => p.CampaignId == campaign.Id)
            .OrderBy(p => p.Version).ToListAsync(ct);
        rows = rows.Where(p => p.Day is null || !rows.Any(q => q.Day == p.Day && q.Version > p.Version)).ToList();
        var ranks = campaign.Districts.OrderBy(d => d.SortOrder).ToDictionary(d => d.Code,
            d => (IReadOnlyList<int?>)rows.Select(p => p.Entries.FirstOrDefault(e => e.DistrictCode == d.Code)?.Rank).ToList());
        return new RankHistory(rows.Select(Summary).ToList(), ranks, campaign);
    }

    /// <summary>
    /// The current campaign's <see cref="HistoryAsync"/> for every screen at once: read again only when
    /// <paramref name="key"/> (taken from the standings the screen shows) names another publication or campaign.
    /// </summary>
    public Task<RankHistory> SharedHistoryAsync(HistoryKey key)
    {
        if (_shared is { } shared && shared.Key == key && !shared.History.IsFaulted && !shared.History.IsCanceled) return shared.History;
        var read = HistoryAsync();
        _shared = new SharedHistory(key, read);
        return read;
    }

    private static PublicationSummary Summary(PublishedRanking p) => new(p.Id, p.Version, p.Day, p.Label, p.LabelEn, p.Note, p.PublishedBy, p.TakenAt);
}
