namespace LiveBoard.Web.Operations.ApiDocs;

// The shapes of the push API's bodies as the OpenAPI document describes them. In request bodies a member with a
// default may be left out (the document does not list it as required). The endpoints read and write JSON by hand
// (so any malformed input becomes a 400 naming the field); these records exist to be described, and
// ApiDocumentationTests checks real responses against them, so they cannot drift from what the API sends.

public sealed record TokenRequest(string Username, string Password);

public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

public sealed record CampaignDistrict(string Code, string Name, string NameEn);

public sealed record CampaignIndicator(string Code, string Name, string NameEn, string Unit, int Decimals, decimal? Target,
    decimal? PlausibleMin, decimal? PlausibleMax);

public sealed record CurrentCampaign(string Code, string Name, string NameEn, DateOnly StartDate, DateOnly EndDate,
    IReadOnlyList<CampaignDistrict> Districts, IReadOnlyList<CampaignIndicator> Indicators);

public sealed record ReportValue(string Indicator, decimal Value, int? ExpectedVersion = null, string? Reason = null);

public sealed record ReportBody(string District, IReadOnlyList<ReportValue> Values);

public sealed record ReceiptValue(string Indicator, decimal? OldValue, decimal Value, int Version, bool Changed, bool Implausible);

public sealed record Receipt(string RequestId, string District, DateTimeOffset At, string Author, IReadOnlyList<ReceiptValue> Values);

public sealed record FigureRow(string District, string Indicator, decimal Value, int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record CompositeRow(string District, int Rank, decimal Score, string Movement, int MovementPlaces, int MissingCount);

/// <param name="Rank">null for a district the component does not judge yet (not visited), with <paramref name="Unranked"/> true.</param>
public sealed record IndicatorRow(string District, decimal? Value, int? Rank, decimal Score, bool Unranked);

public sealed record IndicatorRanking(string Indicator, IReadOnlyList<IndicatorRow> Standings);

public sealed record Rankings(IReadOnlyList<CompositeRow> Composite, IReadOnlyList<IndicatorRanking> ByIndicator, string? ComparedWith);

/// <summary>RFC 9457 problem details; extensions (traceId, errors, conflicts) may follow.</summary>
public sealed record Problem(string? Type, string Title, int Status, string? Detail, string? TraceId);

public sealed record ValidationProblem(string? Type, string Title, int Status, IReadOnlyDictionary<string, string[]> Errors, string? TraceId);

public sealed record Conflict(string IndicatorCode, int ExpectedVersion, int CurrentVersion, decimal CurrentValue, string CurrentAuthor,
    DateTimeOffset ChangedAt, string? District);

public sealed record ConflictProblem(string? Type, string Title, int Status, IReadOnlyList<Conflict> Conflicts, string? TraceId);

// Screens (the Display feature's own request/response records are described as they are).

public sealed record DisplayModeRequest(string Mode, string? Day = null);

public sealed record DisplayMode(string Slug, string Mode, string? Day);

// The inspection week: itinerary, visits, score sheets, grades, settings.

/// <summary>One site of the itinerary; <paramref name="Status"/> is Signed, Started or InProduction; <paramref name="Visit"/> Arrived or Visited;
/// <paramref name="Version"/> counts the site's changes (what PUT names as expectedVersion).</summary>
public sealed record SiteItem(int Id, string Name, string NameEn, string District, string Group, string Day, int Order, string Status, bool Visited,
    string? Visit, DateTimeOffset? VisitAt, string? VisitBy, decimal? Kilometres, bool ScoringClosed, int Observers, int Version);

/// <summary>A site as organisers enter it (the columns of the itinerary workbook); on PUT, <paramref name="ExpectedVersion"/> is the
/// site's version the edit was made on.</summary>
public sealed record SiteBody(string District, string Group, string Day, int Order, string Name, decimal PlannedInvestment,
    decimal CompletedInvestment, string Status, string? NameEn = null, string? Description = null, int? ExpectedVersion = null);

public sealed record SitesChanged(int Changed);

public sealed record VisitRequest(string? Kind = null, decimal? Kilometres = null);

public sealed record ScoreSheetBody(int Site, decimal Structure, decimal Efficiency, decimal Service, decimal Results, string? Gaps = null, string? Highlights = null);

public sealed record SheetItem(string Observer, decimal Structure, decimal Efficiency, decimal Service, decimal Results, string Gaps, string Highlights,
    int Version, DateTimeOffset UpdatedAt);

/// <param name="Score">the site's score: the mean of the sheets, highest and lowest dropped from the trim threshold on; null before the first sheet.</param>
public sealed record SiteScores(SiteItem Site, decimal? Score, int Observers, bool Trimmed, IReadOnlyList<SheetItem> Sheets);

public sealed record GradeBody(string District, string Indicator, string Quarter, string Grade, string? Remark = null);

public sealed record GradeChange(string DistrictCode, string IndicatorCode, string Quarter, string Grade, string? Old);

public sealed record GradeItem(string District, string Indicator, string Grade, string? Remark, string GradedBy, DateTimeOffset GradedAt);

public sealed record GradesAnswer(string? Quarter, IReadOnlyList<string> Quarters, IReadOnlyList<GradeItem> Grades);

public sealed record MaxPoints(decimal Structure, decimal Efficiency, decimal Service, decimal Results);

public sealed record InspectionMe(string User, string? Group, string? Today, MaxPoints? MaxPoints);

// Publications: the announced ranking, stored as one canonical JSON document.

public sealed record PublishRequest(string? Day = null, string? Note = null);

public sealed record PublishedId(int Id, int Version);

public sealed record PublishedIndicator(string Code, string Name, string Unit, string Direction, decimal Weight, decimal? Target, bool ExcludeWhenMissing);

public sealed record PublishedSettings(decimal StructureMax, decimal EfficiencyMax, decimal ServiceMax, decimal ResultsMax, decimal StructureWeight,
    decimal EfficiencyWeight, decimal ServiceWeight, decimal ResultsWeight, int TrimThreshold, decimal InspectionWeight, decimal GradeWeight);

public sealed record PublishedGrades(string? Quarter, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ByDistrict);

public sealed record PublishedStanding(string District, decimal? Value, int Rank, decimal Score, bool Unranked);

public sealed record PublishedIndicatorStandings(string Indicator, IReadOnlyList<PublishedStanding> Standings);

/// <param name="Movement">Up, Down, Same or New, against the publication before; <paramref name="Places"/> how many places.</param>
public sealed record PublishedRow(string District, int Rank, decimal Score, string Movement, int Places, int Missing, IReadOnlyDictionary<string, decimal> Components);

/// <summary>A publication as stored: what was announced, and everything it was computed from.</summary>
public sealed record PublishedDocument(string Campaign, int Version, string? Day, string Note, string PublishedBy, DateTimeOffset PublishedAt,
    IReadOnlyList<PublishedIndicator> Indicators, PublishedSettings Settings, IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal?>> Figures,
    IReadOnlyDictionary<string, decimal?> Inspection, PublishedGrades Grades, IReadOnlyList<PublishedIndicatorStandings> ByIndicator, string? ComparedWith,
    IReadOnlyList<PublishedRow> Ranking);

// Campaigns.

public sealed record CampaignCreated(int Id, string Code);

public sealed record WeightsBody(string? Reason, IReadOnlyDictionary<string, LiveBoard.Web.Features.Campaigns.WeightAndTarget> Indicators,
    decimal? InspectionWeight = null, decimal? GradeWeight = null);

public sealed record WeightsVersion(int Version);

public sealed record CampaignActivated(int Id, string Status);
