using System.Security.Claims;
using Bunit;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The itinerary page: an observer marks their own group's sites; other groups' routes have no buttons.</summary>
public sealed class ItineraryPageTests : DemoBunitContext
{
    [Fact]
    public async Task Observer_marks_arrival_then_visit_of_own_groups_site_and_the_progress_follows()
    {
        SignIn("observer-south-1", Roles.Observer, new Claim(LiveBoardClaims.TouringGroup, "south"));
        // No campaign clock setting and a real date outside the 2023 campaign: the page opens on its first day.
        var cut = Render<Itinerary>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));
        Assert.Equal(3, cut.FindAll("[data-group=south] [data-testid=route-site]").Count);
        Assert.Empty(cut.FindAll("[data-group=north] [data-testid=mark-visited]"));
        Assert.Empty(cut.FindAll("[data-testid=close-scoring]"));

        cut.Find("[data-group=south] [data-testid=route-site] [data-testid=mark-arrived]").Click();
        cut.WaitForAssertion(() => Assert.Equal("arrived", cut.Find("[data-group=south] [data-testid=route-site]").GetAttribute("data-state")));
        cut.Find("[data-group=south] [data-testid=route-site] [data-testid=mark-visited]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("visited", cut.Find("[data-group=south] [data-testid=route-site]").GetAttribute("data-state"));
            Assert.Equal("1", cut.Find("[data-group=south] [data-testid=group-progress]").GetAttribute("data-visited"));
        });

        await using var db = await Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        Assert.Equal([VisitKind.Arrived, VisitKind.Visited], await db.SiteVisits.OrderBy(v => v.Id).Select(v => v.Kind).ToListAsync());
        Assert.All(await db.SiteVisits.ToListAsync(), v => Assert.Equal("observer-south-1", v.By));
    }
}
