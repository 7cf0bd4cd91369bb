using Bunit;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Reporting;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class ReportingStatusPageTests : RunningApp
{
    [Fact]
    public async Task Status_page_follows_reports_live_and_shows_the_countdown()
    {
        await using var ctx = new ReportPageHarness(Host, "leader", Roles.Leader);
        var cut = ctx.Render<ReportingStatusPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=status-page]").GetAttribute("data-live")));
        Assert.Equal("0/9 个旗县市区今日已填报", cut.Find("[data-testid=status-summary]").TextContent.Trim());
        Assert.Matches("^(距截止还有 \\d+:\\d\\d|已过截止时间)$", cut.Find("[data-testid=status-countdown]").TextContent.Trim());

        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(
            new ReportRequest("naiman", [new FigureEntry("started-projects", 33, null, "新开工")], "reporter-naiman", Channels.Api)));

        cut.WaitForAssertion(() => Assert.Equal("1/9 个旗县市区今日已填报", cut.Find("[data-testid=status-summary]").TextContent.Trim()));
        Assert.Equal("true", cut.Find("[data-testid=status-row][data-district=naiman]").GetAttribute("data-reported"));
    }
}
