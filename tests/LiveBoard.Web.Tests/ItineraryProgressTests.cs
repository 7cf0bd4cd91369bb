using System.Globalization;
using Bunit;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Display.Panels;
using LiveBoard.Web.Standings;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The wall's itinerary panel shows each group's progress through the day: visited, here now, next, arrival times, kilometres.</summary>
public sealed class ItineraryProgressTests : BunitContext
{
    private static readonly DateOnly Day = new(2023, 7, 29);
    private static readonly TouringGroup South = new() { Code = "south", Name = "南线拉练观摩组", NameEn = "South line" };

    public ItineraryProgressTests()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
    }

    private static SiteRow Site(int order, VisitKind? visit = null, int hour = 0, int minute = 0, decimal? km = null) =>
        new(order, $"项目{order}", $"Site {order}", "horqin", "south", Day, order, SiteStatus.Started, visit,
            visit is null ? null : new DateTimeOffset(2023, 7, 29, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime(), "observer", km, false, 0, 1);

    [Fact]
    public void Visited_stops_show_their_time_the_group_is_marked_where_it_is_the_next_stop_is_named_and_kilometres_add_up()
    {
        var route = new TouringRoute(South, [Site(1, VisitKind.Visited, 9, 10, 40), Site(2, VisitKind.Arrived, 10, 30, 25.4m), Site(3), Site(4)]);
        var cut = Render<ItineraryPanel>(p => p.Add(x => x.Day, Day).Add(x => x.Routes, [route])
            .Add(x => x.Districts, [new District { Code = "horqin", Name = "科尔沁区", NameEn = "Horqin District", ShortName = "科区" }]));

        var stops = cut.FindAll("[data-testid=route-stop]");
        Assert.Equal(["visited", "current", "next", "later"], stops.Select(s => s.GetAttribute("data-progress")));
        Assert.Equal(["09:10 已观摩", "10:30 到达", "下一站", ""], stops.Select(s => s.QuerySelector("[data-testid=route-state]")!.TextContent.Trim()));
        Assert.Equal("已观摩 1/4 · 已行驶 65 公里", cut.Find("[data-testid=route-summary]").TextContent.Trim());
        Assert.Equal("科区", stops[0].QuerySelector(".lb-route-district")!.TextContent);
    }

    [Fact]
    public void Before_the_first_stop_the_first_is_next_and_after_the_last_there_is_no_next()
    {
        Assert.Equal([StopProgress.Next, StopProgress.Later], Progress(new TouringRoute(South, [Site(1), Site(2)])));
        Assert.Equal([StopProgress.Visited, StopProgress.Visited], Progress(new TouringRoute(South, [Site(1, VisitKind.Visited, 9), Site(2, VisitKind.Visited, 11)])));
        // A stop skipped on the way stays "later"; the next is after the last stop reached.
        Assert.Equal([StopProgress.Later, StopProgress.Visited, StopProgress.Next], Progress(new TouringRoute(South, [Site(1), Site(2, VisitKind.Visited, 9), Site(3)])));
    }

    private static List<StopProgress> Progress(TouringRoute route) => route.Sites.Select(route.ProgressOf).ToList();
}
