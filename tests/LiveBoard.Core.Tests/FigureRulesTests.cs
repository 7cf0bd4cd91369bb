using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;

namespace LiveBoard.Core.Tests;

public class FigureRulesTests
{
    [Theory]
    [InlineData(-1, "Figure_Negative")]
    [InlineData(2.5, "Figure_WholeNumber")]
    [InlineData(2000000000, "Figure_TooLarge")]
    public void Counts_must_be_non_negative_whole_numbers(decimal value, string error)
    {
        Assert.Equal(error, FigureRules.Validate(Build.Indicator("n"), value)?.Key);
    }

    [Fact]
    public void Money_allows_the_indicators_decimals_and_no_more()
    {
        var money = Build.Indicator("m", unit: IndicatorUnit.HundredMillionYuan, decimals: 2);
        Assert.Null(FigureRules.Validate(money, 12.34m));
        Assert.Null(FigureRules.Validate(money, 12.30m));
        Assert.Equal("Figure_TooManyDecimals", FigureRules.Validate(money, 12.345m)?.Key);
        Assert.Equal("Figure_Negative", FigureRules.Validate(money, -0.01m)?.Key);
    }

    [Fact]
    public void Growth_rates_may_be_negative()
    {
        var growth = Build.Indicator("g", unit: IndicatorUnit.Percent, decimals: 1);
        Assert.Null(FigureRules.Validate(growth, -12.5m));
    }

    [Fact]
    public void Values_outside_the_plausible_range_need_confirmation()
    {
        var n = Build.Indicator("n");
        n.PlausibleMax = 100;
        Assert.False(FigureRules.IsImplausible(n, 100));
        Assert.True(FigureRules.IsImplausible(n, 101));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("核实后补报4个项目", null)]
    [InlineData("第一行\n第二行", null)]
    [InlineData("<script>alert(1)</script>", "Reason_Invalid")]
    [InlineData("a > b", "Reason_Invalid")]
    [InlineData("bell\u0007", "Reason_Invalid")]
    public void Reasons_are_plain_text_without_markup_or_control_characters(string? reason, string? error)
    {
        Assert.Equal(error, FigureRules.ValidateReason(reason)?.Key);
    }

    [Fact]
    public void Reasons_are_bounded()
    {
        Assert.Null(FigureRules.ValidateReason(new string('长', FigureRules.ReasonMaxLength)));
        Assert.Equal("Reason_TooLong", FigureRules.ValidateReason(new string('长', FigureRules.ReasonMaxLength + 1))?.Key);
    }
}
