namespace LiveBoard.Core;

/// <summary>
/// Something that happened in a campaign that open screens must show. Every accepted change raises exactly
/// one event, after it is durable; screens, the hub and (later) other machines consume the same stream.
/// </summary>
public abstract record CampaignEvent(int CampaignId, DateTimeOffset At);
