using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LiveBoard.Core.Campaigns;
using MiniExcelLibs;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>
/// The whole campaign as an xlsx workbook, a sheet per part with Chinese headers, for organisers who prepare a campaign in
/// Excel. The workbook is a second spelling of the campaign file: writing goes file → JSON → sheets, reading goes sheets →
/// JSON → <see cref="CampaignFile.Parse"/>, so one set of checks applies, and each fault found by JSON Pointer is shown
/// at its sheet, row and column.
/// </summary>
public static class CampaignWorkbook
{
    private enum Kind
    {
        Text,
        Number,
        Integer,
        /// <summary>A list of names in one cell, separated by commas or 、 (a group's observer accounts).</summary>
        Names,
    }

    private sealed record Column(string Field, string Header, Kind Kind = Kind.Text, bool Required = false);

    /// <param name="List">Where the list is in the file, as JSON Pointer segments without the leading slash (scoring/dimensions).</param>
    private sealed record Sheet(string List, string Name, bool Required, Column[] Columns)
    {
        public string[] Path => List.Split('/');
    }

    /// <summary>The campaign sheet: one row per field (项目 | 值).</summary>
    private const string CampaignSheet = "拉练";
    private const string ItemHeader = "项目";
    private const string ValueHeader = "值";

    private static readonly Column[] CampaignFields =
    [
        new("schemaVersion", "文件格式版本", Kind.Integer, true), new("code", "代码", Required: true), new("name", "名称", Required: true),
        new("nameEn", "英文名称"), new("city", "城市", Required: true), new("cityEn", "英文城市名"),
        new("startDate", "开始日期", Required: true), new("endDate", "结束日期", Required: true), new("timeZone", "时区"),
        new("previousRanking.label", "上次公布排名"), new("previousRanking.labelEn", "上次公布排名（英文）"), new("previousRanking.takenAt", "上次公布时间"),
        new("scoring.trimmedMean.dropHighest", "去掉最高分个数", Kind.Integer), new("scoring.trimmedMean.dropLowest", "去掉最低分个数", Kind.Integer),
        new("scoring.trimmedMean.minimumObservers", "去掉最高最低分的最少评分人数", Kind.Integer),
        new("scoring.inspectionWeight", "观摩评分权重", Kind.Number), new("scoring.gradeWeight", "营商环境评定权重", Kind.Number),
    ];

    private static readonly Sheet[] Lists =
    [
        new("districts", "旗县市区", true, [new("code", "代码"), new("name", "名称"), new("nameEn", "英文名称"), new("shortName", "简称"), new("shortNameEn", "英文简称")]),
        new("indicators", "指标", true,
        [
            new("code", "代码"), new("name", "名称"), new("nameEn", "英文名称"), new("category", "类别"), new("unit", "单位"),
            new("direction", "方向"), new("aggregation", "汇总方式"), new("target", "全市目标", Kind.Number), new("weight", "权重", Kind.Number),
            new("decimals", "小数位", Kind.Integer), new("plausibleMin", "合理下限", Kind.Number), new("plausibleMax", "合理上限", Kind.Number),
        ]),
        // Optional: a workbook without it sets no district its own target (each gets its share of the city target).
        new("districtTargets", "区县目标", false, [new("indicator", "指标"), new("district", "旗县市区"), new("target", "目标", Kind.Number)]),
        new("touringGroups", "观摩组", true, [new("code", "代码"), new("name", "名称"), new("nameEn", "英文名称"), new("observers", "观摩员账号", Kind.Names)]),
        new("days", "日程", true, [new("date", "日期"), new("title", "标题"), new("titleEn", "英文标题")]),
        new("sites", "观摩点", true,
        [
            new("district", "旗县市区"), new("group", "观摩组"), new("day", "日期"), new("order", "顺序", Kind.Integer), new("name", "名称"),
            new("nameEn", "英文名称"), new("plannedInvestment", "计划投资（亿元）", Kind.Number), new("completedInvestment", "完成投资（亿元）", Kind.Number),
            new("status", "状态"), new("description", "说明"), new("address", "地址"), new("plannedArrival", "计划到达"),
        ]),
        // A workbook without the scoring sheets leaves the campaign on the default scoring; one with them must be whole.
        new("scoring/dimensions", "评分维度", false, [new("dimension", "维度"), new("maxPoints", "满分", Kind.Number), new("weight", "权重", Kind.Number)]),
        new("scoring/gradeScale", "评定等级", false, [new("grade", "等级"), new("points", "分值", Kind.Number), new("from", "起评均分", Kind.Number)]),
    ];

    private static readonly Sheet Figures = new("figures", "数据", false,
        [new("district", "旗县市区"), new("indicator", "指标"), new("value", "数值", Kind.Number)]);

    private static readonly Sheet PreviousOrder = new("previousRanking", "上次公布名次", false, [new("district", "旗县市区")]);

    public static byte[] Write(CampaignFile file)
    {
        var json = JsonNode.Parse(file.ToJson())!.AsObject();
        var sheets = new Dictionary<string, object>
        {
            [CampaignSheet] = CampaignFields.Select(c => new Dictionary<string, object?> { [ItemHeader] = c.Header, [ValueHeader] = Cell(Get(json, c.Field.Split('.')), c.Kind) }).ToList(),
        };
        foreach (var sheet in Lists)
            sheets[sheet.Name] = Rows(sheet, (Get(json, sheet.Path) as JsonArray ?? []).Select(n => n!.AsObject()));
        var figures = new List<JsonObject>();
        foreach (var (district, values) in json["figures"] as JsonObject ?? [])
            foreach (var (indicator, value) in values!.AsObject())
                figures.Add(new JsonObject { ["district"] = district, ["indicator"] = indicator, ["value"] = value?.DeepClone() });
        sheets[Figures.Name] = Rows(Figures, figures);
        sheets[PreviousOrder.Name] = Rows(PreviousOrder,
            (json["previousRanking"]?["order"] as JsonArray ?? []).Select(code => new JsonObject { ["district"] = code?.DeepClone() }));
        using var buffer = new MemoryStream();
        buffer.SaveAs(sheets);
        return buffer.ToArray();
    }

    private static List<Dictionary<string, object?>> Rows(Sheet sheet, IEnumerable<JsonObject> items)
    {
        var rows = items.Select(item => sheet.Columns.ToDictionary(c => c.Header, c => Cell(item[c.Field], c.Kind))).ToList();
        // An empty list still carries its headers, so the organiser sees what to fill in.
        if (rows.Count == 0) rows.Add(sheet.Columns.ToDictionary(c => c.Header, _ => (object?)null));
        return rows;
    }

    private static object? Cell(JsonNode? node, Kind kind) => node switch
    {
        null => null,
        JsonValue v when kind is Kind.Number or Kind.Integer && v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray names when kind == Kind.Names => string.Join(", ", names.Select(n => n?.GetValue<string>())),
        _ => node.ToJsonString(),
    };

    private static JsonNode? Get(JsonObject json, string[] path)
    {
        JsonNode? node = json;
        foreach (var part in path) node = node?[part];
        return node;
    }

    /// <summary>Sets a value at a path, making the objects on the way.</summary>
    private static void Set(JsonObject json, string[] path, JsonNode value)
    {
        var target = json;
        foreach (var part in path[..^1]) target = (target[part] ??= new JsonObject()).AsObject();
        target[path[^1]] = value;
    }

    /// <summary>
    /// Reads a workbook into a campaign file, or every fault by sheet / row / column: cells that are not what their column
    /// holds, missing sheets and columns, and whatever the file check then finds.
    /// </summary>
    public static (CampaignFile? File, IReadOnlyList<CampaignFault> Faults) Read(Stream xlsx)
    {
        var faults = new List<CampaignFault>();
        List<string> names;
        try
        {
            names = xlsx.GetSheetNames();
        }
        // Not a zip, not a workbook: whatever MiniExcel throws, the answer is the same.
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
            return (null, [new CampaignFault("", CampaignFile.Faults.Unreadable)]);
        }
        var root = new JsonObject();

        if (!names.Contains(CampaignSheet)) faults.Add(new CampaignFault(CampaignSheet, CampaignFile.Faults.MissingSheet));
        else
        {
            var items = Query(xlsx, CampaignSheet)
                .Where(r => r.ContainsKey(ItemHeader))
                .GroupBy(r => Text(r[ItemHeader]) ?? "")
                .ToDictionary(g => g.Key, g => g.First().TryGetValue(ValueHeader, out var v) ? v : null);
            for (var i = 0; i < CampaignFields.Length; i++)
            {
                var c = CampaignFields[i];
                var where = $"{CampaignSheet} / {c.Header}";
                var value = items.TryGetValue(c.Header, out var v) ? v : null;
                if (Convert(value, c.Kind, where, faults) is not { } node) continue;
                Set(root, c.Field.Split('.'), node);
            }
        }
        foreach (var sheet in Lists.Append(Figures).Append(PreviousOrder))
        {
            if (!names.Contains(sheet.Name))
            {
                if (sheet.Required) faults.Add(new CampaignFault(sheet.Name, CampaignFile.Faults.MissingSheet));
                continue;
            }
            var rows = Query(xlsx, sheet.Name);
            if (rows.Count > 0)
                foreach (var missing in sheet.Columns.Where(c => !rows[0].ContainsKey(c.Header)))
                    faults.Add(new CampaignFault($"{sheet.Name} / {missing.Header}", CampaignFile.Faults.MissingSheet));
            var items = new JsonArray();
            for (var i = 0; i < rows.Count; i++)
            {
                // Rows left empty (the headers-only row of an empty list, blank lines) are not entries.
                if (rows[i].Values.All(v => v is null || v is string { Length: 0 })) continue;
                var item = new JsonObject();
                foreach (var c in sheet.Columns)
                    if (Convert(rows[i].TryGetValue(c.Header, out var cell) ? cell : null, c.Kind, $"{sheet.Name} / {RowText(i)} / {c.Header}", faults) is { } node) item[c.Field] = node;
                items.Add(item);
            }
            if (sheet == Figures)
            {
                var figures = new JsonObject();
                foreach (var f in items.Select(n => n!.AsObject()))
                    if (f["district"]?.ToString() is { } d && f["indicator"]?.ToString() is { } ind)
                        ((figures[d] ??= new JsonObject()).AsObject())[ind] = f["value"]?.DeepClone();
                root["figures"] = figures;
            }
            else if (sheet == PreviousOrder)
            {
                if (root["previousRanking"] is JsonObject previous) previous["order"] = new JsonArray(items.Select(n => n!["district"]?.DeepClone()).ToArray());
            }
            // An empty scoring sheet (a campaign on the default scoring) is no scoring part, not an empty one.
            else if (items.Count > 0 || sheet.Required) Set(root, sheet.Path, items);
        }
        if (faults.Count > 0) return (null, faults);

        var (file, fileFaults) = CampaignFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(root.ToJsonString())));
        return (file, fileFaults.Select(f => f with { Where = Locate(f.Where) }).ToList());
    }

    private static List<IDictionary<string, object?>> Query(Stream xlsx, string sheet)
    {
        xlsx.Position = 0;
        return xlsx.Query(useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
    }

    /// <summary>Data row i (from 0) as the organiser sees it in Excel: row 1 holds the headers.</summary>
    private static string RowText(int i) => $"第{i + 2}行";

    /// <summary>A JSON Pointer of the file check (/sites/3/day) as sheet / row / column (观摩点 / 第5行 / 日期).</summary>
    private static string Locate(string pointer)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return pointer;
        if (Lists.FirstOrDefault(s => parts.Length >= s.Path.Length && parts.AsSpan(0, s.Path.Length).SequenceEqual(s.Path)) is { } sheet)
        {
            var rest = parts[sheet.Path.Length..];
            if (rest.Length == 0) return sheet.Name;
            var row = int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? RowText(i) : rest[0];
            var column = rest.Length > 1 ? sheet.Columns.FirstOrDefault(c => c.Field == rest[1])?.Header ?? rest[1] : null;
            return column is null ? $"{sheet.Name} / {row}" : $"{sheet.Name} / {row} / {column}";
        }
        if (parts[0] == "figures") return $"{Figures.Name} / {string.Join(" / ", parts[1..])}";
        if (parts[0] == "previousRanking") return PreviousOrder.Name;
        // A field of the campaign sheet, or an object of its fields (scoring.trimmedMean): its first row.
        var path = string.Join('.', parts);
        return (CampaignFields.FirstOrDefault(c => c.Field == path) ?? CampaignFields.FirstOrDefault(c => c.Field.StartsWith(path + ".", StringComparison.Ordinal))) is { } field
            ? $"{CampaignSheet} / {field.Header}"
            : pointer;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s.Trim().Length == 0 ? null : s.Trim(),
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static JsonNode? Convert(object? value, Kind kind, string where, List<CampaignFault> faults)
    {
        if (Text(value) is not { } text) return null;
        switch (kind)
        {
            case Kind.Names:
                return new JsonArray([.. text.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => (JsonNode)JsonValue.Create(n))]);
            case Kind.Number when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return JsonValue.Create(d);
            case Kind.Integer when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n):
                return JsonValue.Create(n);
            case Kind.Text:
                return JsonValue.Create(text);
            default:
                faults.Add(new CampaignFault(where, CampaignFile.Faults.InvalidValue));
                return null;
        }
    }
}
