using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Ranking;

namespace LiveBoard.Core.Campaigns;

/// <summary>
/// A campaign as an organiser writes it down: districts, indicators, groups, days, sites, starting figures
/// and the ranking last announced. The embedded Tongliao demo is one such file; another city supplies its own; the
/// campaign editor, the xlsx workbook and the API all produce one, and every one is checked by <see cref="Validate"/>.
/// </summary>
public sealed partial class CampaignFile
{
    /// <summary>The schema this code reads and writes; a file names the one it was written in.</summary>
    public const int CurrentSchemaVersion = 1;

    public int? SchemaVersion { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string City { get; init; } = "";
    public string CityEn { get; init; } = "";
    public DateOnly StartDate { get; init; }
    public DateOnly EndDate { get; init; }
    public string? TimeZone { get; init; }
    public List<DistrictEntry> Districts { get; init; } = [];
    public List<IndicatorEntry> Indicators { get; init; } = [];
    /// <summary>Targets set per district (a district not listed is measured against its share of the city target); null: none.</summary>
    public List<DistrictTargetEntry>? DistrictTargets { get; init; }
    public List<GroupEntry> TouringGroups { get; init; } = [];
    public List<DayEntry> Days { get; init; } = [];
    public List<SiteEntry> Sites { get; init; } = [];
    /// <summary>district code → indicator code → value.</summary>
    public Dictionary<string, Dictionary<string, decimal>> Figures { get; init; } = [];
    public PreviousRankingEntry? PreviousRanking { get; init; }
    /// <summary>How sites are scored and how the inspection score and the grades enter the composite; null: the defaults.</summary>
    public ScoringEntry? Scoring { get; init; }

    public sealed record DistrictEntry(string Code, string Name, string NameEn, string? ShortName = null, string? ShortNameEn = null);
    public sealed record IndicatorEntry(
        string Code, string Name, string NameEn, IndicatorCategory Category, IndicatorUnit Unit,
        Direction Direction, Aggregation Aggregation, decimal? Target, decimal Weight, int Decimals,
        decimal? PlausibleMin = null, decimal? PlausibleMax = null);
    /// <summary>One district's own target for one headline indicator, by their codes.</summary>
    public sealed record DistrictTargetEntry(string Indicator, string District, decimal Target);
    /// <param name="Observers">the user names of the group's observer accounts (never passwords); null or empty: none named.</param>
    public sealed record GroupEntry(string Code, string Name, string NameEn, List<string>? Observers = null);
    public sealed record DayEntry(DateOnly Date, string Title, string TitleEn);
    public sealed record SiteEntry(
        string District, string Group, DateOnly Day, int Order, string Name, string NameEn,
        decimal PlannedInvestment, decimal CompletedInvestment, SiteStatus Status, string Description = "",
        string? Address = null, TimeOnly? PlannedArrival = null)
    {
        /// <summary>
        /// The entry's place on the route and its project facts onto a stored site. Not the address and the planned arrival:
        /// the itinerary workbook has no columns for them, and its import must not clear them.
        /// </summary>
        public void ApplyTo(Site site, int districtId, int groupId)
        {
            site.DistrictId = districtId;
            site.TouringGroupId = groupId;
            site.Day = Day;
            site.RouteOrder = Order;
            site.Name = Name;
            site.NameEn = string.IsNullOrWhiteSpace(NameEn) ? Name : NameEn;
            site.PlannedInvestment = PlannedInvestment;
            site.CompletedInvestment = CompletedInvestment;
            site.Status = Status;
            site.Description = Description ?? "";
        }
    }
    public sealed record PreviousRankingEntry(string Label, string LabelEn, DateTimeOffset TakenAt, List<string> Order);

    /// <summary>
    /// The scoring part: the four dimensions observers mark (比结构、比效率、比服务、比成果) with their maximum points and
    /// weights, the trimmed-mean rule, the composite's weights of the inspection score and the grades (beside the headline
    /// indicators' own weights), and the grade scale of the business-environment indicators.
    /// </summary>
    public sealed record ScoringEntry(List<DimensionEntry>? Dimensions, TrimmedMeanEntry? TrimmedMean, decimal InspectionWeight, decimal GradeWeight,
        List<GradeEntry>? GradeScale);
    public sealed record DimensionEntry(Dimension Dimension, decimal MaxPoints, decimal Weight);
    /// <summary>From <paramref name="MinimumObservers"/> observers on, that many highest and lowest totals are dropped before the mean.</summary>
    public sealed record TrimmedMeanEntry(int DropHighest, int DropLowest, int MinimumObservers);
    /// <summary>A grade's points, and the mean points from which a district's overall grade is this one (none for the lowest).</summary>
    public sealed record GradeEntry(Grade Grade, decimal Points, decimal? From = null);

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions WriteOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chinese names stay readable in the file an organiser opens.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads and checks a file; refuses it whole (<see cref="CampaignFileException"/>) with every fault found.</summary>
    public static CampaignFile Read(Stream json)
    {
        var (file, faults) = Parse(json);
        return faults.Count == 0 ? file! : throw new CampaignFileException(faults);
    }

    /// <summary>Reads and checks a file: the file when it has no fault, else null and every fault, by JSON Pointer.</summary>
    public static (CampaignFile? File, IReadOnlyList<CampaignFault> Faults) Parse(Stream json)
    {
        CampaignFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CampaignFile>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            // The reader stops at the first value it cannot read: that one fault is all a broken file can tell.
            return (null, [new CampaignFault(Pointer(e.Path), e.Path is null or "$" ? Faults.Unreadable : Faults.InvalidValue)]);
        }
        if (file is null) return (null, [new CampaignFault("", Faults.Unreadable)]);
        var faults = file.Validate();
        return faults.Count == 0 ? (file, faults) : (null, faults);
    }

    /// <summary>The file as JSON in the current schema, in the order an organiser reads it; the same campaign always gives the same bytes.</summary>
    public string ToJson() => JsonSerializer.Serialize(InCurrentSchema(), WriteOptions);

    private CampaignFile InCurrentSchema() => new()
    {
        SchemaVersion = CurrentSchemaVersion, Code = Code, Name = Name, NameEn = NameEn, City = City, CityEn = CityEn,
        StartDate = StartDate, EndDate = EndDate, TimeZone = TimeZone, Districts = Districts, Indicators = Indicators,
        DistrictTargets = DistrictTargets is { Count: > 0 } ? DistrictTargets : null, TouringGroups = TouringGroups, Days = Days, Sites = Sites, Figures = Figures, PreviousRanking = PreviousRanking, Scoring = Scoring,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>
    /// Every fault of the file, each at its JSON Pointer with a resource key (<see cref="Faults"/>) and its arguments: a
    /// code that refers to nothing, a duplicate code, no positive weight, a date outside the campaign, a missing field.
    /// </summary>
    /// <param name="complete">false for a draft being built in the editor: it may have no districts or weights yet, but
    /// what it has must be right. A file imported whole, and a campaign made current, must be complete.</param>
    public IReadOnlyList<CampaignFault> Validate(bool complete = true)
    {
        var faults = new List<CampaignFault>();
        void Fault(string where, string key, params string[] args) => faults.Add(new CampaignFault(where, key, args));
        void Required(string where, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) Fault(where, Faults.Required);
        }
        void CodeField(string where, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) Fault(where, Faults.Required);
            else if (!CodePattern().IsMatch(value)) Fault(where, Faults.BadCode, value);
        }
        HashSet<string> Unique<T>(string list, List<T> items, Func<T, string?> code)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var c = code(items[i]);
                CodeField($"/{list}/{i}/code", c);
                if (!string.IsNullOrWhiteSpace(c) && !seen.Add(c)) Fault($"/{list}/{i}/code", Faults.Duplicate, c);
            }
            return seen;
        }

        if (SchemaVersion is null) Fault("/schemaVersion", Faults.Required);
        else if (SchemaVersion != CurrentSchemaVersion) Fault("/schemaVersion", Faults.SchemaVersion, SchemaVersion.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), CurrentSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CodeField("/code", Code);
        Required("/name", Name);
        Required("/city", City);
        if (StartDate == default) Fault("/startDate", Faults.Required);
        if (EndDate == default) Fault("/endDate", Faults.Required);
        var datesKnown = StartDate != default && EndDate != default;
        if (datesKnown && EndDate < StartDate) Fault("/endDate", Faults.EndBeforeStart, Iso(EndDate), Iso(StartDate));
        if (TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) Fault("/timeZone", Faults.UnknownTimeZone, zone);

        if (complete && Districts.Count == 0) Fault("/districts", Faults.NoDistricts);
        var districts = Unique("districts", Districts, d => d.Code);
        for (var i = 0; i < Districts.Count; i++) Required($"/districts/{i}/name", Districts[i].Name);

        var indicators = Unique("indicators", Indicators, x => x.Code);
        for (var i = 0; i < Indicators.Count; i++)
        {
            var x = Indicators[i];
            Required($"/indicators/{i}/name", x.Name);
            if (x.Weight < 0) Fault($"/indicators/{i}/weight", Faults.Negative);
            if (x.Decimals is < 0 or > 6) Fault($"/indicators/{i}/decimals", Faults.Decimals);
            if (x.PlausibleMin > x.PlausibleMax) Fault($"/indicators/{i}/plausibleMin", Faults.RangeReversed);
        }
        if (complete && !Indicators.Any(x => x.Category == IndicatorCategory.Headline && x.Weight > 0)) Fault("/indicators", Faults.NoPositiveWeight);

        // A district's own target: for a headline indicator and a district the file has, once each, positive and as
        // plausible as a figure the district could report.
        var byCode = Indicators.Where(x => !string.IsNullOrWhiteSpace(x.Code)).GroupBy(x => x.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var targeted = new HashSet<(string, string)>();
        var targets = DistrictTargets ?? [];
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var indicator = t.Indicator is null ? null : byCode.GetValueOrDefault(t.Indicator);
            if (string.IsNullOrWhiteSpace(t.Indicator)) Fault($"/districtTargets/{i}/indicator", Faults.Required);
            else if (indicator is null) Fault($"/districtTargets/{i}/indicator", Faults.UnknownIndicator, t.Indicator);
            else if (indicator.Category != IndicatorCategory.Headline) Fault($"/districtTargets/{i}/indicator", Faults.NotHeadline, t.Indicator);
            if (string.IsNullOrWhiteSpace(t.District)) Fault($"/districtTargets/{i}/district", Faults.Required);
            else if (!districts.Contains(t.District)) Fault($"/districtTargets/{i}/district", Faults.UnknownDistrict, t.District);
            else if (indicator is not null && !targeted.Add((t.Indicator!, t.District))) Fault($"/districtTargets/{i}/district", Faults.DuplicateTarget, t.Indicator!, t.District);
            if (t.Target <= 0) Fault($"/districtTargets/{i}/target", Faults.TargetPositive);
            else if (indicator is not null && (t.Target < indicator.PlausibleMin || t.Target > indicator.PlausibleMax))
                Fault($"/districtTargets/{i}/target", Faults.TargetOutsideRange, Number(indicator.PlausibleMin, indicator.Decimals), Number(indicator.PlausibleMax, indicator.Decimals));
        }

        var groups = Unique("touringGroups", TouringGroups, g => g.Code);
        var observers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < TouringGroups.Count; i++)
        {
            Required($"/touringGroups/{i}/name", TouringGroups[i].Name);
            var names = TouringGroups[i].Observers ?? [];
            // An observer scores for one group: the same account in two groups (or twice in one) is a mistake.
            for (var j = 0; j < names.Count; j++)
                if (string.IsNullOrWhiteSpace(names[j])) Fault($"/touringGroups/{i}/observers/{j}", Faults.Required);
                else if (!observers.Add(names[j].Trim())) Fault($"/touringGroups/{i}/observers/{j}", Faults.DuplicateObserver, names[j]);
        }

        var days = new HashSet<DateOnly>();
        for (var i = 0; i < Days.Count; i++)
        {
            var d = Days[i];
            if (d.Date == default) Fault($"/days/{i}/date", Faults.Required);
            else if (datesKnown && (d.Date < StartDate || d.Date > EndDate)) Fault($"/days/{i}/date", Faults.DateOutside, Iso(d.Date), Iso(StartDate), Iso(EndDate));
            else if (!days.Add(d.Date)) Fault($"/days/{i}/date", Faults.DuplicateDay, Iso(d.Date));
            Required($"/days/{i}/title", d.Title);
        }

        var stops = new HashSet<(string, DateOnly, int)>();
        for (var i = 0; i < Sites.Count; i++)
        {
            var s = Sites[i];
            if (string.IsNullOrWhiteSpace(s.District)) Fault($"/sites/{i}/district", Faults.Required);
            else if (!districts.Contains(s.District)) Fault($"/sites/{i}/district", Faults.UnknownDistrict, s.District);
            if (string.IsNullOrWhiteSpace(s.Group)) Fault($"/sites/{i}/group", Faults.Required);
            else if (!groups.Contains(s.Group)) Fault($"/sites/{i}/group", Faults.UnknownGroup, s.Group);
            if (s.Day == default) Fault($"/sites/{i}/day", Faults.Required);
            else if (datesKnown && (s.Day < StartDate || s.Day > EndDate)) Fault($"/sites/{i}/day", Faults.DateOutside, Iso(s.Day), Iso(StartDate), Iso(EndDate));
            else if (!days.Contains(s.Day)) Fault($"/sites/{i}/day", Faults.NotADay, Iso(s.Day));
            if (s.Order < 1) Fault($"/sites/{i}/order", Faults.OrderFromOne);
            else if (s.Group is not null && !stops.Add((s.Group, s.Day, s.Order))) Fault($"/sites/{i}/order", Faults.DuplicateOrder, s.Order.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Required($"/sites/{i}/name", s.Name);
            if (s.PlannedInvestment < 0) Fault($"/sites/{i}/plannedInvestment", Faults.Negative);
            if (s.CompletedInvestment < 0) Fault($"/sites/{i}/completedInvestment", Faults.Negative);
        }

        foreach (var (district, values) in Figures)
        {
            if (!districts.Contains(district)) Fault($"/figures/{Escape(district)}", Faults.UnknownDistrict, district);
            foreach (var indicator in values.Keys.Where(k => !indicators.Contains(k)))
                Fault($"/figures/{Escape(district)}/{Escape(indicator)}", Faults.UnknownIndicator, indicator);
        }
        if (PreviousRanking is { } previous)
            for (var i = 0; i < previous.Order.Count; i++)
                if (!districts.Contains(previous.Order[i])) Fault($"/previousRanking/order/{i}", Faults.UnknownDistrict, previous.Order[i]);
        if (Scoring is { } scoring) faults.AddRange(ScoringFaults(scoring));
        return faults;
    }

    /// <summary>The faults of a scoring part, at their JSON Pointers (/scoring/…): what the file check and the editor's scoring form report.</summary>
    public static IReadOnlyList<CampaignFault> ScoringFaults(ScoringEntry scoring)
    {
        var faults = new List<CampaignFault>();
        void Fault(string where, string key, params string[] args) => faults.Add(new CampaignFault(where, key, args));
        static string Text(decimal d) => d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        void Weight(string where, decimal weight)
        {
            if (weight is < 0 or > 100) Fault(where, Faults.WeightRange);
        }

        if (scoring.Dimensions is not { } dimensions) Fault("/scoring/dimensions", Faults.Required);
        else
        {
            var seen = new HashSet<Dimension>();
            for (var i = 0; i < dimensions.Count; i++)
            {
                var d = dimensions[i];
                if (!seen.Add(d.Dimension)) Fault($"/scoring/dimensions/{i}/dimension", Faults.Duplicate, d.Dimension.ToString());
                if (d.MaxPoints is <= 0 or > 100) Fault($"/scoring/dimensions/{i}/maxPoints", Faults.MaxPoints);
                Weight($"/scoring/dimensions/{i}/weight", d.Weight);
            }
            // An observer's sheet has a mark for each of the four: a scheme without one could not total it.
            foreach (var missing in Enum.GetValues<Dimension>().Where(d => !seen.Contains(d)))
                Fault("/scoring/dimensions", Faults.MissingDimension, missing.ToString());
            if (dimensions.Count > 0 && dimensions.All(d => d.Weight <= 0)) Fault("/scoring/dimensions", Faults.NoPositiveWeight);
        }

        if (scoring.TrimmedMean is not { } trim) Fault("/scoring/trimmedMean", Faults.Required);
        else
        {
            if (trim.DropHighest < 0) Fault("/scoring/trimmedMean/dropHighest", Faults.Negative);
            if (trim.DropLowest < 0) Fault("/scoring/trimmedMean/dropLowest", Faults.Negative);
            if (trim.MinimumObservers is < 3 or > 50) Fault("/scoring/trimmedMean/minimumObservers", Faults.MinimumObservers);
            else if (!ScoringScheme.TrimLeavesScores(trim.MinimumObservers, trim.DropHighest, trim.DropLowest))
                Fault("/scoring/trimmedMean/minimumObservers", Faults.TrimTooMany,
                    trim.MinimumObservers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (trim.DropHighest + trim.DropLowest).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Weight("/scoring/inspectionWeight", scoring.InspectionWeight);
        Weight("/scoring/gradeWeight", scoring.GradeWeight);

        if (scoring.GradeScale is not { } scale) Fault("/scoring/gradeScale", Faults.Required);
        else
        {
            var seen = new HashSet<Grade>();
            for (var i = 0; i < scale.Count; i++)
            {
                if (!seen.Add(scale[i].Grade)) Fault($"/scoring/gradeScale/{i}/grade", Faults.Duplicate, scale[i].Grade.ToString());
                if (scale[i].Points < 0) Fault($"/scoring/gradeScale/{i}/points", Faults.Negative);
            }
            foreach (var missing in Enum.GetValues<Grade>().Where(g => !seen.Contains(g)))
                Fault("/scoring/gradeScale", Faults.MissingGrade, missing.ToString());
            // Listed best first: a better grade is worth more points, and is reached from a higher mean.
            for (var i = 1; i < scale.Count; i++)
            {
                if (scale[i].Grade >= scale[i - 1].Grade) Fault($"/scoring/gradeScale/{i}/grade", Faults.GradeOrder);
                else if (scale[i].Points >= scale[i - 1].Points) Fault($"/scoring/gradeScale/{i}/points", Faults.GradePoints, Text(scale[i - 1].Points));
            }
            var lowest = Enum.GetValues<Grade>().Min();
            for (var i = 0; i < scale.Count; i++)
            {
                var g = scale[i];
                if (g.Grade != lowest && g.From is null) Fault($"/scoring/gradeScale/{i}/from", Faults.Required);
                else if (g.From is { } from && i > 0 && scale[i - 1].From is { } above && from >= above)
                    Fault($"/scoring/gradeScale/{i}/from", Faults.GradeFrom, Text(above));
            }
        }
        return faults;
    }

    // With the indicator's decimals, not the scale the value was stored with (a database gives 100 back as 100.0).
    private static string Number(decimal? d, int decimals) =>
        d?.ToString("F" + Math.Clamp(decimals, 0, 6).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) ?? "—";

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>RFC 6901: '~' and '/' inside a key are escaped.</summary>
    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>System.Text.Json's path ($.sites[3].day) as a JSON Pointer (/sites/3/day).</summary>
    internal static string Pointer(string? path)
    {
        if (path is null or "$") return "";
        var pointer = new StringBuilder();
        foreach (Match m in PathPart().Matches(path))
            pointer.Append('/').Append(Escape(m.Groups["name"].Success ? m.Groups["name"].Value
                : m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["index"].Value));
        return pointer.ToString();
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();

    /// <summary>The campaign's entities, linked by code only; a store assigns ids. English names default to the Chinese ones.</summary>
    public Campaign ToCampaign() => new()
    {
        Code = Code, Name = Name, NameEn = Or(NameEn, Name), City = City, CityEn = Or(CityEn, City),
        StartDate = StartDate, EndDate = EndDate, TimeZone = TimeZone ?? Campaign.DefaultTimeZone,
        Districts = Districts.Select((d, i) => new District
        {
            Code = d.Code, Name = d.Name, NameEn = Or(d.NameEn, d.Name), ShortName = Blank(d.ShortName), ShortNameEn = Blank(d.ShortNameEn), SortOrder = i + 1,
        }).ToList(),
        Indicators = Indicators.Select((x, i) => new Indicator
        {
            Code = x.Code, Name = x.Name, NameEn = Or(x.NameEn, x.Name), Category = x.Category, Unit = x.Unit,
            Direction = x.Direction, Aggregation = x.Aggregation, Target = x.Target, Weight = x.Weight,
            Decimals = x.Decimals, PlausibleMin = x.PlausibleMin, PlausibleMax = x.PlausibleMax, SortOrder = i + 1,
            DistrictTargets = (DistrictTargets ?? []).Where(t => t.Indicator == x.Code).ToDictionary(t => t.District, t => t.Target, StringComparer.Ordinal),
        }).ToList(),
        TouringGroups = TouringGroups.Select(g => new TouringGroup { Code = g.Code, Name = g.Name, NameEn = Or(g.NameEn, g.Name) }).ToList(),
        Days = Days.Select(d => new CampaignDay { Date = d.Date, Title = d.Title, TitleEn = Or(d.TitleEn, d.Title) }).ToList(),
    };

    private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// A stored campaign written down again: lists in official order, sites by day, group and route order, figures as
    /// they stand. Reading the result back and writing it again gives the same file.
    /// </summary>
    /// <param name="observers">touring group code → the user names of its observer accounts.</param>
    public static CampaignFile From(Campaign campaign, IEnumerable<Site> sites, FigureTable? figures, PreviousRankingEntry? previous, ScoringEntry? scoring = null,
        IReadOnlyDictionary<string, List<string>>? observers = null)
    {
        var districts = campaign.Districts.OrderBy(d => d.SortOrder).ToList();
        var indicators = campaign.Indicators.OrderBy(i => i.SortOrder).ToList();
        var districtCodes = districts.ToDictionary(d => d.Id, d => d.Code);
        var groupCodes = campaign.TouringGroups.ToDictionary(g => g.Id, g => g.Code);
        var values = new Dictionary<string, Dictionary<string, decimal>>();
        if (figures is not null)
            foreach (var d in districts)
            {
                var row = new Dictionary<string, decimal>();
                foreach (var i in indicators)
                    if (figures.Get(d.Code, i.Code) is { } v) row[i.Code] = v;
                if (row.Count > 0) values[d.Code] = row;
            }
        return new CampaignFile
        {
            SchemaVersion = CurrentSchemaVersion, Code = campaign.Code, Name = campaign.Name, NameEn = campaign.NameEn,
            City = campaign.City, CityEn = campaign.CityEn, StartDate = campaign.StartDate, EndDate = campaign.EndDate, TimeZone = campaign.TimeZone,
            Districts = districts.Select(d => new DistrictEntry(d.Code, d.Name, d.NameEn, d.ShortName, d.ShortNameEn)).ToList(),
            Indicators = indicators.Select(x => new IndicatorEntry(x.Code, x.Name, x.NameEn, x.Category, x.Unit, x.Direction, x.Aggregation,
                x.Target, x.Weight, x.Decimals, x.PlausibleMin, x.PlausibleMax)).ToList(),
            DistrictTargets = TargetsOf(indicators, districts),
            TouringGroups = campaign.TouringGroups.OrderBy(g => g.Id).Select(g => new GroupEntry(g.Code, g.Name, g.NameEn, observers?.GetValueOrDefault(g.Code))).ToList(),
            Days = campaign.Days.OrderBy(d => d.Date).Select(d => new DayEntry(d.Date, d.Title, d.TitleEn)).ToList(),
            Sites = sites.OrderBy(s => s.Day).ThenBy(s => groupCodes[s.TouringGroupId], StringComparer.Ordinal).ThenBy(s => s.RouteOrder)
                .Select(s => new SiteEntry(districtCodes[s.DistrictId], groupCodes[s.TouringGroupId], s.Day, s.RouteOrder, s.Name, s.NameEn,
                    s.PlannedInvestment, s.CompletedInvestment, s.Status, s.Description, s.Address, s.PlannedArrival)).ToList(),
            Figures = values,
            PreviousRanking = previous,
            Scoring = scoring,
        };
    }

    /// <summary>The districts' own targets in official order (indicator, then district); null when none is set.</summary>
    public static List<DistrictTargetEntry>? TargetsOf(IEnumerable<Indicator> indicators, IReadOnlyList<District> districts)
    {
        var ordered = districts.OrderBy(d => d.SortOrder).ToList();
        var list = indicators.Where(i => i.Category == IndicatorCategory.Headline).OrderBy(i => i.SortOrder)
            .SelectMany(i => ordered.Where(d => i.DistrictTargets.ContainsKey(d.Code)).Select(d => new DistrictTargetEntry(i.Code, d.Code, i.DistrictTargets[d.Code])))
            .ToList();
        return list.Count == 0 ? null : list;
    }

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

    /// <summary>The resource keys of the faults <see cref="Validate"/> reports (SharedResource, zh-CN and en).</summary>
    public static class Faults
    {
        public const string Unreadable = "CampaignFile_Unreadable";
        public const string InvalidValue = "CampaignFile_InvalidValue";
        public const string Required = "CampaignFile_Required";
        public const string SchemaVersion = "CampaignFile_SchemaVersion";
        public const string BadCode = "CampaignFile_BadCode";
        public const string Duplicate = "CampaignFile_Duplicate";
        public const string EndBeforeStart = "CampaignFile_EndBeforeStart";
        public const string UnknownTimeZone = "CampaignFile_UnknownTimeZone";
        public const string NoDistricts = "CampaignFile_NoDistricts";
        public const string NoPositiveWeight = "CampaignFile_NoPositiveWeight";
        public const string Negative = "CampaignFile_Negative";
        public const string Decimals = "CampaignFile_Decimals";
        public const string RangeReversed = "CampaignFile_RangeReversed";
        public const string DateOutside = "CampaignFile_DateOutside";
        public const string DuplicateDay = "CampaignFile_DuplicateDay";
        public const string NotADay = "CampaignFile_NotADay";
        public const string UnknownDistrict = "CampaignFile_UnknownDistrict";
        public const string UnknownGroup = "CampaignFile_UnknownGroup";
        public const string UnknownIndicator = "CampaignFile_UnknownIndicator";
        public const string OrderFromOne = "CampaignFile_OrderFromOne";
        public const string DuplicateOrder = "CampaignFile_DuplicateOrder";
        public const string MissingSheet = "CampaignFile_MissingSheet";
        public const string NotADraft = "CampaignFile_NotADraft";
        public const string HasFigures = "CampaignFile_HasFigures";
        public const string NotActive = "CampaignFile_NotActive";
        public const string WeightRange = "CampaignFile_WeightRange";
        public const string DuplicateObserver = "CampaignFile_DuplicateObserver";
        public const string UnknownObserver = "CampaignFile_UnknownObserver";
        public const string ObserverOfAnotherGroup = "CampaignFile_ObserverOfAnotherGroup";
        public const string MaxPoints = "CampaignFile_MaxPoints";
        public const string MissingDimension = "CampaignFile_MissingDimension";
        public const string MinimumObservers = "CampaignFile_MinimumObservers";
        public const string TrimTooMany = "CampaignFile_TrimTooMany";
        public const string MissingGrade = "CampaignFile_MissingGrade";
        public const string GradeOrder = "CampaignFile_GradeOrder";
        public const string GradePoints = "CampaignFile_GradePoints";
        public const string GradeFrom = "CampaignFile_GradeFrom";
        public const string NotHeadline = "CampaignFile_NotHeadline";
        public const string DuplicateTarget = "CampaignFile_DuplicateTarget";
        public const string TargetPositive = "CampaignFile_TargetPositive";
        public const string TargetOutsideRange = "CampaignFile_TargetOutsideRange";
    }
}

/// <summary>One fault of a campaign file: where (a JSON Pointer, or sheet / row / field for a workbook), a resource key and its arguments.</summary>
public sealed record CampaignFault(string Where, string Key, params string[] Args)
{
    public bool Equals(CampaignFault? other) => other is not null && Where == other.Where && Key == other.Key && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Where, Key);

    public override string ToString() => $"{Where}: {Key}({string.Join(", ", Args)})";
}

/// <summary>A campaign file refused whole, with every fault found.</summary>
public sealed class CampaignFileException(IReadOnlyList<CampaignFault> faults)
    : FormatException("The campaign file is inconsistent: " + string.Join("; ", faults))
{
    public IReadOnlyList<CampaignFault> Faults { get; } = faults;
}
