namespace LiveBoard.Web.Tests.Reporting;

/// <summary>The import template's column headers as a Chinese user reads them in the downloaded file.</summary>
public static class TemplateHeaders
{
    public const string District = "地区代码";
    public const string DistrictName = "地区";
    public const string Indicator = "指标代码";
    public const string IndicatorName = "指标";
    public const string Unit = "单位";
    public const string Current = "当前数值";
    public const string Version = "版本号（请勿修改）";
    public const string Value = "新数值";
    public const string Reason = "修改原因";

    public static readonly string[] All = [District, DistrictName, Indicator, IndicatorName, Unit, Current, Version, Value, Reason];
}
