using System.Globalization;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;

namespace LiveBoard.Core.Tests;

public class FigureFormatTests
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");

    [Fact]
    public void Money_is_shown_in_yi_and_below_one_yi_in_wan()
    {
        Assert.Equal("1,500.0 亿元", FigureFormat.Money(1500m, 1, Zh));
        Assert.Equal("3,500 万元", FigureFormat.Money(0.35m, 1, Zh));
        Assert.Equal("150.00 bn yuan", FigureFormat.Money(1500m, 1, En));
        Assert.Equal("35 m yuan", FigureFormat.Money(0.35m, 1, En));
    }

    [Fact]
    public void Missing_value_is_a_dash_never_zero()
    {
        Assert.Equal("—", FigureFormat.Value(null, Build.Indicator("n"), Zh));
    }

    [Fact]
    public void Values_carry_their_unit()
    {
        Assert.Equal("229 个", FigureFormat.Value(229, Build.Indicator("n"), Zh));
        Assert.Equal("35.2%", FigureFormat.Value(35.2m, Build.Indicator("g", unit: IndicatorUnit.Percent, decimals: 1), Zh));
    }

    [Fact]
    public void Dates_as_officials_write_them()
    {
        Assert.Equal("2023年7月29日", FigureFormat.Date(new DateOnly(2023, 7, 29), Zh));
        Assert.Equal("29 Jul 2023", FigureFormat.Date(new DateOnly(2023, 7, 29), En));
    }
}
