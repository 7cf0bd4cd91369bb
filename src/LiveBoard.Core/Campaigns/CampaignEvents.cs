namespace LiveBoard.Core.Campaigns;

/// <summary>
/// Another campaign became current: every screen switches to it. <see cref="CampaignEvent.CampaignId"/> is the new
/// current campaign; <paramref name="PreviousId"/> the one closed by the switch, if any.
/// </summary>
public sealed record CampaignActivated(int CampaignId, int? PreviousId, string By, DateTimeOffset At) : CampaignEvent(CampaignId, At);

/// <summary>An organiser changed weights or targets of a running campaign: <paramref name="Version"/> is in force, every ranking is recomputed.</summary>
public sealed record WeightsChanged(int CampaignId, int Version, string By, DateTimeOffset At) : CampaignEvent(CampaignId, At);
