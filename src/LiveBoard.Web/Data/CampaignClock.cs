using System.Globalization;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Web.Data;

/// <summary>
/// The campaign's wall clock. Times are stored in UTC; people read them, and "today" is decided, in the current
/// campaign's zone (each campaign names its own), whatever zone the server runs in. Until a campaign is known (an empty
/// database) the zone is LiveBoard:TimeZone, default Asia/Shanghai.
/// </summary>
public sealed class CampaignClock(TimeProvider clock, IConfiguration configuration)
{
    /// <summary>Pins the campaign day (e.g. "2023-07-30") for rehearsals, demos and tests.</summary>
    public const string Setting = "LiveBoard:CampaignToday";

    private TimeZoneInfo _zone = FindZone(configuration["LiveBoard:TimeZone"] ?? Campaign.DefaultTimeZone);

    public TimeZoneInfo Zone => Volatile.Read(ref _zone);

    /// <summary>
    /// Keeps the clock on <paramref name="campaign"/>'s zone: called with the current campaign at start and with each
    /// new standings snapshot, so that making a campaign of another zone current moves every screen's clock with it.
    /// </summary>
    public void Follow(Campaign? campaign)
    {
        if (campaign is null || campaign.TimeZone == Zone.Id) return;
        Volatile.Write(ref _zone, FindZone(campaign.TimeZone));
    }

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

    /// <summary>Time of day with seconds: the ticker, "last updated".</summary>
    public const string Seconds = "HH:mm:ss";
    /// <summary>Time of day: deadlines, lock-outs, last reports.</summary>
    public const string Minutes = "HH:mm";
    /// <summary>Date and time: the audit, exports.</summary>
    public const string Stamp = "yyyy-MM-dd HH:mm:ss";
    /// <summary>Date and time to the minute: publications.</summary>
    public const string StampMinutes = "yyyy-MM-dd HH:mm";

    /// <summary>
    /// A stored (UTC) instant as people in the campaign read it, whatever zone the server or the reader is in. The
    /// digits are the same in Chinese and English, so the format is culture-free.
    /// </summary>
    public string Show(DateTimeOffset at, string format = Seconds) => ToLocal(at).ToString(format, CultureInfo.InvariantCulture);

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
