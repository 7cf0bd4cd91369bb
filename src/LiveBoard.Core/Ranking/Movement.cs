namespace LiveBoard.Core.Ranking;

public enum MovementKind
{
    /// <summary>Not in the previous ranking.</summary>
    New,
    Same,
    Up,
    Down,
}

/// <summary>How a district's rank changed against a previous ranking: up 2, down 1, same, new.</summary>
public readonly record struct Movement(MovementKind Kind, int Places)
{
    public static readonly Movement New = new(MovementKind.New, 0);
    public static readonly Movement Same = new(MovementKind.Same, 0);

    public static Movement Between(int current, int? previous) => previous switch
    {
        null => New,
        { } p when p == current => Same,
        { } p when p > current => new(MovementKind.Up, p - current),
        { } p => new(MovementKind.Down, current - p),
    };
}

/// <summary>The districts that moved most (up or down), most places first, higher rank first among equals.</summary>
public static class Movers
{
    public static IReadOnlyList<CompositeStanding> Biggest(IEnumerable<CompositeStanding> ranking, int count = 3) =>
        ranking.Where(c => c.Movement.Kind is MovementKind.Up or MovementKind.Down)
            .OrderByDescending(c => c.Movement.Places).ThenBy(c => c.Rank).Take(count).ToList();
}

/// <summary>A ranking as it stood when it was announced: district code → rank.</summary>
public sealed record RankingSnapshot(string Label, DateTimeOffset TakenAt, IReadOnlyDictionary<string, int> Ranks)
{
    /// <summary>The English label ("Ranking of 2023-07-29 (version 2)"); null when the publication has none.</summary>
    public string? LabelEn { get; init; }

    /// <summary>The label in <paramref name="culture"/>'s language, Chinese when no English one was recorded.</summary>
    public string LabelIn(System.Globalization.CultureInfo culture) =>
        LiveBoard.Core.Figures.FigureFormat.IsChinese(culture) || LabelEn is not { Length: > 0 } ? Label : LabelEn;

    public int? RankOf(string district) => Ranks.TryGetValue(district, out var r) ? r : null;
}
