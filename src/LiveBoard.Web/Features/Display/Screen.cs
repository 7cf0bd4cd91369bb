namespace LiveBoard.Web.Features.Display;

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
    /// <summary>Panel ids in playlist order (see <see cref="PanelIds"/>).</summary>
    public List<string> Playlist { get; set; } = [];
    public int IntervalSeconds { get; set; } = 20;
    /// <summary>A panel that stays on screen instead of the playlist rotating; null rotates.</summary>
    public string? PinnedPanel { get; set; }
    public string Theme { get; set; } = "dark";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? KeyRotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>The panels a screen can show; ids are stored in playlists and used in URLs and tests.</summary>
public static class PanelIds
{
    public const string Ranking = "ranking";
    public const string Headline = "headline";
    public const string Leaders = "leaders";
    public const string Heatmap = "heatmap";
    public const string Ticker = "ticker";
    public const string Status = "status";
    public const string Itinerary = "itinerary";

    public static readonly IReadOnlyList<string> All = [Ranking, Headline, Leaders, Heatmap, Ticker, Status, Itinerary];

    public static bool IsKnown(string id) => All.Contains(id);
}

/// <summary>A screen's key was rotated or revoked: open pages showing it re-check their key at once.</summary>
public sealed record ScreenAccessChanged(string Slug, DateTimeOffset ChangedAt) : LiveBoard.Core.CampaignEvent(0, ChangedAt);
