using System.Globalization;
using LiveBoard.Core.Campaigns;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>
/// A fault as an organiser reads it: "旗县市区 第 2 行 · 代码：代码“x”重复". The location comes from the fault's JSON Pointer
/// (/districts/1/code): the part, the row counted from 1, the field.
/// </summary>
public static class CampaignFaultText
{
    public static string Describe(CampaignFault fault, IStringLocalizer L) => $"{Where(fault.Where, L)}{Message(fault, L)}";

    /// <summary>What is wrong, without where.</summary>
    public static string Message(CampaignFault fault, IStringLocalizer L) => L[fault.Key, [.. fault.Args]];

    private static readonly HashSet<string> Lists = ["districts", "indicators", "touringGroups", "days", "sites", "figures", "previousRanking",
        "dimensions", "trimmedMean", "gradeScale"];

    public static string Where(string pointer, IStringLocalizer L)
    {
        // A workbook's faults already say sheet / row / column in the organiser's words.
        if (pointer.Length > 0 && pointer[0] != '/') return pointer + "：";
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // The scoring part's lists and fields are named as in the editor's scoring section, without the "scoring" level.
        if (parts.Length > 1 && parts[0] == "scoring") parts = parts[1..];
        if (parts.Length == 0) return "";
        if (!Lists.Contains(parts[0])) return L["Campaigns_Field_" + parts[0]] + "：";
        var text = L["Campaigns_Part_" + parts[0]].Value;
        if (parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var row))
            text += " " + L["Campaigns_Row", row + 1];
        // A field of a list's row (/districts/1/code, /touringGroups/0/observers/2), or of the one object that is a part of its own (/trimmedMean/dropHighest).
        var field = parts.Length > 2 ? parts[2] : parts.Length == 2 && parts[0] == "trimmedMean" ? parts[1] : null;
        if (field is not null && !int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            text += " · " + L["Campaigns_Field_" + field];
        return text + "：";
    }
}
