namespace LiveBoard.Web.Data;

/// <summary>
/// A wall display (大屏) an organiser set up: what it shows and the secret key that opens it without a login.
/// Only a hash of the key is stored; the key itself is shown once, when it is created or rotated.
/// </summary>
public sealed class Screen
{
    public int Id { get; set; }
    /// <summary>The screen's address segment: /display/{Slug}.</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the display key, hex. Keys are 32 random bytes, so a fast hash is enough.</summary>
    public required string KeyHash { get; set; }
    /// <summary>Panel ids in playlist order (the display feature's panel ids).</summary>
    public List<string> Playlist { get; set; } = [];
    public int IntervalSeconds { get; set; } = 20;
    /// <summary>A panel that stays on screen instead of the playlist rotating; null rotates.</summary>
    public string? PinnedPanel { get; set; }
    public string Theme { get; set; } = "dark";
    /// <summary>
    /// Meeting mode: the day whose review meeting this screen follows while it runs (its playlist before and after);
    /// null plays the playlist only.
    /// </summary>
    public DateOnly? MeetingDay { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? KeyRotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}
