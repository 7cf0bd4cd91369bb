using System.Text.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>A headline indicator's weight, city target and districts' own targets as an organiser sets them.</summary>
/// <param name="DistrictTargets">district code → its own target, every one the indicator keeps (a district left out goes back to its
/// share of the city target); null leaves the districts' targets as they are.</param>
public sealed record WeightAndTarget(decimal Weight, decimal? Target, IReadOnlyDictionary<string, decimal>? DistrictTargets = null);

/// <summary>The composite's weights beside the headline indicators': the inspection score's and the grades'.</summary>
public sealed record ComponentWeights(decimal Inspection, decimal Grades);

/// <summary>What an organiser asks for in the weights form: every headline indicator's weight and target, the components', and why.</summary>
public sealed record WeightsChange(IReadOnlyDictionary<string, WeightAndTarget> Indicators, ComponentWeights Components, string Reason);

public abstract record WeightsOutcome
{
    public sealed record Changed(int Version) : WeightsOutcome;

    public sealed record Refused(IReadOnlyList<CampaignFault> Faults) : WeightsOutcome;

    public sealed record NotFound : WeightsOutcome;
}

/// <summary>
/// Weights and targets of a running campaign: the headline indicators' and the composite's inspection and grade components. Each change is a new version with who, when and why, written with its audit
/// row in one transaction and announced on the change feed, so every ranking is recomputed with it. A draft is changed in
/// the editor without versions (nothing was reported against it); a closed campaign is the record and never changes.
/// </summary>
public sealed class CampaignWeights(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock)
{
    public const string AuditKind = "weights-changed";

    /// <param name="components">the inspection and grade weights after the change; null leaves them as they are.</param>
    /// <param name="alongside">further writes of the same change, put into the context (not saved) once the version is:
    /// they commit in its transaction or not at all (the inspection settings that carry the component weights).</param>
    public async Task<WeightsOutcome> ChangeAsync(int campaignId, IReadOnlyDictionary<string, WeightAndTarget> changes, string? reason, string by, string channel,
        ComponentWeights? components = null, Func<LiveBoardDbContext, DateTimeOffset, Task>? alongside = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.Include(c => c.Indicators).Include(c => c.Districts).FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null) return new WeightsOutcome.NotFound();
        var faults = new List<CampaignFault>();
        if (campaign.Status != CampaignStatus.Active) faults.Add(new CampaignFault("", CampaignFile.Faults.NotActive));
        if (string.IsNullOrWhiteSpace(reason)) faults.Add(new CampaignFault("/reason", CampaignFile.Faults.Required));
        var headline = campaign.Indicators.Where(i => i.Category == IndicatorCategory.Headline).ToDictionary(i => i.Code);
        foreach (var (code, change) in changes)
        {
            if (!headline.ContainsKey(code)) faults.Add(new CampaignFault($"/indicators/{code}", CampaignFile.Faults.UnknownIndicator, code));
            if (change.Weight < 0) faults.Add(new CampaignFault($"/indicators/{code}/weight", CampaignFile.Faults.Negative));
            if (change.Target < 0) faults.Add(new CampaignFault($"/indicators/{code}/target", CampaignFile.Faults.Negative));
            if (headline.TryGetValue(code, out var indicator) && change.DistrictTargets is { } own)
                faults.AddRange(DistrictTargetFaults(campaign, indicator, own));
        }
        if (components is not null)
            foreach (var (where, weight) in new[] { ("/inspectionWeight", components.Inspection), ("/gradeWeight", components.Grades) })
                if (weight is < 0 or > 100) faults.Add(new CampaignFault(where, CampaignFile.Faults.WeightRange));
        if (faults.Count == 0 && !headline.Values.Any(i => (changes.TryGetValue(i.Code, out var c) ? c.Weight : i.Weight) > 0))
            faults.Add(new CampaignFault("/indicators", CampaignFile.Faults.NoPositiveWeight));
        if (faults.Count > 0) return new WeightsOutcome.Refused(faults);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var old = headline.Values.ToDictionary(i => i.Code, i => new WeightAndTarget(i.Weight, i.Target, i.DistrictTargets));
        foreach (var (code, change) in changes)
        {
            headline[code].Weight = change.Weight;
            headline[code].Target = change.Target;
            // A new dictionary, not the old one changed: the audit's old values keep the one read.
            if (change.DistrictTargets is { } own) headline[code].DistrictTargets = new Dictionary<string, decimal>(own, StringComparer.Ordinal);
        }
        var settings = await db.InspectionSettings.FirstOrDefaultAsync(s => s.CampaignId == campaignId, ct);
        if (settings is null && components is not null) db.InspectionSettings.Add(settings = InspectionSettings.Defaults(campaignId));
        var oldComponents = settings is null ? Components(InspectionSettings.Defaults(campaignId)) : Components(settings);
        if (components is not null) (settings!.InspectionWeight, settings.GradeWeight) = (components.Inspection, components.Grades);
        var newComponents = components ?? oldComponents;
        var now = clock.GetUtcNow();
        var version = await db.WeightsVersionAsync(campaignId, ct) + 1;
        var @new = headline.Values.OrderBy(i => i.SortOrder).ToDictionary(i => i.Code, i => new WeightAndTarget(i.Weight, i.Target, i.DistrictTargets));
        db.WeightsVersions.Add(new WeightsVersion
        {
            CampaignId = campaignId, Version = version, ChangedAt = now, ChangedBy = by, Reason = reason!.Trim(),
            Weights = JsonSerializer.Serialize(new { indicators = @new, components = newComponents }, JsonSerializerOptions.Web),
        });
        db.AuditEvents.Add(AuditLog.Event(AuditKind, by, channel, null, now,
            new { campaign = campaign.Code, version, reason = reason.Trim(), old, @new, components = new { old = oldComponents, @new = newComponents } }));
        if (alongside is not null) await alongside(db, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await feed.PublishAsync(new WeightsChanged(campaignId, version, by, now), ct);
        return new WeightsOutcome.Changed(version);
    }

    /// <summary>A district's own targets checked by the file's rule (a district the campaign has, above 0, in the plausible range).</summary>
    private static IEnumerable<CampaignFault> DistrictTargetFaults(Campaign campaign, Indicator indicator, IReadOnlyDictionary<string, decimal> targets)
    {
        var file = CampaignFile.From(campaign, [], null, null);
        var entry = file.Indicators.First(i => i.Code == indicator.Code);
        var check = new CampaignFile
        {
            SchemaVersion = CampaignFile.CurrentSchemaVersion, Code = campaign.Code, Districts = file.Districts, Indicators = [entry],
            DistrictTargets = targets.Select(t => new CampaignFile.DistrictTargetEntry(indicator.Code, t.Key, t.Value)).ToList(),
        };
        var districts = targets.Keys.ToList();
        return check.Validate(complete: false)
            .Where(f => f.Where.StartsWith("/districtTargets/", StringComparison.Ordinal))
            .Select(f =>
            {
                var parts = f.Where.Split('/');
                var field = parts[3] == "district" ? "" : "/" + parts[3];
                return f with { Where = $"/indicators/{indicator.Code}/districtTargets/{districts[int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)]}{field}" };
            });
    }

    private static ComponentWeights Components(InspectionSettings s) => new(s.InspectionWeight, s.GradeWeight);

    /// <summary>The campaign's inspection and grade weights as they stand.</summary>
    public async Task<ComponentWeights> ComponentsAsync(int campaignId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Components(await db.InspectionSettingsAsync(campaignId, ct));
    }

    /// <summary>Every version of a campaign's weights and targets after the first, newest first.</summary>
    public async Task<IReadOnlyList<WeightsVersion>> VersionsAsync(int campaignId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WeightsVersions.AsNoTracking().Where(v => v.CampaignId == campaignId).OrderByDescending(v => v.Version).ToListAsync(ct);
    }
}
