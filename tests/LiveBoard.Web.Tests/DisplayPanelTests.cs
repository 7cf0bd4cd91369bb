using LiveBoard.Web.Features.Inspection;
using LiveBoard.Core.Inspection;
using Bunit;
using LiveBoard.Core.Ranking;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Display.Panels;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Standings;
using LiveBoard.Core.Campaigns;

namespace LiveBoard.Web.Tests;

/// <summary>Each wall-display panel renders from parameters alone and follows new parameters.</summary>
public sealed class DisplayPanelTests : DemoBunitContext
{
    private Task<StandingsSnapshot?> ModelAsync() => Service<LiveStandings>().CurrentAsync();

    private static List<Indicator> BusinessEnvironment(StandingsSnapshot model) =>
        model.Campaign.Indicators.Where(i => i.Category == IndicatorCategory.BusinessEnvironment).ToList();

    private async Task<StandingsSnapshot> AfterHureTakesTheLeadAsync()
    {
        Assert.IsType<ReportOutcome.Accepted>(await Service<FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
        return (await ModelAsync())!;
    }

    private static string[] Attr(IEnumerable<AngleSharp.Dom.IElement> rows, string name) =>
        rows.Select(r => r.GetAttribute(name)!).ToArray();

    [Fact]
    public async Task Ranking_board_lists_districts_in_rank_order_with_bars_relative_to_the_leader_and_follows_new_standings()
    {
        var model = (await ModelAsync())!;
        var cut = Render<RankingBoardPanel>(p => p
            .Add(x => x.Standings, model.City.Ranking.Composite)
            .Add(x => x.Districts, model.City.Campaign.Districts)
            .Add(x => x.ComparedWith, model.City.ComparedWith));

        var rows = cut.FindAll("[data-testid=board-row]");
        Assert.Equal(9, rows.Count);
        Assert.Equal(model.City.Ranking.Composite.Select(s => s.DistrictCode), Attr(rows, "data-district"));
        Assert.Contains("width:100%", rows[0].QuerySelector(".lb-rankrow-bar span")!.GetAttribute("style"));
        Assert.Contains("lb-tier-top", rows[0].ClassName);
        Assert.Contains("lb-tier-low", rows[^1].ClassName);

        var after = await AfterHureTakesTheLeadAsync();
        cut.Render(p => p.Add(x => x.Standings, after.City.Ranking.Composite));

        var first = cut.FindAll("[data-testid=board-row]")[0];
        Assert.Equal(("hure", "1"), (first.GetAttribute("data-district"), first.GetAttribute("data-rank")));
    }

    [Fact]
    public async Task Headline_numbers_show_city_totals_with_progress_and_change_when_totals_change()
    {
        var model = (await ModelAsync())!;
        var cut = Render<HeadlinePanel>(p => p.Add(x => x.Totals, model.City.Totals));
        Assert.Equal(5, cut.FindAll("[data-testid=headline]").Count);
        var signed = () => cut.Find("[data-testid=headline][data-indicator=signed-projects] [data-testid=ticker-number]");
        Assert.Equal("229 个", signed().GetAttribute("aria-label"));
        Assert.NotEmpty(cut.FindAll("[data-testid=headline-progress]"));

        var after = await AfterHureTakesTheLeadAsync();
        cut.Render(p => p.Add(x => x.Totals, after.City.Totals));
        Assert.Equal("304 个", signed().GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Indicator_leaders_show_the_top_and_bottom_three_per_indicator()
    {
        var model = (await ModelAsync())!;
        var cut = Render<LeadersPanel>(p => p
            .Add(x => x.Rankings, model.City.Ranking.ByIndicator)
            .Add(x => x.Districts, model.City.Campaign.Districts));
        var card = cut.Find("[data-testid=leaders][data-indicator=signed-projects]");
        Assert.Equal(3, card.QuerySelectorAll(".lb-leaders-top li").Length);
        Assert.Equal(3, card.QuerySelectorAll(".lb-leaders-bottom li").Length);
        var leader = model.City.Ranking.For("signed-projects").Standings[0].DistrictCode;
        Assert.Equal(leader, card.QuerySelector(".lb-leaders-top li")!.GetAttribute("data-district"));

        var after = await AfterHureTakesTheLeadAsync();
        cut.Render(p => p.Add(x => x.Rankings, after.City.Ranking.ByIndicator));
        Assert.Equal("hure", cut.Find("[data-testid=leaders][data-indicator=signed-projects] .lb-leaders-top li").GetAttribute("data-district"));
    }

    [Fact]
    public async Task Heatmap_shows_25_indicators_by_district_and_an_empty_state_until_grades_exist()
    {
        var model = (await ModelAsync())!;
        var cut = Render<HeatmapPanel>(p => p
            .Add(x => x.Districts, model.City.Campaign.Districts)
            .Add(x => x.Indicators, BusinessEnvironment(model)));
        Assert.Equal(25, BusinessEnvironment(model).Count);
        Assert.Equal(9 * 25, cut.FindAll("td.lb-grade").Count);
        Assert.NotNull(cut.Find("[data-testid=heatmap-empty]"));

        // An organiser grades Hure through the inspection feature; the wall reads it from there.
        var indicator = BusinessEnvironment(model)[0].Code;
        await Service<InspectionService>().SetGradeAsync("hure", indicator, "2023Q2", Grade.Good, null, "organiser", "web");
        await Service<InspectionService>().SetGradeAsync("naiman", indicator, "2023Q2", Grade.FairlyGood, null, "organiser", "web");
        var graded = (await ModelAsync())!;
        cut.Render(p => p.Add(x => x.Grades, graded.City.Grades));
        Assert.Empty(cut.FindAll("[data-testid=heatmap-empty]"));
        Assert.Equal("好", cut.Find($"td[data-district=hure][data-indicator={indicator}]").TextContent);
        var fair = cut.Find($"td[data-district=naiman][data-indicator={indicator}]");
        Assert.Equal(("较好", true), (fair.TextContent, fair.ClassList.Contains("lb-grade-fair")));
    }

    [Fact]
    public async Task Ticker_shows_the_newest_accepted_figure_first()
    {
        var model = (await ModelAsync())!;
        var cut = Render<TickerPanel>(p => p.Add(x => x.Items, model.Recent));
        Assert.Equal(StandingsLoader.RecentLength, cut.FindAll("[data-testid=ticker-row]").Count);

        var after = await AfterHureTakesTheLeadAsync();
        cut.Render(p => p.Add(x => x.Items, after.Recent));
        var first = cut.FindAll("[data-testid=ticker-row]")[0];
        // The report's last value is the newest revision.
        Assert.Equal(("hure", "funds-in-place"), (first.GetAttribute("data-district"), first.GetAttribute("data-indicator")));
        Assert.Equal("60.00 亿元", first.QuerySelector("[data-testid=ticker-value]")!.TextContent);
    }

    [Fact]
    public async Task Reporting_status_marks_districts_that_reported_today_and_seeded_values_do_not_count()
    {
        var model = (await ModelAsync())!;
        var cut = Render<ReportingStatusPanel>(p => p.Add(x => x.Status, model.Reporting.Districts));
        Assert.All(cut.FindAll("[data-testid=status]"), s => Assert.Equal("false", s.GetAttribute("data-reported")));

        var after = await AfterHureTakesTheLeadAsync();
        cut.Render(p => p.Add(x => x.Status, after.Reporting.Districts));
        Assert.Equal("true", cut.Find("[data-testid=status][data-district=hure]").GetAttribute("data-reported"));
        Assert.Equal("已填报 1/9", cut.Find("[data-testid=status-summary]").TextContent);

        var afternoon = new DateTimeOffset(2023, 7, 29, 15, 55, 0, TimeSpan.FromHours(8));
        cut.Render(p => p.Add(x => x.Deadline, new DateTimeOffset(2023, 7, 29, 18, 0, 0, TimeSpan.FromHours(8))).Add(x => x.Now, afternoon));
        Assert.Equal("截止 18:00 · 还剩 2 小时 5 分", cut.Find("[data-testid=status-deadline]").TextContent.Trim());
        cut.Render(p => p.Add(x => x.Now, afternoon.AddHours(3)));
        Assert.Equal("已过截止时间 18:00", cut.Find("[data-testid=status-deadline]").TextContent.Trim());
    }

    [Fact]
    public async Task Itinerary_shows_each_touring_groups_planned_route_for_the_day()
    {
        var model = (await ModelAsync())!;
        var cut = Render<ItineraryPanel>(p => p
            .Add(x => x.Day, model.ItineraryDay)
            .Add(x => x.Routes, model.Itinerary)
            .Add(x => x.Districts, model.City.Campaign.Districts));
        Assert.Equal(2, cut.FindAll("[data-testid=route]").Count);
        Assert.True(cut.FindAll(".lb-route-stop").Count > 0);
        Assert.Contains("2023年7月29日", cut.Markup);
    }
}
