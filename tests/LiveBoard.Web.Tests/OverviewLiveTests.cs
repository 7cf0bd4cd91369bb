using System.Globalization;
using Bunit;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The overview page follows the change feed: bUnit over the real services and a real SQLite file.</summary>
public sealed class OverviewLiveTests : DemoBunitContext
{
    private static string Text(IRenderedComponent<Overview> cut, string district, string indicator) =>
        cut.Find($"[data-testid=figure][data-district={district}][data-indicator={indicator}]").TextContent.Trim();

    [Fact]
    public async Task Overview_re_renders_when_a_figure_changes_on_another_thread()
    {
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));
        Assert.Equal("15 个", Text(cut, "hure", "signed-projects"));
        var hureRank = int.Parse(cut.Find("[data-testid=ranking-row][data-district=hure]").GetAttribute("data-rank")!, CultureInfo.InvariantCulture);
        Assert.NotEqual(1, hureRank);

        // A report arrives from elsewhere (another circuit, the API): not on the renderer's thread, and from
        // a writer whose language differs from the screen's.
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            return Services.GetRequiredService<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());
        });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("90 个", Text(cut, "hure", "signed-projects"));
            var first = cut.FindAll("[data-testid=ranking-row]")[0];
            Assert.Equal(("hure", "1"), (first.GetAttribute("data-district"), first.GetAttribute("data-rank")));
            Assert.Equal("304 个", cut.Find("[data-testid=city-total][data-indicator=signed-projects] [data-testid=city-total-value]").TextContent.Trim());
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disposed_overview_stops_listening_to_the_feed()
    {
        var feed = (InProcessChangeFeed)Services.GetRequiredService<IChangeFeed>();
        var standings = Services.GetRequiredService<LiveStandings>(); // follows the feed itself, once for all pages
        var before = feed.SubscriberCount;
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal(before + 1, feed.SubscriberCount));
        Assert.Equal(1, standings.FollowerCount);

        await DisposeComponentsAsync();

        Assert.Equal(before, feed.SubscriberCount);
        Assert.Equal(0, standings.FollowerCount);
        // A change after disposal reaches no component and throws nothing.
        var outcome = await Services.GetRequiredService<FigureService>().ReportAsync(
            new ReportRequest("hure", [new FigureEntry("signed-projects", 16, null, "test")], "tester", Channels.Api));
        Assert.IsType<ReportOutcome.Accepted>(outcome);
    }
}
