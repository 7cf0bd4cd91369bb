using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Admin;

/// <summary>What an organiser narrows the audit to; every part is optional. Dates are campaign-local and inclusive.</summary>
public sealed record AuditFilter(string? District = null, string? Indicator = null, string? User = null, DateOnly? From = null, DateOnly? To = null,
    bool FlaggedOnly = false);

/// <summary>One figure change as the audit shows it.</summary>
public sealed record FigureAuditRow(long Id, DateTimeOffset At, string District, string DistrictName, string Indicator, string IndicatorName,
    decimal? OldValue, decimal NewValue, int Version, string ChangedBy, string Reason, string Channel, string? RequestId, bool Implausible);

/// <summary>Reads the history (figure revisions) and the other audited events. Read-only by construction.</summary>
public sealed class AuditQuery(IDbContextFactory<LiveBoardDbContext> dbFactory, CampaignClock clock)
{
    public const int MaxRows = 5000;

    public async Task<IReadOnlyList<FigureAuditRow>> FigureChangesAsync(AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows =
            from r in db.FigureRevisions.AsNoTracking()
            join d in db.Districts on r.DistrictId equals d.Id
            join i in db.Indicators on r.IndicatorId equals i.Id
            select new { r, d, i };
        if (filter.District is { Length: > 0 } district) rows = rows.Where(x => x.d.Code == district);
        if (filter.Indicator is { Length: > 0 } indicator) rows = rows.Where(x => x.i.Code == indicator);
        if (filter.User is { Length: > 0 } user) rows = rows.Where(x => x.r.ChangedBy.Contains(user));
        if (filter.FlaggedOnly) rows = rows.Where(x => x.r.Implausible);
        if (filter.From is { } from)
        {
            var start = clock.StartOf(from);
            rows = rows.Where(x => x.r.ChangedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = clock.StartOf(to.AddDays(1));
            rows = rows.Where(x => x.r.ChangedAt < end);
        }
        var list = await rows.OrderByDescending(x => x.r.Id).Take(MaxRows).ToListAsync(ct);
        return list.Select(x => new FigureAuditRow(x.r.Id, x.r.ChangedAt, x.d.Code, Cultures.Pick(x.d.Name, x.d.NameEn), x.i.Code,
            Cultures.Pick(x.i.Name, x.i.NameEn), x.r.OldValue, x.r.NewValue, x.r.Version, x.r.ChangedBy, x.r.Reason, x.r.Channel,
            x.r.RequestId, x.r.Implausible)).ToList();
    }

    /// <summary>Sign-ins and other non-figure events; district and indicator filters do not apply to them.</summary>
    public async Task<IReadOnlyList<AuditEvent>> EventsAsync(AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.AuditEvents.AsNoTracking();
        if (filter.User is { Length: > 0 } user) rows = rows.Where(e => e.UserName.Contains(user));
        if (filter.From is { } from)
        {
            var start = clock.StartOf(from);
            rows = rows.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = clock.StartOf(to.AddDays(1));
            rows = rows.Where(e => e.At < end);
        }
        return await rows.OrderByDescending(e => e.Id).Take(MaxRows).ToListAsync(ct);
    }
}
