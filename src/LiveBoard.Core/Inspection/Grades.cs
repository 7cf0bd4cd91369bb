namespace LiveBoard.Core.Inspection;

/// <summary>A business-environment grade (营商环境 评定): 好 / 较好 / 一般.</summary>
public enum Grade
{
    Average = 1,    // 一般
    FairlyGood = 2, // 较好
    Good = 3,       // 好
}

public static class GradeText
{
    public static string Chinese(Grade g) => g switch { Grade.Good => "好", Grade.FairlyGood => "较好", _ => "一般" };

    public static string English(Grade g) => g switch { Grade.Good => "good", Grade.FairlyGood => "fairly good", _ => "average" };

    /// <summary>Reads "好"/"较好"/"一般" (as the city writes them) or the English words.</summary>
    public static Grade? Parse(string? text) => text?.Trim() switch
    {
        "好" or "good" or "Good" => Grade.Good,
        "较好" or "fairly good" or "FairlyGood" => Grade.FairlyGood,
        "一般" or "average" or "Average" => Grade.Average,
        _ => null,
    };
}

/// <summary>
/// The overall grade of a district from its indicator grades. Each grade is worth points (demo: 好 3, 较好 2,
/// 一般 1); the mean over graded indicators is compared with thresholds (demo: ≥ 2.5 好, ≥ 1.8 较好, else 一般).
/// Ungraded indicators are left out; a district with no grades has no overall grade.
/// </summary>
public sealed record GradeRule(decimal GoodPoints = 3, decimal FairlyGoodPoints = 2, decimal AveragePoints = 1,
    decimal GoodFrom = 2.5m, decimal FairlyGoodFrom = 1.8m)
{
    public static GradeRule Default { get; } = new();

    public decimal Points(Grade grade) => grade switch
    {
        Grade.Good => GoodPoints,
        Grade.FairlyGood => FairlyGoodPoints,
        _ => AveragePoints,
    };

    public decimal? MeanPoints(IEnumerable<Grade> grades)
    {
        var list = grades.ToList();
        return list.Count == 0 ? null : Math.Round(list.Average(Points), 4);
    }

    public Grade? Overall(IEnumerable<Grade> grades) => MeanPoints(grades) switch
    {
        null => null,
        >= 0 and var m when m >= GoodFrom => Grade.Good,
        var m when m >= FairlyGoodFrom => Grade.FairlyGood,
        _ => Grade.Average,
    };
}
