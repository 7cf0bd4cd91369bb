using System.Security.Claims;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Inspection;

/// <summary>One day of the itinerary: all groups' routes.</summary>
public sealed record ItineraryView(Campaign Campaign, DateOnly Today, DateOnly Day, IReadOnlyList<SiteRow> Sites);

/// <summary>A score sheet as submitted: points per dimension and the optional texts.</summary>
public sealed record ScoreSheet(int SiteId, decimal Structure, decimal Efficiency, decimal Service, decimal Results,
    string? Gaps = null, string? Highlights = null);

/// <summary>What an accepted score sheet did: the answer the API returns, and replays for a repeated Idempotency-Key.</summary>
public sealed record ScoreReceipt(int Site, string Observer, decimal Structure, decimal Efficiency, decimal Service, decimal Results,
    decimal Total, int Version, DateTimeOffset At);

public abstract record ScoreOutcome
{
    public sealed record Accepted(ScoreReceipt Receipt) : ScoreOutcome;
    public sealed record Repeated(IdempotencyRecord Record) : ScoreOutcome;
    public sealed record Invalid(IReadOnlyList<ScoreError> Errors) : ScoreOutcome;
    public sealed record NotFound : ScoreOutcome;
    public sealed record Forbidden : ScoreOutcome;
    public sealed record Closed : ScoreOutcome;
}

/// <summary>One site's sheets and their aggregate, for leaders and organisers.</summary>
public sealed record SiteScoresView(SiteRow Site, IReadOnlyList<SiteScoreSheet> Sheets, SiteScore Aggregate);

/// <summary>
/// The inspection week's one write path (visits, score sheets, closures, grades) whatever the channel, and its reads.
/// Like figures: every write is checked against <see cref="Policies"/>, written in one transaction with its audit row,
/// and announced on the change feed only after commit.
/// </summary>
public sealed class InspectionService(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock, CampaignClock campaignClock)
{
    public async Task<DateOnly?> TodayAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CurrentCampaignAsync(ct) is { } c ? campaignClock.CampaignToday(c) : null;
    }

    /// <summary>The current campaign's scoring settings (the defaults when none were stored).</summary>
    public async Task<InspectionSettings?> SettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CurrentCampaignAsync(ct) is { } c ? await db.InspectionSettingsAsync(c.Id, ct) : null;
    }

    /// <summary>Stores new settings for the current campaign (organisers); the caller validated them.</summary>
    public async Task<bool> SaveSettingsAsync(InspectionSettings settings, string by, string channel, string? requestId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return false;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await StageSettingsAsync(db, campaign.Id, settings, by, channel, requestId, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await AnnounceSettingsAsync(campaign.Id, by, now);
        return true;
    }

    /// <summary>
    /// Puts new settings and their audit row into <paramref name="db"/> without saving: the caller commits them, with
    /// whatever else belongs to the same change (a change of the composite's weights commits them with its weights
    /// version, <see cref="Campaigns.CampaignWeights"/>), then calls <see cref="AnnounceSettingsAsync"/>.
    /// </summary>
    public static async Task StageSettingsAsync(LiveBoardDbContext db, int campaignId, InspectionSettings settings, string by, string channel,
        string? requestId, DateTimeOffset now, CancellationToken ct)
    {
        // The weights change may have read and changed the row in this context already, or added it: its old values are
        // the ones read from the database, not the ones it set.
        var row = db.InspectionSettings.Local.FirstOrDefault(s => s.CampaignId == campaignId)
                  ?? await db.InspectionSettings.FirstOrDefaultAsync(s => s.CampaignId == campaignId, ct);
        var old = row is null || db.Entry(row).State == EntityState.Added
            ? InspectionSettings.Defaults(campaignId)
            : Copy((InspectionSettings)db.Entry(row).OriginalValues.ToObject());
        if (row is null)
        {
            row = new InspectionSettings { CampaignId = campaignId };
            db.InspectionSettings.Add(row);
        }
        db.Entry(row).CurrentValues.SetValues(Copy(settings, campaignId));
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.SettingsChanged, by, channel, requestId, now, new { old, @new = Copy(settings, campaignId) }));
    }

    /// <summary>Tells the screens, after commit, that the campaign's scoring settings changed.</summary>
    public Task AnnounceSettingsAsync(int campaignId, string by, DateTimeOffset at) =>
        feed.PublishAsync(new InspectionSettingsChanged(campaignId, by, at), CancellationToken.None);

    private static InspectionSettings Copy(InspectionSettings s, int? campaignId = null) => new()
    {
        CampaignId = campaignId ?? s.CampaignId, StructureMax = s.StructureMax, EfficiencyMax = s.EfficiencyMax, ServiceMax = s.ServiceMax,
        ResultsMax = s.ResultsMax, StructureWeight = s.StructureWeight, EfficiencyWeight = s.EfficiencyWeight, ServiceWeight = s.ServiceWeight,
        ResultsWeight = s.ResultsWeight, TrimThreshold = s.TrimThreshold, DropHighest = s.DropHighest, DropLowest = s.DropLowest,
        InspectionWeight = s.InspectionWeight, GradeWeight = s.GradeWeight, GoodPoints = s.GoodPoints, FairlyGoodPoints = s.FairlyGoodPoints,
        AveragePoints = s.AveragePoints, GoodFrom = s.GoodFrom, FairlyGoodFrom = s.FairlyGoodFrom,
    };

    public async Task<IReadOnlyList<SiteRow>> SitesAsync(DateOnly? day = null, string? group = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return [];
        return await db.SiteRowsAsync(campaign, day, group, null, ct);
    }

    /// <summary>The campaign, its "today" and the sites of one day (today when none is given): what the itinerary page shows.</summary>
    public async Task<ItineraryView?> ItineraryAsync(DateOnly? day = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return null;
        campaign.Days = campaign.Days.OrderBy(d => d.Date).ToList();
        campaign.Districts = campaign.Districts.OrderBy(d => d.SortOrder).ToList();
        var today = campaignClock.CampaignToday(campaign);
        var shown = day ?? today;
        return new ItineraryView(campaign, today, shown, await db.SiteRowsAsync(campaign, shown, null, null, ct));
    }

    /// <summary>Marks arrival or visit. Null when the site does not exist; false when the user may not mark it.</summary>
    public async Task<(bool Found, bool Allowed, SiteRow? Site)> MarkVisitAsync(int siteId, VisitKind kind, decimal? kilometres, ClaimsPrincipal user,
        string channel, string? requestId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return (false, false, null);
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId && s.CampaignId == campaign.Id, ct);
        if (site is null) return (false, false, null);
        var groupCode = campaign.TouringGroups.First(g => g.Id == site.TouringGroupId).Code;
        if (!Policies.CanMarkVisit(user, groupCode)) return (true, false, null);

        var now = clock.GetUtcNow();
        var by = user.Identity!.Name!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var before = await db.SiteVisits.AsNoTracking().Where(v => v.SiteId == siteId).OrderByDescending(v => v.Id).Select(v => (VisitKind?)v.Kind).FirstOrDefaultAsync(ct);
        db.SiteVisits.Add(new SiteVisit { CampaignId = campaign.Id, SiteId = siteId, Kind = kind, By = by, At = now, Kilometres = kilometres });
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.SiteVisited, by, channel, requestId, now, new { site = siteId, old = before?.ToString(), @new = kind.ToString(), kilometres }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var district = campaign.Districts.First(d => d.Id == site.DistrictId).Code;
        await feed.PublishAsync(new SiteVisited(campaign.Id, siteId, groupCode, district, kind, by, now), CancellationToken.None);
        return (true, true, (await db.SiteRowsAsync(campaign, null, null, siteId, ct)).Single());
    }

    /// <summary>
    /// Records (or changes) the calling observer's sheet for a site. With an idempotency key, a key seen before returns
    /// the first answer and writes nothing; the check runs inside the write transaction, so two racing retries write once.
    /// </summary>
    // Another instance wrote this sheet or this key first: read again (a retry then gets the first answer).
    public Task<ScoreOutcome> RecordScoreAsync(ScoreSheet sheet, ClaimsPrincipal user, string channel, string? requestId = null,
        Idempotency? idempotency = null, CancellationToken ct = default) =>
        WriteRace.RetryAsync(() => RecordScoreOnceAsync(sheet, user, channel, requestId, idempotency, ct));

    private async Task<ScoreOutcome> RecordScoreOnceAsync(ScoreSheet sheet, ClaimsPrincipal user, string channel, string? requestId,
        Idempotency? idempotency, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return new ScoreOutcome.NotFound();
        var observer = user.Identity!.Name!;
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sheet.SiteId && s.CampaignId == campaign.Id, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A replay is answered before anything else: the first answer stands even if scoring has closed since.
        if (idempotency is { } idem && await db.SeenAsync(observer, idem, ct) is { } seen)
            return new ScoreOutcome.Repeated(seen);
        if (site is null) return new ScoreOutcome.NotFound();
        var groupCode = campaign.TouringGroups.First(g => g.Id == site.TouringGroupId).Code;
        if (!Policies.CanScore(user, groupCode, site.Day, campaignClock.CampaignToday(campaign))) return new ScoreOutcome.Forbidden();

        var settings = await db.InspectionSettingsAsync(campaign.Id, ct);
        var scheme = settings.Scheme();
        var marks = new ObserverScore(observer, sheet.Structure, sheet.Efficiency, sheet.Service, sheet.Results);
        if (scheme.Validate(marks) is { Count: > 0 } errors) return new ScoreOutcome.Invalid(errors);
        if (await db.ScoringClosures.AnyAsync(c => c.SiteId == site.Id, ct)) return new ScoreOutcome.Closed();

        var now = clock.GetUtcNow();
        var row = await db.SiteScoreSheets.FirstOrDefaultAsync(s => s.SiteId == site.Id && s.Observer == observer, ct);
        var old = row is null ? null : new { row.Structure, row.Efficiency, row.Service, row.Results, row.Gaps, row.Highlights, row.Version };
        if (row is null)
        {
            row = new SiteScoreSheet { CampaignId = campaign.Id, SiteId = site.Id, Observer = observer, CreatedAt = now };
            db.SiteScoreSheets.Add(row);
        }
        row.Structure = sheet.Structure;
        row.Efficiency = sheet.Efficiency;
        row.Service = sheet.Service;
        row.Results = sheet.Results;
        row.Gaps = sheet.Gaps?.Trim() ?? "";
        row.Highlights = sheet.Highlights?.Trim() ?? "";
        row.Version += 1;
        row.UpdatedAt = now;

        var receipt = new ScoreReceipt(site.Id, observer, row.Structure, row.Efficiency, row.Service, row.Results, scheme.Total(marks), row.Version, now);
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.ScoreRecorded, observer, channel, requestId, now, new
        {
            site = site.Id, old, @new = new { row.Structure, row.Efficiency, row.Service, row.Results, row.Gaps, row.Highlights, row.Version },
        }));
        if (idempotency is { } key) db.IdempotencyRecords.Add(key.Record(observer, receipt, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var district = campaign.Districts.First(d => d.Id == site.DistrictId).Code;
        await feed.PublishAsync(new ScoreRecorded(campaign.Id, site.Id, district, observer, receipt.Total, row.Version, now), CancellationToken.None);
        return new ScoreOutcome.Accepted(receipt);
    }

    /// <summary>Closes scoring for a site (organisers): its marks are final. False when there is no such site.</summary>
    // The closure's key is the site: when another instance closed it first, the retry finds it closed and writes nothing.
    public Task<bool> CloseScoringAsync(int siteId, string by, string channel, string? requestId = null, CancellationToken ct = default) =>
        WriteRace.RetryAsync(() => CloseScoringOnceAsync(siteId, by, channel, requestId, ct));

    private async Task<bool> CloseScoringOnceAsync(int siteId, string by, string channel, string? requestId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return false;
        if (!await db.Sites.AnyAsync(s => s.Id == siteId && s.CampaignId == campaign.Id, ct)) return false;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ScoringClosures.AnyAsync(c => c.SiteId == siteId, ct)) return true;
        db.ScoringClosures.Add(new ScoringClosure { SiteId = siteId, CampaignId = campaign.Id, ClosedBy = by, ClosedAt = now });
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.ScoringClosed, by, channel, requestId, now, new { site = siteId, old = "open", @new = "closed" }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await feed.PublishAsync(new ScoringClosed(campaign.Id, siteId, by, now), CancellationToken.None);
        return true;
    }

    public async Task<SiteScoresView?> ScoresAsync(int siteId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return null;
        var rows = await db.SiteRowsAsync(campaign, null, null, siteId, ct);
        if (rows.Count == 0) return null;
        var sheets = await db.SiteScoreSheets.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.Observer).ToListAsync(ct);
        var scheme = (await db.InspectionSettingsAsync(campaign.Id, ct)).Scheme();
        return new SiteScoresView(rows[0], sheets, InspectionScores.Site(scheme, sheets.Select(s => s.ToScore()).ToList()));
    }

    /// <summary>Sets a district's grade for an indicator and quarter (organisers). Returns the field that names nothing, if any.</summary>
    // The grade's unique key and version decide between instances: the loser reads the winner's grade and writes on top of it,
    // so the audit's old value is always the grade it replaced.
    public Task<(string? UnknownField, GradeChanged? Change)> SetGradeAsync(string districtCode, string indicatorCode, string quarter, Grade grade,
        string? remark, string by, string channel, string? requestId = null, CancellationToken ct = default) =>
        WriteRace.RetryAsync(() => SetGradeOnceAsync(districtCode, indicatorCode, quarter, grade, remark, by, channel, requestId, ct));

    private async Task<(string? UnknownField, GradeChanged? Change)> SetGradeOnceAsync(string districtCode, string indicatorCode, string quarter, Grade grade,
        string? remark, string by, string channel, string? requestId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return ("campaign", null);
        var district = campaign.Districts.FirstOrDefault(d => d.Code == districtCode);
        if (district is null) return ("district", null);
        var indicator = campaign.Indicators.FirstOrDefault(i => i.Code == indicatorCode && i.Category == IndicatorCategory.BusinessEnvironment);
        if (indicator is null) return ("indicator", null);

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.DistrictGrades.FirstOrDefaultAsync(g => g.CampaignId == campaign.Id && g.DistrictId == district.Id
            && g.IndicatorId == indicator.Id && g.Quarter == quarter, ct);
        var old = row is null ? null : new { Grade = row.Grade.ToString(), row.Remark, row.Version };
        if (row is null)
        {
            row = new DistrictGrade { CampaignId = campaign.Id, DistrictId = district.Id, IndicatorId = indicator.Id, Quarter = quarter, GradedBy = by };
            db.DistrictGrades.Add(row);
        }
        var oldGrade = old is null ? (Grade?)null : row.Grade;
        row.Grade = grade;
        row.Remark = remark?.Trim() ?? "";
        row.GradedBy = by;
        row.GradedAt = now;
        row.Version += 1;
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.GradeSet, by, channel, requestId, now, new
        {
            district = districtCode, indicator = indicatorCode, quarter, old, @new = new { Grade = grade.ToString(), row.Remark, row.Version },
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var change = new GradeChanged(campaign.Id, districtCode, indicatorCode, quarter, oldGrade, grade, by, now);
        await feed.PublishAsync(change, CancellationToken.None);
        return (null, change);
    }

    /// <summary>All grades of a quarter (the latest graded quarter when none is given), by district and indicator code.</summary>
    public async Task<GradeSheet> GradesAsync(string? quarter = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CurrentCampaignAsync(ct) is not { } campaign) return GradeSheet.Empty;
        return await db.GradeSheetAsync(campaign, quarter, ct);
    }
}
