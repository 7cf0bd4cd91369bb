namespace LiveBoard.Web.Data;

/// <summary>
/// Where a day's evening meeting stands, in the database so that a restart or another instance does not end it.
/// <see cref="Version"/> decides between two instances moving the meeting at once.
/// </summary>
public sealed class MeetingRecord
{
    public DateOnly Day { get; set; }
    public bool Active { get; set; }
    public int Index { get; set; }
    public string? Presenter { get; set; }
    /// <summary>The one page that drives (its circuit's id); null when nobody drives.</summary>
    public string? PresenterSession { get; set; }
    public DateTimeOffset At { get; set; }
    public int Version { get; set; }
}

/// <summary>One open display page as its last heartbeat described it, and which instance holds its circuit.</summary>
public sealed class ScreenPresenceRecord
{
    public required string Id { get; set; }
    public required string Slug { get; set; }
    public required string Panel { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public required string Instance { get; set; }
    public DateTimeOffset ConnectedAt { get; set; }
    public DateTimeOffset LastHeartbeat { get; set; }
}
