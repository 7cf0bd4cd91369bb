using Bunit;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Reporting;
using static LiveBoard.Web.Tests.Reporting.ReportPageActions;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>The reporter's page, rendered by bUnit over a running app and its SQLite file.</summary>
public sealed class ReportPageTests : RunningApp
{
    private ReportPageHarness Hure(string culture = "zh-CN") => new(Host, "reporter-hure", Roles.Reporter, "hure", culture);

    [Fact]
    public async Task Reporter_sees_own_district_only_and_submits_several_values_as_one_report()
    {
        await using var ctx = Hure();
        var cut = ctx.OpenReport("?district=naiman");
        Assert.Equal("库伦旗", cut.Find("[data-testid=report-district]").TextContent.Trim());
        Assert.Equal(5, cut.FindAll("[data-testid=entry]").Count);
        Assert.Equal("15 个", cut.Find($"{Entry("signed-projects")} [data-testid=entry-current]").TextContent.Trim());
        Assert.Contains("demo", cut.Find($"{Entry("signed-projects")} [data-testid=entry-last-change]").TextContent);

        cut.Type("signed-projects", "18", "核实补报3个");
        cut.Type("started-projects", "9", "新开工更新");
        cut.Submit();

        Assert.Contains("2", cut.Accepted());
        var a = await TestData.HistoryAsync(Host, "hure", "signed-projects");
        var b = await TestData.HistoryAsync(Host, "hure", "started-projects");
        Assert.Equal((18m, "reporter-hure", Channels.Web, "核实补报3个"), (a[^1].NewValue, a[^1].ChangedBy, a[^1].Channel, a[^1].Reason));
        Assert.Equal(a[^1].RequestId, b[^1].RequestId);
        Assert.Equal(a[^1].ChangedAt, b[^1].ChangedAt);
        // The page now shows the new value with its author.
        cut.WaitForAssertion(() => Assert.Equal("18 个", cut.Find($"{Entry("signed-projects")} [data-testid=entry-current]").TextContent.Trim()));
    }

    [Fact]
    public async Task Messages_appear_next_to_the_field_and_nothing_is_written()
    {
        var before = await TestData.WritesAsync(Host);
        await using var ctx = Hure();
        var cut = ctx.OpenReport();
        cut.Type("signed-projects", "abc");
        cut.Type("started-projects", "-2", "x");
        cut.Type("funds-in-place", "9");
        cut.Submit();
        cut.WaitForAssertion(() => Assert.Contains("请输入数字", cut.Find(Entry("signed-projects")).TextContent));
        Assert.Contains("不能为负数", cut.Find(Entry("started-projects")).TextContent);
        Assert.Contains("修改已填报的数值须填写原因", cut.Find(Entry("funds-in-place")).TextContent);
        Assert.Equal(before, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Messages_are_in_English_for_an_English_reader()
    {
        await using var ctx = Hure("en");
        var cut = ctx.OpenReport();
        cut.Type("started-projects", "1.5", "x");
        cut.Submit();
        cut.WaitForAssertion(() => Assert.Contains("Must be a whole number", cut.Find(Entry("started-projects")).TextContent));
    }

    [Fact]
    public async Task Implausible_value_needs_a_confirmation_and_is_flagged_for_organisers()
    {
        await using var ctx = Hure();
        var cut = ctx.OpenReport();
        var before = await TestData.WritesAsync(Host);
        cut.Type("signed-projects", "150", "大项目集中签约");
        cut.Submit();
        cut.WaitForAssertion(() => Assert.Contains("新签约千万元以上项目", cut.Find("[data-testid=implausible-warning]").TextContent));
        Assert.Equal(before, await TestData.WritesAsync(Host));

        cut.Find("[data-testid=confirm-implausible]").Click();
        cut.Accepted();
        var history = await TestData.HistoryAsync(Host, "hure", "signed-projects");
        Assert.Equal((150m, true), (history[^1].NewValue, history[^1].Implausible));
    }

    [Fact]
    public async Task Second_writer_from_the_same_version_sees_the_other_value_and_author_and_overwrites_nothing()
    {
        await using var ctx = Hure();
        var cut = ctx.OpenReport();
        // Meanwhile the organiser corrects the same figure from the same starting version.
        var start = await TestData.FigureAsync(Host, "hure", "funds-in-place");
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(
            new ReportRequest("hure", [new FigureEntry("funds-in-place", 8.1m, start.Version, "组织者核对")], "organiser", Channels.Web)));

        cut.Type("funds-in-place", "7.9", "到位资金更新");
        cut.Submit();
        cut.WaitForAssertion(() => Assert.Contains("organiser", cut.Find($"{Entry("funds-in-place")} [data-testid=entry-conflict]").TextContent));
        Assert.Contains("8.1", cut.Find($"{Entry("funds-in-place")} [data-testid=entry-conflict]").TextContent);
        Assert.Equal(8.1m, (await TestData.FigureAsync(Host, "hure", "funds-in-place")).Value);

        // Having seen it, submitting again is a deliberate correction; both values stay in the history.
        cut.Submit();
        cut.Accepted();
        var history = await TestData.HistoryAsync(Host, "hure", "funds-in-place");
        Assert.Equal([("organiser", 8.1m), ("reporter-hure", 7.9m)], history.TakeLast(2).Select(r => (r.ChangedBy, r.NewValue)));
    }

    [Fact]
    public async Task Organiser_picks_any_district()
    {
        await using var ctx = new ReportPageHarness(Host, "organiser", Roles.Organiser);
        var cut = ctx.OpenReport("?district=naiman");
        cut.Type("started-projects", "20", "核对");
        cut.Submit();
        cut.Accepted();
        Assert.Equal(20m, (await TestData.FigureAsync(Host, "naiman", "started-projects")).Value);
    }
}
