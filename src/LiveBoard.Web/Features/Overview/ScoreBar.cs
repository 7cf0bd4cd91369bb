using System.Globalization;
using LiveBoard.Core.Ranking;

namespace LiveBoard.Web.Features.Overview;

/// <summary>Score bars are drawn relative to the leader, so the gap to first place is what the eye compares.</summary>
public static class ScoreBar
{
    /// <summary>The bar's CSS width in percent (invariant digits), 100 for the leader.</summary>
    public static string Width(decimal score, IReadOnlyList<CompositeStanding> standings)
    {
        var leader = standings.Count == 0 ? 0m : standings.Max(x => x.Score);
        var width = leader <= 0 ? 0m : 100m * score / leader;
        return width.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
