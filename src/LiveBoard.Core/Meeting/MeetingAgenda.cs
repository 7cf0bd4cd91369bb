namespace LiveBoard.Core.Meeting;

public enum AgendaItemKind
{
    Overview,
    District,
    Ranking,
    Gaps,
    /// <summary>The business-environment grades (营商环境评定), district × indicator.</summary>
    Grades,
}

/// <summary>One step of the evening review meeting. <see cref="DistrictCode"/> is set for district items only.</summary>
public sealed record AgendaItem(int Index, AgendaItemKind Kind, string? DistrictCode = null)
{
    /// <summary>A stable key for tests and screens, e.g. "overview", "district:horqin".</summary>
    public string Key => Kind == AgendaItemKind.District ? $"district:{DistrictCode}" : Kind.ToString().ToLowerInvariant();
}

/// <summary>A site on the day's route, as far as the agenda cares: which group, where on its route, which district.</summary>
public sealed record RouteStop(string Group, int Order, string DistrictCode);

/// <summary>
/// The meeting's agenda, in the city's own order (点评小结会议): the overview first, then the day's districts one by one in
/// the order the touring groups reached them, then the ranking, then the gaps, then the business-environment grades. A district the groups visited twice is
/// reviewed once, where it was first reached.
/// </summary>
public static class MeetingAgenda
{
    public static IReadOnlyList<AgendaItem> Build(IEnumerable<RouteStop> stops, IReadOnlyList<string> groupOrder)
    {
        var districts = stops
            .OrderBy(s => GroupIndex(groupOrder, s.Group)).ThenBy(s => s.Order)
            .Select(s => s.DistrictCode).Distinct().ToList();
        var items = new List<AgendaItem> { new(0, AgendaItemKind.Overview) };
        items.AddRange(districts.Select((d, i) => new AgendaItem(i + 1, AgendaItemKind.District, d)));
        items.Add(new AgendaItem(items.Count, AgendaItemKind.Ranking));
        items.Add(new AgendaItem(items.Count, AgendaItemKind.Gaps));
        items.Add(new AgendaItem(items.Count, AgendaItemKind.Grades));
        return items;
    }

    private static int GroupIndex(IReadOnlyList<string> order, string group)
    {
        var i = order.ToList().IndexOf(group);
        return i < 0 ? int.MaxValue : i;
    }
}
