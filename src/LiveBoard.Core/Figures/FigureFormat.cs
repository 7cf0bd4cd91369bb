using System.Globalization;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Core.Figures;

/// <summary>
/// Numbers as officials write them. Money is kept in 亿元 (the unit districts report) and shown in 亿元,
/// or in 万元 when it is below one 亿; English readers get billions/millions of yuan instead.
/// A figure that was never reported is "—", never 0.
/// </summary>
public static class FigureFormat
{
    public const string Missing = "—";

    public static bool IsChinese(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName.Equals("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value with its unit, e.g. "1,500.0 亿元", "3,500 万元", "35.2%", "229 个".</summary>
    public static string Value(decimal? value, Indicator indicator, CultureInfo culture)
    {
        if (value is not { } v) return Missing;
        var zh = IsChinese(culture);
        return indicator.Unit switch
        {
            IndicatorUnit.Count => zh ? $"{Number(v, 0, culture)} 个" : Number(v, 0, culture),
            IndicatorUnit.Percent => Number(v, indicator.Decimals, culture) + "%",
            IndicatorUnit.HundredMillionYuan => Money(v, indicator.Decimals, culture),
            _ => Number(v, indicator.Decimals, culture),
        };
    }

    /// <summary>Money given in 亿元.</summary>
    public static string Money(decimal yi, int decimals, CultureInfo culture)
    {
        var zh = IsChinese(culture);
        var abs = Math.Abs(yi);
        if (zh)
            return abs is > 0 and < 1
                ? $"{Number(yi * 10_000m, 0, culture)} 万元"
                : $"{Number(yi, decimals, culture)} 亿元";
        // 1 亿 = 100 million; 10 亿 = 1 billion.
        return abs >= 10
            ? $"{Number(yi / 10m, 2, culture)} bn yuan"
            : $"{Number(yi * 100m, 0, culture)} m yuan";
    }

    public static string Number(decimal value, int decimals, CultureInfo culture) =>
        value.ToString("N" + Math.Max(0, decimals), culture);

    /// <summary>"2023年7月29日" / "29 Jul 2023".</summary>
    public static string Date(DateOnly date, CultureInfo culture) =>
        IsChinese(culture) ? $"{date.Year}年{date.Month}月{date.Day}日" : date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"7月29日" / "29 Jul".</summary>
    public static string ShortDate(DateOnly date, CultureInfo culture) =>
        IsChinese(culture) ? $"{date.Month}月{date.Day}日" : date.ToString("d MMM", CultureInfo.InvariantCulture);

    /// <summary>Progress towards a target as a whole percentage, or null without a target.</summary>
    public static decimal? Progress(decimal? value, decimal? target) =>
        value is { } v && target is { } t && t != 0 ? Math.Round(100m * v / t, 1) : null;
}
