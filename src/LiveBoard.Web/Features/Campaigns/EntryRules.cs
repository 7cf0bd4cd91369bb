using LiveBoard.Core.Campaigns;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>Field checks of the editor's add forms, in the words of the file check (<see cref="CampaignFile.Validate"/>).</summary>
public static class EntryRules
{
    /// <summary>A code in the form every code takes, not already in the list.</summary>
    public static string? CodeError(string? code, IEnumerable<string> taken, IStringLocalizer L)
    {
        var c = code?.Trim() ?? "";
        if (c.Length == 0) return L[CampaignFile.Faults.Required].Value;
        if (new CampaignFile { SchemaVersion = CampaignFile.CurrentSchemaVersion, Code = c }.Validate(complete: false)
                .FirstOrDefault(f => f.Where == "/code") is { } fault)
            return L[fault.Key, [.. fault.Args]].Value;
        return taken.Contains(c, StringComparer.Ordinal) ? L[CampaignFile.Faults.Duplicate, c].Value : null;
    }

    /// <summary>A district's own target for <paramref name="indicator"/>, by the file check's rule (above 0, in the plausible range).</summary>
    public static string? TargetError(decimal target, CampaignFile.IndicatorEntry indicator, IStringLocalizer L)
    {
        var file = new CampaignFile
        {
            SchemaVersion = CampaignFile.CurrentSchemaVersion, Code = "x", Indicators = [indicator], Districts = [new("d", "d", "d")],
            DistrictTargets = [new(indicator.Code, "d", target)],
        };
        return file.Validate(complete: false).FirstOrDefault(f => f.Where == "/districtTargets/0/target") is { } fault
            ? L[fault.Key, [.. fault.Args]].Value
            : null;
    }

    /// <summary>A field's text without surrounding spaces; a cleared field (null) is empty.</summary>
    public static string Text(string? s) => s?.Trim() ?? "";

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
