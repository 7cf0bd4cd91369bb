using System.Text.Json;
using System.Text.Json.Serialization;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;

namespace LiveBoard.Core.Campaigns;

/// <summary>
/// A campaign as an organiser writes it down: districts, indicators, groups, days, sites, starting figures
/// and the ranking last announced. The embedded Tongliao demo is one such file; another city supplies its own.
/// </summary>
public sealed class CampaignFile
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string NameEn { get; init; }
    public required string City { get; init; }
    public required string CityEn { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    public List<DistrictEntry> Districts { get; init; } = [];
    public List<IndicatorEntry> Indicators { get; init; } = [];
    public List<GroupEntry> TouringGroups { get; init; } = [];
    public List<DayEntry> Days { get; init; } = [];
    public List<SiteEntry> Sites { get; init; } = [];
    /// <summary>district code → indicator code → value.</summary>
    public Dictionary<string, Dictionary<string, decimal>> Figures { get; init; } = [];
    public PreviousRankingEntry? PreviousRanking { get; init; }

    public sealed record DistrictEntry(string Code, string Name, string NameEn, string? ShortName = null, string? ShortNameEn = null);
    public sealed record IndicatorEntry(
        string Code, string Name, string NameEn, IndicatorCategory Category, IndicatorUnit Unit,
        Direction Direction, Aggregation Aggregation, decimal? Target, decimal Weight, int Decimals,
        decimal? PlausibleMin = null, decimal? PlausibleMax = null);
    public sealed record GroupEntry(string Code, string Name, string NameEn);
    public sealed record DayEntry(DateOnly Date, string Title, string TitleEn);
    public sealed record SiteEntry(
        string District, string Group, DateOnly Day, int Order, string Name, string NameEn,
        decimal PlannedInvestment, decimal CompletedInvestment, SiteStatus Status, string Description = "");
    public sealed record PreviousRankingEntry(string Label, string LabelEn, DateTimeOffset TakenAt, List<string> Order);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static CampaignFile Read(Stream json)
    {
        var file = JsonSerializer.Deserialize<CampaignFile>(json, Options)
                   ?? throw new InvalidDataException("The campaign file is empty.");
        file.Check();
        return file;
    }

    /// <summary>Refuses a file whose parts refer to codes it does not define, so a typo never loads half a campaign.</summary>
    private void Check()
    {
        var problems = new List<string>();
        var districts = Districts.Select(d => d.Code).ToHashSet();
        var indicators = Indicators.Select(i => i.Code).ToHashSet();
        var groups = TouringGroups.Select(g => g.Code).ToHashSet();
        if (districts.Count != Districts.Count) problems.Add("duplicate district codes");
        if (indicators.Count != Indicators.Count) problems.Add("duplicate indicator codes");
        foreach (var s in Sites)
        {
            if (!districts.Contains(s.District)) problems.Add($"site '{s.Name}': unknown district '{s.District}'");
            if (!groups.Contains(s.Group)) problems.Add($"site '{s.Name}': unknown touring group '{s.Group}'");
        }
        foreach (var (district, values) in Figures)
        {
            if (!districts.Contains(district)) problems.Add($"figures: unknown district '{district}'");
            foreach (var indicator in values.Keys.Where(k => !indicators.Contains(k)))
                problems.Add($"figures of '{district}': unknown indicator '{indicator}'");
        }
        if (PreviousRanking?.Order.FirstOrDefault(c => !districts.Contains(c)) is { } unknown)
            problems.Add($"previous ranking: unknown district '{unknown}'");
        if (problems.Count > 0)
            throw new InvalidDataException("The campaign file is inconsistent: " + string.Join("; ", problems));
    }

    /// <summary>The campaign's entities, linked by code only; a store assigns ids.</summary>
    public Campaign ToCampaign() => new()
    {
        Code = Code, Name = Name, NameEn = NameEn, City = City, CityEn = CityEn,
        StartDate = StartDate, EndDate = EndDate,
        Districts = Districts.Select((d, i) => new District
        {
            Code = d.Code, Name = d.Name, NameEn = d.NameEn, ShortName = d.ShortName, ShortNameEn = d.ShortNameEn, SortOrder = i + 1,
        }).ToList(),
        Indicators = Indicators.Select((x, i) => new Indicator
        {
            Code = x.Code, Name = x.Name, NameEn = x.NameEn, Category = x.Category, Unit = x.Unit,
            Direction = x.Direction, Aggregation = x.Aggregation, Target = x.Target, Weight = x.Weight,
            Decimals = x.Decimals, PlausibleMin = x.PlausibleMin, PlausibleMax = x.PlausibleMax, SortOrder = i + 1,
        }).ToList(),
        TouringGroups = TouringGroups.Select(g => new TouringGroup { Code = g.Code, Name = g.Name, NameEn = g.NameEn }).ToList(),
        Days = Days.Select(d => new CampaignDay { Date = d.Date, Title = d.Title, TitleEn = d.TitleEn }).ToList(),
    };

    public FigureTable ToFigureTable()
    {
        var table = new FigureTable();
        foreach (var (district, values) in Figures)
            foreach (var (indicator, value) in values)
                table.Set(district, indicator, value);
        return table;
    }

    /// <summary>The previously announced ranking, ranks 1..n in the listed order.</summary>
    public RankingSnapshot? ToPreviousSnapshot() => PreviousRanking is null
        ? null
        : new RankingSnapshot(PreviousRanking.Label, PreviousRanking.TakenAt,
            PreviousRanking.Order.Select((code, i) => (code, i + 1)).ToDictionary(x => x.code, x => x.Item2))
        {
            LabelEn = PreviousRanking.LabelEn,
        };
}
