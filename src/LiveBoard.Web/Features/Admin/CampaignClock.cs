namespace LiveBoard.Web.Features.Admin;

/// <summary>
/// The campaign's wall clock. Times are stored in UTC; people read them, and "today" is decided, in the city's
/// zone (LiveBoard:TimeZone, default Asia/Shanghai), whatever zone the server runs in.
/// </summary>
public sealed class CampaignClock(TimeProvider clock, IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = FindZone(configuration["LiveBoard:TimeZone"] ?? "Asia/Shanghai");

    public DateTimeOffset Now => ToLocal(clock.GetUtcNow());

    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

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
