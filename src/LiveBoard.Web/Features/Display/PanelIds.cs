using LiveBoard.Web.Data;
using LiveBoard.Core;

namespace LiveBoard.Web.Features.Display;

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
    public const string History = "history";

    /// <summary>A screen in meeting mode while its meeting runs: not a playlist entry, the organiser's meeting decides.</summary>
    public const string Meeting = "meeting";

    public static readonly IReadOnlyList<string> All = [Ranking, Headline, Leaders, Heatmap, Ticker, Status, Itinerary, History];

    public static bool IsKnown(string id) => All.Contains(id);
}

/// <summary>A screen's key was rotated or revoked: open pages showing it re-check their key at once.</summary>
public sealed record ScreenAccessChanged(string Slug, DateTimeOffset ChangedAt) : CampaignEvent(0, ChangedAt)
{
    public override bool ChangesStandings => false;
}
