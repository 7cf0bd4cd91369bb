using LiveBoard.Web.Data;
namespace LiveBoard.Web.Features.Inspection;

/// <summary>Settings of the offline scoring page (section LiveBoard:Scoring).</summary>
public sealed class InspectionPageOptions
{
    public const string Section = "LiveBoard:Scoring";

    /// <summary>How often the page retries unsent sheets besides the browser's "online" event. Default 10 s.</summary>
    public int RetryMilliseconds { get; set; } = 10_000;
}
