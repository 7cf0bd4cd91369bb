using System.Globalization;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Web.Features.Inspection;

/// <summary>
/// "Today" for the itinerary and the scoring rule. The campaign's days are Beijing-time dates; <c>LiveBoard:CampaignToday</c>
/// (e.g. "2023-07-30") pins the day for rehearsals, demos and tests; without it the real Beijing date is used while the
/// campaign runs and the campaign's first day otherwise (the demo campaign is in 2023, so the demo opens on day one).
/// </summary>
public sealed class CampaignClock(TimeProvider clock, IConfiguration? config = null)
{
    public const string Setting = "LiveBoard:CampaignToday";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public DateOnly Today(Campaign campaign)
    {
        if (config?[Setting] is { Length: > 0 } pinned
            && DateOnly.TryParseExact(pinned, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        var real = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Beijing).DateTime);
        return real >= campaign.StartDate && real <= campaign.EndDate ? real : campaign.StartDate;
    }
}
