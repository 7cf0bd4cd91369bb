using System.Globalization;
using System.Net;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Reporting;
using MiniExcelLibs;
using Col = LiveBoard.Web.Tests.Reporting.TemplateHeaders;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>Excel import: the template from the running app, filled as a person would, imported all-or-nothing.</summary>
public sealed class ImportTests : RunningApp
{
    private static Dictionary<string, object?> Row(List<Dictionary<string, object?>> rows, string district, string indicator) =>
        rows.Single(r => (string?)r[Col.District] == district && (string?)r[Col.Indicator] == indicator);

    [Fact]
    public async Task Reporter_template_holds_only_their_district_and_organiser_template_all_districts()
    {
        var hure = await TemplateAsync("reporter-hure", null);
        Assert.Equal(5, hure.Count);
        Assert.All(hure, r => Assert.Equal("hure", r[Col.District]));
        Assert.Equal(15d, Convert.ToDouble(Row(hure, "hure", "signed-projects")[Col.Current], CultureInfo.InvariantCulture));
        var all = await TemplateAsync("organiser", null);
        Assert.Equal(9 * 5, all.Count);
    }

    [Fact]
    public async Task Filled_template_imports_every_row_in_one_write_with_channel_import()
    {
        var rows = await TemplateAsync("organiser", null);
        Row(rows, "hure", "signed-projects")[Col.Value] = 20;
        Row(rows, "hure", "signed-projects")[Col.Reason] = "核实补报";
        Row(rows, "naiman", "funds-in-place")[Col.Value] = 11.5;
        Row(rows, "naiman", "funds-in-place")[Col.Reason] = "到位资金更新";

        var result = await Host.Service<FigureImport>().ImportAsync(Workbook(rows), Principals.Organiser());

        Assert.Equal(new ImportResult.Imported(2, 2), result);
        var history = await TestData.HistoryAsync(Host, "naiman", "funds-in-place");
        Assert.Equal((11.5m, Channels.Import, "organiser", "到位资金更新"), (history[^1].NewValue, history[^1].Channel, history[^1].ChangedBy, history[^1].Reason));
        var hure = await TestData.HistoryAsync(Host, "hure", "signed-projects");
        Assert.Equal(history[^1].RequestId, hure[^1].RequestId);
    }

    [Fact]
    public async Task One_bad_row_refuses_the_whole_file_and_names_each_bad_row()
    {
        var rows = await TemplateAsync("organiser", null);
        var before = await TestData.WritesAsync(Host);
        Row(rows, "hure", "signed-projects")[Col.Value] = 20;                 // fine on its own (row 2..)
        Row(rows, "hure", "signed-projects")[Col.Reason] = "核实";
        Row(rows, "kailu", "started-projects")[Col.Value] = "十二";            // not a number
        Row(rows, "naiman", "signed-projects")[Col.Value] = -3;               // negative count
        Row(rows, "naiman", "signed-projects")[Col.Reason] = "x";
        Row(rows, "jarud", "funds-in-place")[Col.Value] = 30;                 // change without a reason

        var result = Assert.IsType<ImportResult.Refused>(await Host.Service<FigureImport>().ImportAsync(Workbook(rows), Principals.Organiser()));

        var rowNumber = (string d, string i) => rows.IndexOf(Row(rows, d, i)) + 2;
        Assert.Equal([rowNumber("kailu", "started-projects")], result.Errors.Select(e => e.Row));
        Assert.Equal(before, await TestData.WritesAsync(Host));

        // With the format fixed, the domain rules speak for the remaining rows, still all-or-nothing.
        Row(rows, "kailu", "started-projects")[Col.Value] = 12;
        Row(rows, "kailu", "started-projects")[Col.Reason] = "核实";
        result = Assert.IsType<ImportResult.Refused>(await Host.Service<FigureImport>().ImportAsync(Workbook(rows), Principals.Organiser()));
        Assert.Equal(new[] { rowNumber("naiman", "signed-projects"), rowNumber("jarud", "funds-in-place") }.Order(), result.Errors.Select(e => e.Row).Order());
        Assert.Contains(result.Errors, e => e.Column == FigureImport.Columns.Reason && e.Row == rowNumber("jarud", "funds-in-place"));
        Assert.Equal(before, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Template_speaks_the_users_language_and_imports_in_either_language_and_with_the_earlier_code_headers()
    {
        var zh = await TemplateAsync("reporter-hure", null);
        Assert.Equal(Col.All, zh[0].Keys);
        Assert.Equal("库伦旗", Row(zh, "hure", "signed-projects")[Col.DistrictName]);
        var en = await TemplateAsync("reporter-hure", null, "en");
        Assert.Equal(["District code", "District", "Indicator code", "Indicator", "Unit", "Current value", "Version (do not edit)", "New value", "Reason for change"], en[0].Keys);
        Assert.Equal("Hure Banner", en.Single(r => (string?)r["Indicator code"] == "signed-projects")["District"]);

        // The English template, filled in and uploaded (on a Chinese page as well: the import does not care).
        var signed = en.Single(r => (string?)r["Indicator code"] == "signed-projects");
        signed["New value"] = 17;
        signed["Reason for change"] = "verified on site";
        Assert.Equal(new ImportResult.Imported(1, 1), await Host.Service<FigureImport>().ImportAsync(Workbook(en), Principals.Reporter("hure")));

        // A file filled in from the template as it was before, with the code headers, still imports.
        var coded = (await TemplateAsync("reporter-hure", null)).Select(r => Col.All.Zip(FigureImport.Columns.All).ToDictionary(h => h.Second, h => r[h.First])).ToList();
        coded.Single(r => (string?)r["indicator"] == "started-projects")["new_value"] = 9;
        coded.Single(r => (string?)r["indicator"] == "started-projects")["reason"] = "核实";
        Assert.Equal(new ImportResult.Imported(1, 1), await Host.Service<FigureImport>().ImportAsync(Workbook(coded), Principals.Reporter("hure")));
        Assert.Equal(9m, (await TestData.FigureAsync(Host, "hure", "started-projects")).Value);

        // A sheet whose value column was renamed is refused by name, and nothing is written.
        var before = await TestData.WritesAsync(Host);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN"); // as on the Chinese import page
        var renamed = zh.Select(r => r.ToDictionary(kv => kv.Key == Col.Value ? "数值" : kv.Key, kv => kv.Key == Col.Value ? 20 : kv.Value)).ToList();
        var refused = Assert.IsType<ImportResult.Refused>(await Host.Service<FigureImport>().ImportAsync(Workbook(renamed), Principals.Reporter("hure")));
        Assert.Equal((0, FigureImport.Columns.Value), (refused.Errors.Single().Row, refused.Errors.Single().Column));
        Assert.Contains("新数值", refused.Errors.Single().Message);
        Assert.Equal(before, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Reporter_cannot_import_rows_of_another_district()
    {
        var rows = await TemplateAsync("organiser", "naiman");
        rows[0][Col.Value] = 99;
        rows[0][Col.Reason] = "x";
        var before = await TestData.WritesAsync(Host);
        var result = Assert.IsType<ImportResult.Refused>(await Host.Service<FigureImport>().ImportAsync(Workbook(rows), Principals.Reporter("hure")));
        Assert.Equal([2], result.Errors.Select(e => e.Row));
        Assert.Equal(before, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task A_file_that_is_not_a_workbook_is_refused_politely()
    {
        var result = await Host.Service<FigureImport>().ImportAsync(new MemoryStream("not a spreadsheet"u8.ToArray()), Principals.Organiser());
        Assert.Equal(0, Assert.IsType<ImportResult.Refused>(result).Errors.Single().Row);
    }
}
