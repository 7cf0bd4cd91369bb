namespace LiveBoard.Core.Figures;

/// <summary>
/// The current value of one indicator for one district. Figures are cumulative to date and are corrected
/// as districts verify them; <see cref="Version"/> grows by one with every accepted change so that two
/// people editing from the same starting point cannot silently overwrite each other.
/// </summary>
public sealed class Figure
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public int DistrictId { get; set; }
    public int IndicatorId { get; set; }
    public decimal Value { get; set; }
    public int Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>
/// One accepted change to a figure: who, when, old value, new value, why and through which channel.
/// Rows are only ever appended; the history of a figure is the ordered list of its revisions.
/// </summary>
public sealed class FigureRevision
{
    public long Id { get; set; }
    public int FigureId { get; set; }
    public int CampaignId { get; set; }
    public int DistrictId { get; set; }
    public int IndicatorId { get; set; }
    public decimal? OldValue { get; set; }
    public decimal NewValue { get; set; }
    public int Version { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>One of <see cref="Channels"/>.</summary>
    public required string Channel { get; set; }
    /// <summary>The request that made the change (trace id or API idempotency key), to tie a revision to its report.</summary>
    public string? RequestId { get; set; }
    /// <summary>Outside the indicator's plausible range: accepted after the reporter confirmed it, flagged for organisers.</summary>
    public bool Implausible { get; set; }
    /// <summary>The client address the change came from (the API request's, the page's connection); null for seeding and old rows.</summary>
    public string? ClientAddress { get; set; }
}

/// <summary>Raised once for every accepted change to a figure, after it is durable.</summary>
public sealed record FigureChanged(
    int CampaignId,
    string DistrictCode,
    string IndicatorCode,
    decimal? OldValue,
    decimal NewValue,
    int Version,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    string Channel) : CampaignEvent(CampaignId, ChangedAt);
