using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>One value in a report. <see cref="ExpectedVersion"/> is the version the reporter started from.</summary>
public sealed record FigureEntry(string IndicatorCode, decimal Value, int? ExpectedVersion = null, string? Reason = null);

/// <summary>A district's submission of one or more values: accepted or refused as a whole.</summary>
public sealed record ReportRequest(string DistrictCode, IReadOnlyList<FigureEntry> Values, string Author, string Channel);

public sealed record FieldError(string Field, FigureError Error);

/// <summary>The figure someone else changed first: what it is now, and who made it so.</summary>
public sealed record VersionConflict(string IndicatorCode, int ExpectedVersion, int CurrentVersion, decimal CurrentValue, string CurrentAuthor, DateTimeOffset ChangedAt);

public abstract record ReportOutcome
{
    public sealed record Accepted(IReadOnlyList<FigureChanged> Changes) : ReportOutcome;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : ReportOutcome;
    public sealed record Conflict(IReadOnlyList<VersionConflict> Conflicts) : ReportOutcome;
}

/// <summary>
/// The one write path for figures, whatever the channel (page, API, import). A report is validated as a whole,
/// written in one transaction together with its revision rows, and only then announced on the change feed.
/// </summary>
public sealed class FigureService(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock)
{
    public async Task<ReportOutcome> ReportAsync(ReportRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id }).FirstOrDefaultAsync(ct);
        var errors = new List<FieldError>();
        if (campaign is null)
            return new ReportOutcome.Invalid([new FieldError("campaign", new FigureError("Campaign_None"))]);

        var district = await db.Districts.AsNoTracking()
            .FirstOrDefaultAsync(d => d.CampaignId == campaign.Id && d.Code == request.DistrictCode, ct);
        if (district is null)
            return new ReportOutcome.Invalid([new FieldError("district", new FigureError("District_Unknown", request.DistrictCode))]);
        if (request.Values.Count == 0)
            return new ReportOutcome.Invalid([new FieldError("values", new FigureError("Report_Empty"))]);

        var indicators = await db.Indicators.AsNoTracking().Where(i => i.CampaignId == campaign.Id).ToDictionaryAsync(i => i.Code, ct);
        foreach (var entry in request.Values)
        {
            if (!indicators.TryGetValue(entry.IndicatorCode, out var indicator))
                errors.Add(new FieldError(entry.IndicatorCode, new FigureError("Indicator_Unknown", entry.IndicatorCode)));
            else if (FigureRules.Validate(indicator, entry.Value) is { } error)
                errors.Add(new FieldError(entry.IndicatorCode, error));
        }
        if (request.Values.GroupBy(v => v.IndicatorCode).FirstOrDefault(g => g.Count() > 1) is { } twice)
            errors.Add(new FieldError(twice.Key, new FigureError("Report_Duplicate", twice.Key)));
        if (errors.Count > 0) return new ReportOutcome.Invalid(errors);

        // BEGIN IMMEDIATE: writers queue on the database lock, so version checks and writes cannot interleave.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var indicatorIds = request.Values.Select(v => indicators[v.IndicatorCode].Id).ToList();
        var existing = await db.Figures
            .Where(f => f.CampaignId == campaign.Id && f.DistrictId == district.Id && indicatorIds.Contains(f.IndicatorId))
            .ToDictionaryAsync(f => f.IndicatorId, ct);

        var conflicts = new List<VersionConflict>();
        foreach (var entry in request.Values)
        {
            var current = existing.GetValueOrDefault(indicators[entry.IndicatorCode].Id);
            var currentVersion = current?.Version ?? 0;
            if (entry.ExpectedVersion is { } expected && expected != currentVersion)
                conflicts.Add(new VersionConflict(entry.IndicatorCode, expected, currentVersion, current?.Value ?? 0,
                    current?.UpdatedBy ?? "", current?.UpdatedAt ?? default));
            else if (current is not null && current.Value != entry.Value && string.IsNullOrWhiteSpace(entry.Reason)
                     && request.Channel != FigureChannel.Seed)
                errors.Add(new FieldError(entry.IndicatorCode, new FigureError("Figure_ReasonRequired")));
        }
        if (conflicts.Count > 0) return new ReportOutcome.Conflict(conflicts);
        if (errors.Count > 0) return new ReportOutcome.Invalid(errors);

        var now = clock.GetUtcNow();
        var changes = new List<(Figure Figure, decimal? Old, FigureEntry Entry)>();
        foreach (var entry in request.Values)
        {
            var indicatorId = indicators[entry.IndicatorCode].Id;
            var figure = existing.GetValueOrDefault(indicatorId);
            if (figure is not null && figure.Value == entry.Value) continue; // re-sending the same value changes nothing
            decimal? old = figure?.Value;
            if (figure is null)
            {
                figure = new Figure { CampaignId = campaign.Id, DistrictId = district.Id, IndicatorId = indicatorId, UpdatedBy = request.Author };
                db.Figures.Add(figure);
            }
            figure.Value = entry.Value;
            figure.Version += 1;
            figure.UpdatedAt = now;
            figure.UpdatedBy = request.Author;
            changes.Add((figure, old, entry));
        }
        await db.SaveChangesAsync(ct);
        db.FigureRevisions.AddRange(changes.Select(c => new FigureRevision
        {
            FigureId = c.Figure.Id, CampaignId = campaign.Id, DistrictId = district.Id, IndicatorId = c.Figure.IndicatorId,
            OldValue = c.Old, NewValue = c.Figure.Value, Version = c.Figure.Version, ChangedAt = now,
            ChangedBy = request.Author, Reason = c.Entry.Reason?.Trim() ?? "", Channel = request.Channel,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var events = changes.Select(c => new FigureChanged(campaign.Id, district.Code, c.Entry.IndicatorCode, c.Old,
            c.Figure.Value, c.Figure.Version, now, request.Author, request.Channel)).ToList();
        // The change is durable now; announce it even if the caller has stopped waiting.
        foreach (var e in events) await feed.PublishAsync(e, CancellationToken.None);
        return new ReportOutcome.Accepted(events);
    }
}
