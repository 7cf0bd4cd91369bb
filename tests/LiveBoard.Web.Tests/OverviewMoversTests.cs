using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Features.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The overview names the districts that moved most since the latest publication, not only the bulletin.</summary>
public sealed class OverviewMoversTests : DemoBunitContext
{
    [Fact]
    public async Task Overview_lists_the_biggest_movers_most_places_first_and_follows_a_report_that_moves_a_district()
    {
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));

        // Hure climbs from the bottom half to first: the biggest move of the board.
        await Services.GetRequiredService<FigureService>().ReportAsync(DemoReports.HureTakesTheLead());

        cut.WaitForAssertion(() =>
        {
            var movers = cut.FindAll("[data-testid=mover]");
            Assert.InRange(movers.Count, 1, 3);
            Assert.Equal("hure", movers[0].GetAttribute("data-district"));
            // Each mover's arrow matches its row in the ranking table, and the list runs from most places to fewest.
            var places = movers.Select(m =>
            {
                var row = cut.Find($"[data-testid=ranking-row][data-district={m.GetAttribute("data-district")}] [data-movement]");
                Assert.Equal(row.TextContent.Trim(), m.QuerySelector("[data-movement]")!.TextContent.Trim());
                return int.Parse(row.TextContent.Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
            }).ToList();
            Assert.Equal(places.OrderByDescending(p => p), places);
        }, TimeSpan.FromSeconds(10));
    }
}
