using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace LiveBoard.Web.Tests;

/// <summary>Irreversible acts ask first, in a MudDialog that says what will happen.</summary>
public sealed class ConfirmationDialogTests : DemoBunitContext
{
    [Fact]
    public async Task Rotating_a_key_says_how_many_open_screens_will_drop_and_cancel_keeps_the_key()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        await Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"), key: "old-key");
        var fleet = Service<ScreenFleet>();
        fleet.Beat("page-1", "hall", PanelIds.Ranking, 1920, 1080);
        fleet.Beat("page-2", "hall", PanelIds.Ticker, 1920, 1080);

        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ScreenFleetPage>();
        cut.Find("[data-testid=fleet-screen][data-screen=hall] [data-testid=fleet-rotate]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("2 个大屏页面会立即断开", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));

        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.NotNull(await Service<DisplayService>().AuthoriseAsync("hall", "old-key"));

        cut.Find("[data-testid=fleet-screen][data-screen=hall] [data-testid=fleet-rotate]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "更换密钥").Click());
        cut.WaitForAssertion(() => Assert.Contains("/display/hall?key=", cut.Find("[data-testid=fleet-new-url]").TextContent, StringComparison.Ordinal));
        Assert.Null(await Service<DisplayService>().AuthoriseAsync("hall", "old-key"));
    }

    [Fact]
    public async Task Publishing_from_the_meeting_names_the_version_and_day_and_that_it_cannot_be_changed()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Presenter>(p => p.Add(x => x.Day, "2023-07-29"));
        // The presenter's page opens the meeting and drives it.
        cut.WaitForElement("[data-testid=meeting-publish]", TimeSpan.FromSeconds(10)).Click();

        // The demo carries version 1 (the first-quarter bulletin): this is version 2, for 29 July.
        dialogs.WaitForAssertion(() =>
        {
            var text = dialogs.Find(".mud-dialog").TextContent;
            Assert.Contains("第 2 版", text, StringComparison.Ordinal);
            Assert.Contains("2023年7月29日", text, StringComparison.Ordinal);
            Assert.Contains("公布后不能修改", text, StringComparison.Ordinal);
        });
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.PublishedRankings.CountAsync());

        cut.Find("[data-testid=meeting-publish]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "确认公布").Click());
        cut.WaitForAssertion(() => Assert.Contains("第2版", cut.Find("[data-testid=meeting-published]").TextContent, StringComparison.Ordinal));
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            Assert.Equal(2, await db.PublishedRankings.CountAsync());
    }
}
