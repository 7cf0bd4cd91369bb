namespace LiveBoard.Web.Operations.ApiDocs;

// The shapes of the push API's bodies as the OpenAPI document describes them. The endpoints read and write JSON by hand
// (so any malformed input becomes a 400 naming the field); these records exist to be described, and
// ApiDocumentationTests checks real responses against them, so they cannot drift from what the API sends.

public sealed record TokenRequest(string Username, string Password);

public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

public sealed record CampaignDistrict(string Code, string Name, string NameEn);

public sealed record CampaignIndicator(string Code, string Name, string NameEn, string Unit, int Decimals, decimal? Target,
    decimal? PlausibleMin, decimal? PlausibleMax);

public sealed record CurrentCampaign(string Code, string Name, string NameEn, DateOnly StartDate, DateOnly EndDate,
    IReadOnlyList<CampaignDistrict> Districts, IReadOnlyList<CampaignIndicator> Indicators);

public sealed record ReportValue(string Indicator, decimal Value, int? ExpectedVersion, string? Reason);

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
