using AngleSharp.Dom;
using Bunit;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Reporting;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>The office lists people sort and search: reporting status, accounts, audit (MudDataGrid).</summary>
public sealed class SortAndFilterTests : RunningApp
{
    /// <summary>Clicks the sortable header titled <paramref name="title"/>, as a person clicks it.</summary>
    private static void SortBy<T>(IRenderedComponent<T> cut, string title) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll("th .sortable-column-header").First(h => h.TextContent.Trim() == title).Click();

    // MudTextField puts the test id on the input itself.
    private const string Search = "input[data-testid=users-search], [data-testid=users-search] input";

    private static string? Row(IElement marker, string attribute) => marker.GetAttribute(attribute);

    [Fact]
    public async Task Status_page_sorts_by_reporting_time_with_the_districts_not_yet_reported_after_the_others()
    {
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(
            new ReportRequest("naiman", [new FigureEntry("started-projects", 33, null, "新开工")], "reporter-naiman", Channels.Api)));
        await using var ctx = new ReportPageHarness(Host, "leader", Roles.Leader);
        var cut = ctx.Render<ReportingStatusPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=status-row][data-district=naiman]").GetAttribute("data-reported")));
        // The official order first.
        Assert.NotEqual("naiman", Row(cut.FindAll("[data-testid=status-row]")[0], "data-district"));

        SortBy(cut, "填报时间");
        cut.WaitForAssertion(() => Assert.Equal("naiman", Row(cut.FindAll("[data-testid=status-row]")[0], "data-district")));
        SortBy(cut, "填报时间");
        cut.WaitForAssertion(() => Assert.Equal("naiman", Row(cut.FindAll("[data-testid=status-row]")[^1], "data-district")));
        Assert.Equal(9, cut.FindAll("[data-testid=status-row]").Count);
    }

    [Fact]
    public async Task Users_page_finds_accounts_by_part_of_a_name_and_sorts_them_by_role()
    {
        await using var ctx = new ReportPageHarness(Host, "organiser", Roles.Organiser);
        var cut = ctx.Render<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=users-page]").GetAttribute("data-ready")));
        Assert.Equal(2 + 9 + 6, cut.FindAll("[data-testid=user-row]").Count);

        cut.Find(Search).Input("NAIMAN");
        cut.WaitForAssertion(() => Assert.Equal("reporter-naiman", Row(Assert.Single(cut.FindAll("[data-testid=user-row]")), "data-user")));
        // A person's name and a role are found too: the south touring group's observers, then every observer.
        cut.Find(Search).Input("南线");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=user-row]").Count));
        cut.Find(Search).Input("观摩员");
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid=user-row]").Count));

        cut.Find(Search).Input("");
        cut.WaitForAssertion(() => Assert.Equal(17, cut.FindAll("[data-testid=user-row]").Count));
        // By user name at first, so the leader's account comes first; by role it does not (领导 sorts after 观摩员 by pinyin,
        // after 填报员 by code point).
        Assert.Equal("leader", Row(cut.FindAll("[data-testid=user-row]")[0], "data-user"));
        SortBy(cut, "角色");
        cut.WaitForAssertion(() =>
        {
            Assert.NotEqual("leader", Row(cut.FindAll("[data-testid=user-row]")[0], "data-user"));
            // Each role's accounts sit together.
            var roles = cut.FindAll("[data-testid=user-row]").Select(m => m.Closest("tr")!.Children[2].TextContent.Trim()).ToList();
            var runs = roles.Where((r, i) => i == 0 || r != roles[i - 1]).ToList();
            Assert.Equal(runs.Distinct().Count(), runs.Count);
            Assert.Equal(4, runs.Count);
        });
    }

    [Fact]
    public async Task Audit_sorts_figure_changes_by_new_value()
    {
        await using var ctx = new ReportPageHarness(Host, "organiser", Roles.Organiser);
        var cut = ctx.Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-page]").GetAttribute("data-ready")));

        SortBy(cut, "新值");
        cut.WaitForAssertion(() =>
        {
            var values = cut.FindAll("[data-testid=audit-change]")
                .Select(m => decimal.Parse(m.Closest("tr")!.QuerySelector("[data-testid=audit-new]")!.GetAttribute("data-value")!, System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            Assert.True(values.Count > 40);
            Assert.Equal(values.Order(), values);
        });
    }
}
