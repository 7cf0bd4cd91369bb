using System.Globalization;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>An existing observer account to be bound to a touring group, by the group's code.</summary>
public sealed record ObserverAssignment(string Group, string UserName);

/// <summary>
/// A campaign as the editor holds it while an organiser changes it: plain mutable rows the forms and grids bind to. It
/// comes from a <see cref="CampaignFile"/> and goes back to one, so the editor is checked by the same rules as an
/// imported file and saved through the same path.
/// </summary>
public sealed class CampaignDraft
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string City { get; set; } = "";
    public string CityEn { get; set; } = "";
    public DateTime? StartDate { get; set; }
    public DateTime? EndDate { get; set; }
    public string TimeZone { get; set; } = Campaign.DefaultTimeZone;
    public List<CampaignFile.DistrictEntry> Districts { get; } = [];
    public List<CampaignFile.IndicatorEntry> Indicators { get; } = [];
    /// <summary>Districts' own targets; a district without one is measured against its share of the city target.</summary>
    public List<CampaignFile.DistrictTargetEntry> DistrictTargets { get; } = [];
    public List<CampaignFile.GroupEntry> TouringGroups { get; } = [];
    public List<CampaignFile.DayEntry> Days { get; } = [];
    public List<CampaignFile.SiteEntry> Sites { get; } = [];
    /// <summary>The scoring part; a new draft starts on the defaults every campaign has until it says otherwise.</summary>
    public CampaignFile.ScoringEntry Scoring { get; set; } = Data.InspectionSettings.Defaults(0).ToScoring();
    private Dictionary<string, Dictionary<string, decimal>> _figures = [];
    private CampaignFile.PreviousRankingEntry? _previous;

    public static CampaignDraft From(CampaignFile file)
    {
        var draft = new CampaignDraft
        {
            Code = file.Code, Name = file.Name, NameEn = file.NameEn, City = file.City, CityEn = file.CityEn,
            StartDate = file.StartDate == default ? null : file.StartDate.ToDateTime(TimeOnly.MinValue),
            EndDate = file.EndDate == default ? null : file.EndDate.ToDateTime(TimeOnly.MinValue),
            TimeZone = file.TimeZone ?? Campaign.DefaultTimeZone,
            _figures = file.Figures, _previous = file.PreviousRanking,
        };
        if (file.Scoring is { } scoring) draft.Scoring = scoring;
        draft.Districts.AddRange(file.Districts);
        draft.Indicators.AddRange(file.Indicators);
        draft.DistrictTargets.AddRange(file.DistrictTargets ?? []);
        draft.TouringGroups.AddRange(file.TouringGroups);
        draft.Days.AddRange(file.Days);
        draft.Sites.AddRange(file.Sites);
        return draft;
    }

    /// <summary>A new campaign's draft, with the districts, indicators and touring groups of an earlier one if given.</summary>
    public static CampaignDraft New(CampaignFile? copyFrom)
    {
        var draft = new CampaignDraft();
        if (copyFrom is null) return draft;
        draft.City = copyFrom.City;
        draft.CityEn = copyFrom.CityEn;
        draft.TimeZone = copyFrom.TimeZone ?? Campaign.DefaultTimeZone;
        draft.Districts.AddRange(copyFrom.Districts);
        draft.Indicators.AddRange(copyFrom.Indicators);
        draft.DistrictTargets.AddRange(copyFrom.DistrictTargets ?? []);
        draft.TouringGroups.AddRange(copyFrom.TouringGroups);
        return draft;
    }

    /// <summary>Name, city, dates and time zone (what the header form edits) onto another draft.</summary>
    public void CopyHeaderTo(CampaignDraft other)
    {
        other.Code = Code;
        other.Name = Name;
        other.NameEn = NameEn;
        other.City = City;
        other.CityEn = CityEn;
        other.StartDate = StartDate;
        other.EndDate = EndDate;
        other.TimeZone = TimeZone;
    }

    public CampaignFile ToFile() => new()
    {
        SchemaVersion = CampaignFile.CurrentSchemaVersion, Code = Code.Trim(), Name = Name.Trim(), NameEn = NameEn.Trim(),
        City = City.Trim(), CityEn = CityEn.Trim(),
        StartDate = StartDate is { } s ? DateOnly.FromDateTime(s) : default, EndDate = EndDate is { } e ? DateOnly.FromDateTime(e) : default,
        TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone.Trim(),
        Districts = [.. Districts], Indicators = [.. Indicators],
        DistrictTargets = TargetsKept() is { Count: > 0 } targets ? targets : null, TouringGroups = [.. TouringGroups], Days = [.. Days], Sites = [.. Sites],
        Figures = _figures, PreviousRanking = _previous, Scoring = Scoring,
    };

    // A district or indicator removed in the editor takes its targets with it: the grid no longer shows them.
    private List<CampaignFile.DistrictTargetEntry> TargetsKept() => DistrictTargets
        .Where(t => Districts.Any(d => d.Code == t.District) && Indicators.Any(i => i.Code == t.Indicator && i.Category == IndicatorCategory.Headline))
        .ToList();

    /// <summary>The campaign's days from start to end, for the day pickers.</summary>
    public IEnumerable<DateOnly> Dates()
    {
        if (StartDate is not { } s || EndDate is not { } e) yield break;
        for (var d = DateOnly.FromDateTime(s); d <= DateOnly.FromDateTime(e); d = d.AddDays(1)) yield return d;
    }

    /// <summary>Moves a row one place up in its list (official order is list order).</summary>
    public static void MoveUp<T>(List<T> list, T item)
    {
        var i = list.IndexOf(item);
        if (i <= 0) return;
        (list[i - 1], list[i]) = (list[i], list[i - 1]);
    }

    /// <summary>A date as the editor shows it in both languages (2023-07-29): the order every organiser's file and sheet use.</summary>
    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
