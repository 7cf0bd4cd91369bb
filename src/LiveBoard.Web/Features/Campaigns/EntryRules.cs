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

    /// <summary>A field's text without surrounding spaces; a cleared field (null) is empty.</summary>
    public static string Text(string? s) => s?.Trim() ?? "";

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
