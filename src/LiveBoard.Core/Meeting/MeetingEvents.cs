namespace LiveBoard.Core.Meeting;

/// <summary>An organiser published the ranking: movement everywhere now compares with this version.</summary>
public sealed record RankingPublished(int CampaignId, int PublicationId, int Version, DateOnly? Day, string By, DateTimeOffset At)
    : CampaignEvent(CampaignId, At);

/// <summary>The meeting of a day moved (started, next item, presenter changed, ended): room screens follow it.</summary>
public sealed record MeetingChanged(int CampaignId, DateOnly Day, int Index, bool Active, string? Presenter, DateTimeOffset At)
    : CampaignEvent(CampaignId, At)
{
    public override bool ChangesStandings => false;
}
