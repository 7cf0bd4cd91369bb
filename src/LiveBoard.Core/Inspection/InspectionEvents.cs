namespace LiveBoard.Core.Inspection;

/// <summary>A touring group arrived at or finished visiting a site.</summary>
public sealed record SiteVisited(int CampaignId, int SiteId, string GroupCode, string DistrictCode, VisitKind Kind, string By, DateTimeOffset At)
    : CampaignEvent(CampaignId, At);

/// <summary>An observer's score sheet for a site was recorded or changed.</summary>
public sealed record ScoreRecorded(int CampaignId, int SiteId, string DistrictCode, string Observer, decimal Total, int Version, DateTimeOffset At)
    : CampaignEvent(CampaignId, At);

/// <summary>An organiser closed scoring for a site: its score is final.</summary>
public sealed record ScoringClosed(int CampaignId, int SiteId, string By, DateTimeOffset At) : CampaignEvent(CampaignId, At);

/// <summary>A district's business-environment grade for one indicator and quarter was set or changed.</summary>
public sealed record GradeChanged(int CampaignId, string DistrictCode, string IndicatorCode, string Quarter, Grade? OldGrade, Grade Grade, string By, DateTimeOffset At)
    : CampaignEvent(CampaignId, At);

/// <summary>How far a group has got with a site: arrived first, then visited (看现场、听项目 done).</summary>
public enum VisitKind
{
    Arrived = 1,
    Visited = 2,
}

/// <summary>The scoring scheme or the inspection/grade weights changed: every ranking must be recomputed.</summary>
public sealed record InspectionSettingsChanged(int CampaignId, string By, DateTimeOffset At) : CampaignEvent(CampaignId, At);

/// <summary>Organisers changed the itinerary (sites added, edited, removed or imported).</summary>
public sealed record ItineraryChanged(int CampaignId, int Sites, string By, DateTimeOffset At) : CampaignEvent(CampaignId, At);
