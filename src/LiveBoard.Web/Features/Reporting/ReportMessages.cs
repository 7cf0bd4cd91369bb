using LiveBoard.Web.Data;
using LiveBoard.Core.Figures;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>Turns the domain's error keys into the reader's language; page, API and import share it.</summary>
public static class ReportMessages
{
    public static string Text(this IStringLocalizer localizer, FigureError error) => localizer[error.Key, error.Args];

    /// <summary>Errors keyed by field path ("values[0].value", or "district/indicator" in a multi-district import).</summary>
    public static Dictionary<string, string[]> ByField(this IStringLocalizer localizer, IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.District is null ? e.Field : $"{e.District}/{e.Field}")
            .ToDictionary(g => g.Key, g => g.Select(e => localizer.Text(e.Error)).ToArray());
}
