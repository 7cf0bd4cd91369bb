using System.Globalization;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Web.Data;

/// <summary>
/// The campaign's wall clock. Times are stored in UTC; people read them, and "today" is decided, in the city's
/// zone (LiveBoard:TimeZone, default Asia/Shanghai), whatever zone the server runs in.
/// </summary>
public sealed class CampaignClock(TimeProvider clock, IConfiguration configuration)
{
    /// <summary>Pins the campaign day (e.g. "2023-07-30") for rehearsals, demos and tests.</summary>
    public const string Setting = "LiveBoard:CampaignToday";

    public TimeZoneInfo Zone { get; } = FindZone(configuration["LiveBoard:TimeZone"] ?? "Asia/Shanghai");

    public DateTimeOffset Now => ToLocal(clock.GetUtcNow());

    /// <summary>The real local date: when reports were made.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    /// <summary>
    /// The campaign day the itinerary and the scoring rule work on: the pinned <see cref="Setting"/> if set; else the
    /// real local date while the campaign runs, and its first day otherwise (the demo campaign is in 2023, so the
    /// demo opens on day one).
    /// </summary>
    public DateOnly CampaignToday(Campaign campaign)
    {
        if (configuration[Setting] is { Length: > 0 } pinned
            && DateOnly.TryParseExact(pinned, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        var real = Today;
        return real >= campaign.StartDate && real <= campaign.EndDate ? real : campaign.StartDate;
    }

    public DateTimeOffset ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>The UTC instant a local date begins.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>A local date and time of day as a UTC instant.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            // A machine without tz data still knows China's zone: UTC+8 with no daylight saving.
            : TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
}
