using LiveBoard.Core.Campaigns;

namespace LiveBoard.Core.Tests;

/// <summary>Small campaigns for ranking tests.</summary>
internal static class Build
{
    public static List<District> Districts(params string[] codes) =>
        codes.Select((c, i) => new District { Code = c, Name = c, NameEn = c, SortOrder = i + 1 }).ToList();

    public static Indicator Indicator(string code, decimal weight = 1, Direction direction = Direction.HigherIsBetter,
        IndicatorUnit unit = IndicatorUnit.Count, decimal? target = null, int decimals = 0, Aggregation aggregation = Aggregation.Sum) => new()
    {
        Code = code, Name = code, NameEn = code, Category = IndicatorCategory.Headline, Unit = unit,
        Direction = direction, Weight = weight, Target = target, Decimals = decimals, Aggregation = aggregation,
    };
}
