using System.Text.Json;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>What became of a campaign file: stored under an id, or refused whole with every fault.</summary>
public abstract record CampaignImportOutcome
{
    public sealed record Created(int Id, string Code) : CampaignImportOutcome;

    public sealed record Refused(IReadOnlyList<CampaignFault> Faults) : CampaignImportOutcome;

    /// <summary>The idempotency key was used before: its first answer (a <see cref="Created"/>), nothing written now.</summary>
    public sealed record Repeated(IdempotencyRecord Record) : CampaignImportOutcome;
}

public static class CampaignAudit
{
    public const string Created = "campaign-created";
    public const string Replaced = "campaign-replaced";
    public const string Activated = "campaign-activated";
}

/// <summary>
/// The one path by which a campaign file enters the database: the demo on first start, the API, the xlsx workbook and the
/// editor all come through here. A file is checked first (<see cref="CampaignFile.Validate"/>) and written in one
/// transaction, with its starting figures entering the history and an audit row, or not at all.
/// </summary>
public sealed class CampaignImport(IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="complete">false for a new draft started in the editor, which gets its districts and weights later.</param>
    /// <remarks>
    /// With an idempotency key, a key seen before returns its first answer and writes nothing: a script whose answer was
    /// lost retries and learns the id, instead of being told the code exists. Checked inside the write transaction.
    /// </remarks>
    public async Task<CampaignImportOutcome> CreateAsync(CampaignFile file, CampaignStatus status, string by, string channel, bool complete = true,
        Idempotency? key = null, CancellationToken ct = default)
    {
        if (file.Validate(complete) is { Count: > 0 } faults) return new CampaignImportOutcome.Refused(faults);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ObserverFaultsAsync(db, file, ct) is { Count: > 0 } observerFaults) return new CampaignImportOutcome.Refused(observerFaults);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (key is not null && await db.SeenAsync(by, key, ct) is { } seen) return new CampaignImportOutcome.Repeated(seen);
        if (await db.Campaigns.AnyAsync(c => c.Code == file.Code, ct))
            return new CampaignImportOutcome.Refused([new CampaignFault("/code", CampaignFile.Faults.Duplicate, file.Code)]);

        var campaign = file.ToCampaign();
        campaign.Status = status;
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        await AddContentsAsync(db, campaign, file, startingFigures: true, by, channel, ct);
        await SetScoringAsync(db, campaign.Id, file.Scoring, ct);
        db.AuditEvents.Add(AuditLog.Event(CampaignAudit.Created, by, channel, null, clock.GetUtcNow(),
            new { campaign = campaign.Code, campaign.Name, status = campaign.Status.ToString(), districts = campaign.Districts.Count, indicators = campaign.Indicators.Count }));
        await db.SaveChangesAsync(ct);
        var created = new CampaignImportOutcome.Created(campaign.Id, campaign.Code);
        if (key is not null)
        {
            db.IdempotencyRecords.Add(key.Record(by, created, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>
    /// Replaces a draft's contents with the file's (the editor saves a draft whole). Only drafts: an active campaign's
    /// figures, scores and publications refer to its rows, and a closed one is read-only.
    /// </summary>
    public async Task<CampaignImportOutcome> ReplaceDraftAsync(int id, CampaignFile file, string by, string channel, CancellationToken ct = default)
    {
        if (file.Validate(complete: false) is { Count: > 0 } faults) return new CampaignImportOutcome.Refused(faults);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await ObserverFaultsAsync(db, file, ct) is { Count: > 0 } observerFaults) return new CampaignImportOutcome.Refused(observerFaults);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null || campaign.Status != CampaignStatus.Draft)
            return new CampaignImportOutcome.Refused([new CampaignFault("", CampaignFile.Faults.NotADraft)]);
        if (file.Code != campaign.Code && await db.Campaigns.AnyAsync(c => c.Code == file.Code, ct))
            return new CampaignImportOutcome.Refused([new CampaignFault("/code", CampaignFile.Faults.Duplicate, file.Code)]);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Entry(campaign).Collection(c => c.Districts).LoadAsync(ct);
        await db.Entry(campaign).Collection(c => c.Indicators).LoadAsync(ct);
        await db.Entry(campaign).Collection(c => c.TouringGroups).LoadAsync(ct);
        await db.Entry(campaign).Collection(c => c.Days).LoadAsync(ct);
        var before = CampaignFile.From(campaign, await db.Sites.AsNoTracking().Where(s => s.CampaignId == id).ToListAsync(ct), null, null,
            (await db.InspectionSettingsAsync(id, ct)).ToScoring());

        // Rows are kept by code (a draft's starting figures refer to its districts and indicators); the rest follows the file.
        var fresh = file.ToCampaign();
        campaign.Code = fresh.Code;
        campaign.Name = fresh.Name;
        campaign.NameEn = fresh.NameEn;
        campaign.City = fresh.City;
        campaign.CityEn = fresh.CityEn;
        campaign.StartDate = fresh.StartDate;
        campaign.EndDate = fresh.EndDate;
        campaign.TimeZone = fresh.TimeZone;
        var removed = new List<object>();
        Sync(campaign.Districts, fresh.Districts, d => d.Code, (to, from) =>
        {
            to.Name = from.Name; to.NameEn = from.NameEn; to.ShortName = from.ShortName; to.ShortNameEn = from.ShortNameEn; to.SortOrder = from.SortOrder;
        }, removed);
        Sync(campaign.Indicators, fresh.Indicators, i => i.Code, (to, from) =>
        {
            to.Name = from.Name; to.NameEn = from.NameEn; to.Category = from.Category; to.Unit = from.Unit; to.Direction = from.Direction;
            to.Aggregation = from.Aggregation; to.Target = from.Target; to.Weight = from.Weight; to.Decimals = from.Decimals;
            to.PlausibleMin = from.PlausibleMin; to.PlausibleMax = from.PlausibleMax; to.SortOrder = from.SortOrder;
            to.DistrictTargets = from.DistrictTargets;
        }, removed);
        Sync(campaign.TouringGroups, fresh.TouringGroups, g => g.Code, (to, from) => { to.Name = from.Name; to.NameEn = from.NameEn; }, removed);
        Sync(campaign.Days, fresh.Days, d => d.Date.DayNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (to, from) => { to.Title = from.Title; to.TitleEn = from.TitleEn; }, removed);
        var removedDistricts = removed.OfType<District>().Select(d => d.Id).ToList();
        var removedIndicators = removed.OfType<Indicator>().Select(i => i.Id).ToList();
        if (await db.Figures.AnyAsync(f => f.CampaignId == id && (removedDistricts.Contains(f.DistrictId) || removedIndicators.Contains(f.IndicatorId)), ct))
            return new CampaignImportOutcome.Refused([new CampaignFault("/figures", CampaignFile.Faults.HasFigures)]);
        // A draft's sites have no visits or scores yet (only the current campaign is scored): they are rewritten.
        await db.Sites.Where(s => s.CampaignId == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await AddContentsAsync(db, campaign, file, startingFigures: false, by, channel, ct);
        await SetScoringAsync(db, campaign.Id, file.Scoring, ct);
        db.AuditEvents.Add(AuditLog.Event(CampaignAudit.Replaced, by, channel, null, clock.GetUtcNow(),
            new { campaign = campaign.Code, old = Summary(before), @new = Summary(file) }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CampaignImportOutcome.Created(campaign.Id, campaign.Code);
    }

    /// <summary>
    /// The observers a file names must be the accounts of its groups: an observer is bound to a group by its code, for every
    /// campaign alike, so a file does not move accounts; the organiser creates or assigns them from the group's row.
    /// </summary>
    private static async Task<List<CampaignFault>> ObserverFaultsAsync(LiveBoardDbContext db, CampaignFile file, CancellationToken ct)
    {
        var named = file.TouringGroups.SelectMany(g => g.Observers ?? []).Select(n => n.Trim()).ToList();
        var faults = new List<CampaignFault>();
        if (named.Count == 0) return faults;
        var accounts = await db.Users.AsNoTracking().Where(u => named.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.TouringGroupCode, StringComparer.OrdinalIgnoreCase, ct);
        for (var i = 0; i < file.TouringGroups.Count; i++)
        {
            var group = file.TouringGroups[i];
            for (var j = 0; j < (group.Observers?.Count ?? 0); j++)
            {
                var name = group.Observers![j].Trim();
                if (!accounts.TryGetValue(name, out var bound) || bound is null)
                    faults.Add(new CampaignFault($"/touringGroups/{i}/observers/{j}", CampaignFile.Faults.UnknownObserver, name));
                else if (bound != group.Code)
                    faults.Add(new CampaignFault($"/touringGroups/{i}/observers/{j}", CampaignFile.Faults.ObserverOfAnotherGroup, name, bound));
            }
        }
        return faults;
    }

    /// <summary>Makes <paramref name="stored"/> hold what <paramref name="wanted"/> holds, matching rows by key.</summary>
    private static void Sync<T>(List<T> stored, List<T> wanted, Func<T, string> key, Action<T, T> copy, List<object> removed) where T : class
    {
        var byKey = stored.ToDictionary(key, StringComparer.Ordinal);
        var keep = wanted.Select(key).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Where(s => !keep.Contains(key(s))).ToList())
        {
            stored.Remove(gone);
            removed.Add(gone);
        }
        foreach (var w in wanted)
        {
            if (byKey.TryGetValue(key(w), out var existing)) copy(existing, w);
            else stored.Add(w);
        }
    }

    /// <summary>
    /// The file's scoring part as the campaign's settings; a file without one puts the campaign on the defaults. Stored
    /// either way, so that an export reads every campaign's scoring from the same place and writes it the same way.
    /// </summary>
    private static async Task SetScoringAsync(LiveBoardDbContext db, int campaignId, CampaignFile.ScoringEntry? scoring, CancellationToken ct)
    {
        var row = await db.InspectionSettings.FirstOrDefaultAsync(s => s.CampaignId == campaignId, ct);
        if (row is null) db.InspectionSettings.Add(row = InspectionSettings.Defaults(campaignId));
        row.Apply(scoring ?? InspectionSettings.Defaults(campaignId).ToScoring());
    }

    private static object Summary(CampaignFile f) => new
    {
        f.Name, f.City, start = f.StartDate, end = f.EndDate, districts = f.Districts.Select(d => d.Code),
        weights = f.Indicators.Where(i => i.Weight > 0).ToDictionary(i => i.Code, i => i.Weight),
        targets = f.Indicators.Where(i => i.Target is not null).ToDictionary(i => i.Code, i => i.Target),
        districtTargets = f.DistrictTargets?.Select(t => new { t.Indicator, t.District, t.Target }),
        groups = f.TouringGroups.Count, days = f.Days.Count, sites = f.Sites.Count, scoring = f.Scoring,
    };

    /// <summary>Sites, starting figures (with their first revision) and the announced ranking of a campaign just saved.</summary>
    /// <param name="startingFigures">false when a draft is saved again: its figures and ranking were brought by the file that created it.</param>
    private async Task AddContentsAsync(LiveBoardDbContext db, Campaign campaign, CampaignFile file, bool startingFigures, string by, string channel, CancellationToken ct)
    {
        var districts = campaign.Districts.ToDictionary(d => d.Code);
        var indicators = campaign.Indicators.ToDictionary(i => i.Code);
        var groups = campaign.TouringGroups.ToDictionary(g => g.Code);
        foreach (var s in file.Sites)
        {
            var site = new Site { CampaignId = campaign.Id, Name = s.Name, NameEn = s.NameEn, Address = string.IsNullOrWhiteSpace(s.Address) ? null : s.Address, PlannedArrival = s.PlannedArrival };
            s.ApplyTo(site, districts[s.District].Id, groups[s.Group].Id);
            db.Sites.Add(site);
        }

        if (!startingFigures) return;
        var now = clock.GetUtcNow();
        var figures = new List<Figure>();
        foreach (var (districtCode, values) in file.Figures)
            foreach (var (indicatorCode, value) in values)
                figures.Add(new Figure
                {
                    CampaignId = campaign.Id, DistrictId = districts[districtCode].Id, IndicatorId = indicators[indicatorCode].Id,
                    Value = value, Version = 1, UpdatedAt = now, UpdatedBy = by,
                });
        db.Figures.AddRange(figures);
        await db.SaveChangesAsync(ct);

        // The starting figures enter the history like any other change, so every figure's story starts somewhere.
        db.FigureRevisions.AddRange(figures.Select(f => new FigureRevision
        {
            FigureId = f.Id, CampaignId = f.CampaignId, DistrictId = f.DistrictId, IndicatorId = f.IndicatorId,
            OldValue = null, NewValue = f.Value, Version = 1, ChangedAt = now, ChangedBy = by,
            Reason = "拉练文件初始值", Channel = channel,
        }));

        if (file.ToPreviousSnapshot() is { } previous)
        {
            db.PublishedRankings.Add(new PublishedRanking
            {
                CampaignId = campaign.Id, Label = file.PreviousRanking!.Label, LabelEn = file.PreviousRanking.LabelEn,
                TakenAt = previous.TakenAt, PublishedBy = by, Version = 1,
                Document = JsonSerializer.Serialize(new { label = file.PreviousRanking.Label, ranks = previous.Ranks }),
                Entries = file.PreviousRanking.Order.Select((code, i) => new PublishedRankingEntry { DistrictCode = code, Rank = i + 1 }).ToList(),
            });
        }
    }

    /// <summary>A stored campaign as a file: what export writes and what imports to an identical campaign.</summary>
    public async Task<CampaignFile?> ExportAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct)) return null;
        var campaign = await LoadAsync(db, id, ct);
        var sites = await db.Sites.AsNoTracking().Where(s => s.CampaignId == id).ToListAsync(ct);
        var districts = campaign.Districts.ToDictionary(d => d.Id, d => d.Code);
        var indicators = campaign.Indicators.ToDictionary(i => i.Id, i => i.Code);
        var figures = new FigureTable();
        foreach (var f in await db.Figures.AsNoTracking().Where(f => f.CampaignId == id).ToListAsync(ct))
            figures.Set(districts[f.DistrictId], indicators[f.IndicatorId], f.Value);
        // The ranking announced before the campaign began (no day): what movement is measured against at the start.
        var previous = await db.PublishedRankings.AsNoTracking().Include(p => p.Entries)
            .Where(p => p.CampaignId == id && p.Day == null).OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct);
        var order = campaign.Districts.ToDictionary(d => d.Code, d => d.SortOrder);
        return CampaignFile.From(campaign, sites, figures, previous is null ? null : new CampaignFile.PreviousRankingEntry(
            previous.Label, previous.LabelEn, previous.TakenAt,
            previous.Entries.OrderBy(e => e.Rank).ThenBy(e => order.GetValueOrDefault(e.DistrictCode, int.MaxValue)).Select(e => e.DistrictCode).ToList()),
            (await db.InspectionSettingsAsync(id, ct)).ToScoring(), await ObserversAsync(db, campaign, ct));
    }

    /// <summary>Each of the campaign's groups with the user names of the observer accounts bound to it, in name order.</summary>
    private static async Task<Dictionary<string, List<string>>> ObserversAsync(LiveBoardDbContext db, Campaign campaign, CancellationToken ct)
    {
        var codes = campaign.TouringGroups.Select(g => g.Code).ToList();
        var bound = await db.Users.AsNoTracking().Where(u => u.TouringGroupCode != null && codes.Contains(u.TouringGroupCode))
            .Select(u => new { u.TouringGroupCode, u.UserName }).ToListAsync(ct);
        return bound.GroupBy(u => u.TouringGroupCode!).ToDictionary(g => g.Key, g => g.Select(u => u.UserName!).Order(StringComparer.Ordinal).ToList());
    }

    private static Task<Campaign> LoadAsync(LiveBoardDbContext db, int id, CancellationToken ct) =>
        db.CampaignsWithLists().FirstAsync(c => c.Id == id, ct);
}
