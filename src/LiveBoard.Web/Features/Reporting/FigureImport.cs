using LiveBoard.Core;
using System.Globalization;
using System.Security.Claims;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>One refused row of an import, with the spreadsheet row number a person can find.</summary>
public sealed record ImportRowError(int Row, string Column, string Message);

public abstract record ImportResult
{
    public sealed record Imported(int Rows, int Changed) : ImportResult;
    public sealed record Refused(IReadOnlyList<ImportRowError> Errors) : ImportResult;
}

/// <summary>
/// Figures from a spreadsheet: a template per district (or all districts, for organisers) that is filled in and
/// uploaded. The whole file is one report through <see cref="FigureService"/>: every row is written, or none.
/// </summary>
public sealed class FigureImport(CampaignStore store, FigureService figures, IStringLocalizer<SharedResource> L)
{
    public const long MaxFileBytes = 5 * 1024 * 1024;
    // A province's whole sheet: about 100 districts × 100 indicators.
    public const int MaxRows = 20_000;

    // Column names are codes, not translated labels: a template downloaded in English imports on a Chinese PC.
    public static class Columns
    {
        public const string District = "district";
        public const string DistrictName = "district_name";
        public const string Indicator = "indicator";
        public const string IndicatorName = "indicator_name";
        public const string Unit = "unit";
        public const string Current = "current_value";
        public const string Version = "expected_version";
        public const string Value = "new_value";
        public const string Reason = "reason";
    }

    /// <summary>The districts a user may download or import for; null when the user may report for none.</summary>
    public static IReadOnlyList<District> AllowedDistricts(ClaimsPrincipal user, Campaign campaign) =>
        campaign.Districts.Where(d => Policies.CanReportFor(user, d.Code)).ToList();

    public async Task<byte[]?> TemplateAsync(ClaimsPrincipal user, string? districtCode, CancellationToken ct = default)
    {
        if (await store.LoadCurrentAsync(ct) is not { } state) return null;
        var districts = AllowedDistricts(user, state.Campaign).Where(d => districtCode is null || d.Code == districtCode).ToList();
        if (districts.Count == 0) return null;
        var figuresById = state.FigureRows.ToDictionary(f => (f.DistrictId, f.IndicatorId));
        var rows = new List<Dictionary<string, object?>>();
        foreach (var d in districts)
            foreach (var i in state.Campaign.Indicators.Where(Reportable))
            {
                var figure = figuresById.GetValueOrDefault((d.Id, i.Id));
                rows.Add(new Dictionary<string, object?>
                {
                    [Columns.District] = d.Code, [Columns.DistrictName] = d.Name, [Columns.Indicator] = i.Code, [Columns.IndicatorName] = i.Name,
                    [Columns.Unit] = L["Unit_" + i.Unit].Value, [Columns.Current] = figure?.Value, [Columns.Version] = figure?.Version ?? 0,
                    [Columns.Value] = null, [Columns.Reason] = null,
                });
            }
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, sheetName: "figures", excelType: ExcelType.XLSX, cancellationToken: ct);
        return stream.ToArray();
    }

    /// <param name="from">the uploader's client address, kept on each revision</param>
    public async Task<ImportResult> ImportAsync(Stream xlsx, ClaimsPrincipal user, string? from = null, CancellationToken ct = default)
    {
        if (await store.LoadCurrentAsync(ct) is not { } state)
            return new ImportResult.Refused([new ImportRowError(0, "", L["Campaign_None"])]);
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = (await xlsx.QueryAsync(useHeaderRow: true, excelType: ExcelType.XLSX, cancellationToken: ct))
                .Take(MaxRows + 1).Select(r => (IDictionary<string, object?>)r).ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever is wrong inside the file (not a zip, not a workbook), it is the uploader's file, not our bug.
            return new ImportResult.Refused([new ImportRowError(0, "", L["Import_NotAWorkbook"])]);
        }
        if (sheet.Count > MaxRows)
            return new ImportResult.Refused([new ImportRowError(0, "", L["Import_TooManyRows", MaxRows])]);

        var allowed = AllowedDistricts(user, state.Campaign).Select(d => d.Code).ToHashSet();
        var errors = new List<ImportRowError>();
        var rowOf = new Dictionary<(string District, string Indicator), int>();
        var byDistrict = new Dictionary<string, List<FigureEntry>>();
        for (var n = 0; n < sheet.Count; n++)
        {
            var row = sheet[n];
            var excelRow = n + 2; // row 1 holds the column names
            var value = Text(row, Columns.Value);
            if (value.Length == 0) continue; // rows left blank are not reported
            var district = Text(row, Columns.District);
            var indicator = Text(row, Columns.Indicator);
            if (!state.Campaign.Districts.Any(d => d.Code == district))
            { errors.Add(new(excelRow, Columns.District, L["District_Unknown", district])); continue; }
            if (!allowed.Contains(district))
            { errors.Add(new(excelRow, Columns.District, L["Api_OtherDistrict"])); continue; }
            if (!decimal.TryParse(value, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
            { errors.Add(new(excelRow, Columns.Value, L["Figure_NumberFormat"])); continue; }
            int? version = null;
            var versionText = Text(row, Columns.Version);
            if (versionText.Length > 0)
            {
                if (int.TryParse(versionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0) version = v;
                else { errors.Add(new(excelRow, Columns.Version, L["Api_VersionExpected"])); continue; }
            }
            var reason = Text(row, Columns.Reason);
            if (!rowOf.TryAdd((district, indicator), excelRow))
            { errors.Add(new(excelRow, Columns.Indicator, L["Report_Duplicate", indicator])); continue; }
            if (!byDistrict.TryGetValue(district, out var entries)) byDistrict[district] = entries = [];
            entries.Add(new FigureEntry(indicator, number, version, reason.Length == 0 ? null : reason));
        }
        if (errors.Count > 0) return new ImportResult.Refused(errors);
        if (byDistrict.Count == 0) return new ImportResult.Refused([new ImportRowError(0, Columns.Value, L["Report_Empty"])]);

        var requestId = Guid.NewGuid().ToString("N");
        var author = user.Identity!.Name!;
        var outcome = await figures.ReportManyAsync(
            byDistrict.Select(kv => new ReportRequest(kv.Key, kv.Value, author, Channels.Import, requestId, ClientAddress: from)).ToList(), ct);
        int RowOf(string? district, string field) =>
            rowOf.GetValueOrDefault((district ?? byDistrict.Keys.First(), field));
        return outcome switch
        {
            ReportOutcome.Accepted a => new ImportResult.Imported(rowOf.Count, a.Changes.Count),
            ReportOutcome.Invalid i => new ImportResult.Refused(i.Errors
                .Select(e => new ImportRowError(RowOf(e.District, e.Field), FigureRules.IsReasonError(e.Error) ? Columns.Reason : Columns.Value, L.Text(e.Error)))
                .OrderBy(e => e.Row).ToList()),
            ReportOutcome.Conflict c => new ImportResult.Refused(c.Conflicts
                .Select(x => new ImportRowError(RowOf(x.District, x.IndicatorCode), Columns.Version,
                    L["Import_Conflict", x.CurrentVersion, x.CurrentValue, x.CurrentAuthor]))
                .OrderBy(e => e.Row).ToList()),
            _ => throw new InvalidOperationException(outcome.GetType().Name),
        };
    }

    private static bool Reportable(Indicator i) => i.Category == IndicatorCategory.Headline && i.Unit != IndicatorUnit.Grade;

    private static string Text(IDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "" : "";
}
