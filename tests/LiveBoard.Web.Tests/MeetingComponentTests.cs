using System.Security.Claims;
using Bunit;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Features.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The meeting's components and the overview's "changed since published" marker, over the real services and SQLite.</summary>
public sealed class MeetingComponentTests : DemoBunitContext
{
    private static readonly DateOnly Day1 = new(2023, 7, 29);

    [Fact]
    public async Task Overview_marks_a_district_changed_after_publication_and_the_next_publication_clears_it()
    {
        var publications = Services.GetRequiredService<PublicationService>();
        await publications.PublishAsync(Day1, null, DemoAccounts.Organiser, Channels.Api);
        var cut = Render<Overview>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));
        Assert.Empty(cut.FindAll("[data-testid=changed-since-published]"));
        Assert.Empty(cut.FindAll("[data-testid=changed-banner]"));

        // A correction that moves no rank still marks the district: its figures differ from what was announced.
        await Task.Run(() => Services.GetRequiredService<FigureService>().ReportAsync(new ReportRequest("naiman",
            [new FigureEntry("funds-in-place", 12.2m, null, "核实")], DemoAccounts.Organiser, Channels.Api)));
        cut.WaitForAssertion(() =>
        {
            var marked = Assert.Single(cut.FindAll("[data-testid=changed-since-published]"));
            Assert.NotNull(marked.Closest("[data-testid=ranking-row][data-district=naiman]"));
            Assert.Single(cut.FindAll("[data-testid=changed-banner]"));
        }, TimeSpan.FromSeconds(10));

        await Task.Run(() => publications.PublishAsync(Day1, "更正后重新公布", DemoAccounts.Organiser, Channels.Api));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=changed-since-published]")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task District_item_shows_figures_against_targets_site_scores_with_gaps_rank_movement_and_grades()
    {
        var data = (await Services.GetRequiredService<MeetingService>().LoadAsync(Day1))!;
        var item = data.Agenda.First(i => i.Kind == AgendaItemKind.District);
        var cut = Render<MeetingItemView>(p => p.Add(x => x.Item, item).Add(x => x.Data, data));
        Assert.Equal(item.Key, cut.Find("[data-testid=meeting-item]").GetAttribute("data-item"));
        Assert.Equal(5, cut.FindAll("[data-testid=meeting-figure]").Count);
        Assert.Contains("亿元", cut.Find("[data-testid=meeting-figure][data-indicator=signed-investment]").TextContent);
        Assert.Equal(data.SitesOf(item.DistrictCode!).Count(), cut.FindAll("[data-testid=meeting-site]").Count);
        var standing = data.City.Ranking.Composite.First(c => c.DistrictCode == item.DistrictCode);
        Assert.Contains($"第 {standing.Rank} 名", cut.Find("[data-testid=meeting-rank]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=meeting-rank] [data-movement]"));
    }

    [Fact]
    public async Task Observers_gap_notes_show_under_their_site_and_in_the_gaps_item()
    {
        var meeting = Services.GetRequiredService<MeetingService>();
        var site = (await meeting.LoadAsync(Day1))!.Sites.First(s => s.Site.Group == "south");
        var observer = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, "observer-south-1"), new Claim(ClaimTypes.Role, Roles.Observer),
            new Claim(LiveBoardClaims.TouringGroup, "south"),
        ], "test"));
        Assert.IsType<ScoreOutcome.Accepted>(await Services.GetRequiredService<InspectionService>().RecordScoreAsync(
            new ScoreSheet(site.Site.Id, 20, 20, 20, 20, Gaps: "配套道路未完工"), observer, Channels.Web));

        var data = (await meeting.LoadAsync(Day1))!;
        var district = data.Agenda.Single(i => i.DistrictCode == site.Site.District);
        var item = Render<MeetingItemView>(p => p.Add(x => x.Item, district).Add(x => x.Data, data));
        Assert.Equal("配套道路未完工", item.Find("[data-testid=meeting-gap]").TextContent);
        Assert.Contains("80.00", item.Find("[data-testid=meeting-site]").TextContent);

        var gaps = Render<MeetingItemView>(p => p.Add(x => x.Item, data.Agenda.Single(i => i.Kind == AgendaItemKind.Gaps)).Add(x => x.Data, data));
        Assert.Contains("配套道路未完工", gaps.Find($"[data-testid=meeting-gaps-district][data-district={site.Site.District}]").TextContent);
    }

    [Fact]
    public async Task One_presenter_drives_a_second_follows_until_it_takes_over_and_a_closed_presenter_page_frees_the_meeting()
    {
        var meeting = Services.GetRequiredService<MeetingService>();
        var first = await meeting.OpenAsync(1, Day1, "organiser", "tab-1");
        Assert.Equal(("tab-1", 0), (first.PresenterSession, first.Index));
        Assert.Equal(2, (await meeting.GoAsync(1, Day1, "tab-1", 2, 5)).Index);

        // The second page does not drive: opening and moving change nothing.
        Assert.Equal("tab-1", (await meeting.OpenAsync(1, Day1, "organiser", "phone")).PresenterSession);
        Assert.Equal(2, (await meeting.GoAsync(1, Day1, "phone", 4, 5)).Index);
        Assert.Equal("phone", (await meeting.TakeOverAsync(1, Day1, "organiser", "phone")).PresenterSession);
        Assert.Equal(2, (await meeting.GoAsync(1, Day1, "tab-1", 0, 5)).Index);

        // The driving page is reloaded: its old session releases the meeting, the new page drives on at the same item.
        await meeting.ReleaseAsync(1, Day1, "phone");
        var reopened = await meeting.OpenAsync(1, Day1, "organiser", "phone-reloaded");
        Assert.Equal(("phone-reloaded", 2, true), (reopened.PresenterSession, reopened.Index, reopened.Active));
        Assert.False((await meeting.EndAsync(1, Day1, "phone-reloaded")).Active);
    }
}
