using LiveBoard.Web.Data;
using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using MiniExcelLibs;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>What the day's bulletin (通报) says, computed once for the page and the workbook alike.</summary>
public sealed record BulletinReport(
    MeetingData Data,
    string? Announced,
    string? ComparedWith,
    IReadOnlyList<CompositeStanding> Ranking,
    IReadOnlyList<IndicatorRanking> ByIndicator,
    IReadOnlyList<CompositeStanding> BiggestMovers,
    IReadOnlyList<CompositeStanding> RedList,
    IReadOnlyList<CompositeStanding> Lagging)
{
    public string Name(string district) => Data.City.District(district).Name;
}

/// <summary>
/// The day's bulletin: the ranking with movement, the per-indicator tables, the biggest movers, the red list (top 3) and
/// the lagging list (bottom 3, 红了脸出了汗), and the observers' gaps per district. Always Chinese: it is the city's document.
/// </summary>
public sealed class BulletinService(MeetingService meeting, PublicationService publications)
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo(Cultures.Chinese);

    /// <param name="campaignId">an earlier campaign's (the archive: a closed campaign's bulletins stay readable); null: the current one's.</param>
    public async Task<BulletinReport?> GetAsync(DateOnly day, int? campaignId = null, CancellationToken ct = default)
    {
        // The bulletin reports what was announced: the day's publication with its movement against the version before it.
        // Before anything is published for the day it shows the live ranking against the latest publication. An
        // archived campaign's bulletin is only what was announced: its campaign's own publication of the day, never a
        // draft computed now (and never the current campaign's figures).
        var announced = await publications.AnnouncedAsync(day, campaignId, ct);
        if (campaignId is not null && announced is null) return null;
        var data = campaignId is { } archived ? await meeting.LoadArchivedAsync(archived, day, ct) : await meeting.LoadAsync(day, ct);
        if (data is null) return null;
        var ranking = announced?.Ranking ?? data.City.Ranking.Composite;
        var comparedWith = announced is { } a ? a.ComparedWith : data.City.ComparedWith?.LabelIn(CultureInfo.CurrentCulture);
        // The indicators' definitions (unit, decimals) come from the bulletin's campaign; their standings from the publication.
        var byIndicator = announced is null
            ? data.City.Ranking.ByIndicator
            : data.City.Ranking.ByIndicator.Where(r => announced.ByIndicator.ContainsKey(r.Indicator.Code))
                .Select(r => new IndicatorRanking(r.Indicator, announced.ByIndicator[r.Indicator.Code])).ToList();
        var movers = Movers.Biggest(ranking);
        var red = ranking.Take(3).ToList();
        var lagging = ranking.Skip(Math.Max(3, ranking.Count - 3)).ToList();
        return new BulletinReport(data, announced?.Summary.Label, comparedWith, ranking, byIndicator, movers, red, lagging);
    }

    public static string MovementText(Movement m) => m.Kind switch
    {
        MovementKind.Up => $"上升{m.Places}位",
        MovementKind.Down => $"下降{m.Places}位",
        MovementKind.Same => "持平",
        _ => "新上榜",
    };

    /// <summary>The workbook: one sheet per table of the bulletin, Chinese headers and formatting.</summary>
    public async Task<byte[]?> WorkbookAsync(DateOnly day, int? campaignId = null, CancellationToken ct = default)
    {
        if (await GetAsync(day, campaignId, ct) is not { } b) return null;
        var sheets = new Dictionary<string, object>
        {
            ["综合排名"] = b.Ranking.Select(c => Row(b, c)).ToList(),
        };
        foreach (var r in b.ByIndicator)
            sheets[SheetName(ComponentNames.Of(r.Indicator, Zh), sheets)] = r.Standings.Select(s => new Dictionary<string, object?>
            {
                ["名次"] = s.Rank,
                ["旗县市区"] = b.Name(s.DistrictCode),
                ["数值"] = FigureFormat.Value(s.Value, r.Indicator, Zh),
                ["得分"] = Math.Round(s.Score, 1),
            }).ToList();
        sheets["变化最大"] = b.BiggestMovers.Select(c => Row(b, c)).ToList();
        sheets["红榜（前三名）"] = b.RedList.Select(c => Row(b, c)).ToList();
        sheets["后进（后三名）"] = b.Lagging.Select(c => Row(b, c)).ToList();
        sheets["找差距"] = b.Data.Sites.SelectMany(s => s.Gaps.DefaultIfEmpty("").Select(g => new Dictionary<string, object?>
        {
            ["旗县市区"] = b.Name(s.Site.District),
            ["观摩点"] = s.Site.Name,
            ["观摩评分"] = s.Score is { } v ? FigureFormat.Number(v, 2, Zh) : "—",
            ["差距"] = g,
        })).ToList();
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(sheets, cancellationToken: ct);
        return buffer.ToArray();
    }

    private static Dictionary<string, object?> Row(BulletinReport b, CompositeStanding c) => new()
    {
        ["名次"] = c.Rank,
        ["旗县市区"] = b.Name(c.DistrictCode),
        ["综合得分"] = Math.Round(c.Score, 1),
        ["较上次公布"] = MovementText(c.Movement),
    };

    // Excel sheet names: at most 31 characters, unique, none of : \ / ? * [ ].
    private static string SheetName(string name, Dictionary<string, object> taken)
    {
        var clean = new string(name.Where(ch => ":\\/?*[]".IndexOf(ch) < 0).ToArray());
        clean = clean.Length > 28 ? clean[..28] : clean;
        var candidate = clean;
        for (var n = 2; taken.ContainsKey(candidate); n++) candidate = $"{clean}{n}";
        return candidate;
    }
}
