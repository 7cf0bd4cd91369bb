using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Admin;

/// <summary>
/// What an organiser narrows the audit to; every part is optional. Dates are campaign-local and inclusive. Kind (an
/// <see cref="AuditKinds"/> code) and Address (part of a client address) narrow the events only.
/// </summary>
public sealed record AuditFilter(string? District = null, string? Indicator = null, string? User = null, DateOnly? From = null, DateOnly? To = null,
    bool FlaggedOnly = false, string? Kind = null, string? Address = null);

/// <summary>One figure change as the audit shows it.</summary>
public sealed record FigureAuditRow(long Id, DateTimeOffset At, string District, string DistrictName, string Indicator, string IndicatorName,
    decimal? OldValue, decimal NewValue, int Version, string ChangedBy, string Reason, string Channel, string? RequestId, bool Implausible,
    string? ClientAddress)
{
    /// <summary>The indicator itself, so that values are shown with its unit and decimals.</summary>
    public required Indicator Definition { get; init; }
}

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
        var (start, end) = Range(filter);
        if (start is { } s) rows = rows.Where(x => x.r.ChangedAt >= s);
        if (end is { } e) rows = rows.Where(x => x.r.ChangedAt < e);
        var list = await rows.OrderByDescending(x => x.r.Id).Take(MaxRows).ToListAsync(ct);
        return list.Select(x => new FigureAuditRow(x.r.Id, x.r.ChangedAt, x.d.Code, Cultures.Pick(x.d.Name, x.d.NameEn), x.i.Code,
            Cultures.Pick(x.i.Name, x.i.NameEn), x.r.OldValue, x.r.NewValue, x.r.Version, x.r.ChangedBy, x.r.Reason, x.r.Channel,
            x.r.RequestId, x.r.Implausible, x.r.ClientAddress) { Definition = x.i }).ToList();
    }

    /// <summary>The filter's campaign-local dates as UTC instants: from the start of From to the end of To.</summary>
    private (DateTimeOffset? Start, DateTimeOffset? End) Range(AuditFilter filter) =>
        (filter.From is { } from ? clock.StartOf(from) : null, filter.To is { } to ? clock.StartOf(to.AddDays(1)) : null);

    /// <summary>Sign-ins and other non-figure events; district and indicator filters do not apply to them.</summary>
    public async Task<IReadOnlyList<AuditEvent>> EventsAsync(AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.AuditEvents.AsNoTracking();
        if (filter.User is { Length: > 0 } user) rows = rows.Where(e => e.UserName.Contains(user));
        if (filter.Kind is { Length: > 0 } kind) rows = rows.Where(e => e.Kind == kind);
        if (filter.Address is { Length: > 0 } address) rows = rows.Where(e => e.RemoteAddress != null && e.RemoteAddress.Contains(address));
        var (start, end) = Range(filter);
        if (start is { } s) rows = rows.Where(e => e.At >= s);
        if (end is { } en) rows = rows.Where(e => e.At < en);
        return await rows.OrderByDescending(e => e.Id).Take(MaxRows).ToListAsync(ct);
    }
}
