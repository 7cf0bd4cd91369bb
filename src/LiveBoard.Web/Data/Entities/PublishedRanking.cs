namespace LiveBoard.Web.Data;

/// <summary>A composite ranking as announced (at a review meeting, or the last bulletin before the campaign).</summary>
public sealed class PublishedRanking
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public required string Label { get; set; }
    public required string LabelEn { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public required string PublishedBy { get; set; }
    /// <summary>1, 2, 3 … per campaign, in publication order; unique, so two organisers publishing at once cannot share one.</summary>
    public int Version { get; set; }
    /// <summary>The campaign day the ranking was announced for (null for a ranking from before the campaign).</summary>
    public DateOnly? Day { get; set; }
    public string Note { get; set; } = "";
    /// <summary>The version of the weights and targets the ranking was computed with (WeightsVersion); null before versions were kept.</summary>
    public int? WeightsVersion { get; set; }
    /// <summary>
    /// Everything the ranking was computed from and the result, as canonical JSON (see PublicationService). Served
    /// byte for byte as stored: the announced ranking can always be re-checked against its inputs.
    /// </summary>
    public string Document { get; set; } = "";
    public List<PublishedRankingEntry> Entries { get; set; } = [];
}

public sealed class PublishedRankingEntry
{
    public int Id { get; set; }
    public int PublishedRankingId { get; set; }
    public required string DistrictCode { get; set; }
    public int Rank { get; set; }
    public decimal? Score { get; set; }
}
