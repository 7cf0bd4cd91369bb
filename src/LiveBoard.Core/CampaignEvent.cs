namespace LiveBoard.Core;

/// <summary>
/// Something that happened in a campaign that open screens must show. Every accepted change raises exactly
/// one event, after it is durable; screens, the hub and (later) other machines consume the same stream.
/// </summary>
public abstract record CampaignEvent(int CampaignId, DateTimeOffset At)
{
    /// <summary>
    /// Whether the city's standings (figures, scores, grades, itinerary, publications) may differ after this event. False
    /// for events that only steer screens (a meeting step, a screen command), so nothing is reloaded for them.
    /// </summary>
    public virtual bool ChangesStandings => true;
}
