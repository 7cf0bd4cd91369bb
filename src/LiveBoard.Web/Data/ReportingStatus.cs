using System.Globalization;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>A district's reporting today: when it last reported (campaign-local day), by whom, how many changes.</summary>
public sealed record DistrictStatus(District District, DateTimeOffset? LastReportAt, string? LastReportBy, int Changes)
{
    public bool Reported => LastReportAt is not null;
}

public sealed record ReportingDay(DateOnly Day, DateTimeOffset Deadline, IReadOnlyList<DistrictStatus> Districts);

/// <summary>
/// Which districts have reported today and which not, against the day's deadline. "Today" is the campaign clock's
/// (<see cref="CampaignClock.Today"/>) wherever it is asked: the status page, the wall's status panel and the hub's
/// ReportingStatusChanged. The deadline is LiveBoard:ReportingDeadlines:{yyyy-MM-dd} when set for that day, else
/// LiveBoard:ReportingDeadline (default 18:00), campaign-local: the evening review meeting needs the figures before it starts.
/// </summary>
public sealed class ReportingStatus(CampaignClock clock, IConfiguration configuration)
{
    public TimeOnly DeadlineOn(DateOnly day)
    {
        var text = configuration[string.Create(CultureInfo.InvariantCulture, $"LiveBoard:ReportingDeadlines:{day:yyyy-MM-dd}")] ?? configuration["LiveBoard:ReportingDeadline"] ?? "18:00";
        return TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var t) ? t : new TimeOnly(18, 0);
    }

    /// <summary>The campaign day reports are counted for now.</summary>
    public DateOnly Today => clock.Today;

    /// <summary>Today's reporting of <paramref name="campaign"/> (its districts in official order), read with <paramref name="db"/>.</summary>
    public async Task<ReportingDay> TodayAsync(LiveBoardDbContext db, Campaign campaign, CancellationToken ct = default)
    {
        var day = clock.Today;
        var start = clock.StartOf(day);
        var end = clock.StartOf(day.AddDays(1));
        // Seeded starting values are not anyone's report.
        var today = await db.FigureRevisions.AsNoTracking()
            .Where(r => r.CampaignId == campaign.Id && r.ChangedAt >= start && r.ChangedAt < end && r.Channel != Channels.Seed)
            .Select(r => new { r.DistrictId, r.ChangedAt, r.ChangedBy, r.Id })
            .ToListAsync(ct);
        var statuses = campaign.Districts.OrderBy(d => d.SortOrder).Select(d =>
        {
            var mine = today.Where(r => r.DistrictId == d.Id).OrderBy(r => r.Id).ToList();
            return new DistrictStatus(d, mine.LastOrDefault()?.ChangedAt, mine.LastOrDefault()?.ChangedBy, mine.Count);
        }).ToList();
        return new ReportingDay(day, clock.At(day, DeadlineOn(day)), statuses);
    }
}
