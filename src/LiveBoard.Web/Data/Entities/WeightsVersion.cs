namespace LiveBoard.Web.Data;

/// <summary>
/// One change of a campaign's weights and targets once it runs: the version it made, who, when, why, and every headline
/// indicator's weight and target and the composite's inspection and grade weights after it (JSON). Version 1 is the campaign as it was created and has no row; a
/// publication records the version its ranking was computed with.
/// </summary>
public sealed class WeightsVersion
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>{ indicators: code → { weight, target }, components: { inspection, grades } } after the change.</summary>
    public required string Weights { get; set; }
}
