using Bunit;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Campaigns;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Meeting;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// An account disabled while its page is open writes nothing more from that page, on every page family that writes
/// (reporting, import and users: DisabledWhileOpenTests). Each page asks for the account at the moment of the write.
/// </summary>
public sealed class DisabledWhileOpenPagesTests : DemoBunitContext
{
    public DisabledWhileOpenPagesTests() => Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private async Task AssertRefusedAsync<T>(IRenderedComponent<T> cut, string page) where T : IComponent
    {
        cut.WaitForAssertion(() => Assert.Contains("此账号已停用或已重新设置", cut.Find("[data-testid=write-refused]").TextContent));
        await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var refused = await db.AuditEvents.SingleAsync(a => a.Kind == AuditKinds.WriteRefused);
        Assert.Equal((DemoAccounts.Organiser, page, Address), (refused.UserName, refused.Detail, refused.RemoteAddress));
    }

    private Task<LiveBoardDbContext> DbAsync() => Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task Grades_an_organiser_disabled_while_the_page_is_open_saves_no_grade()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        Authorization.SetPolicies(Policies.Organiser, Policies.ReadAll);
        var cut = Render<Grades>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));

        await DisableAsync(DemoAccounts.Organiser);
        cut.Find("[data-testid=grade-district]").Change("naiman");
        cut.Find("[data-testid=grade-indicator]").Change("be-start-business");
        cut.Find("[data-testid=grade-value]").Change(nameof(Grade.FairlyGood));
        cut.Find("[data-testid=grade-save]").Click();

        await AssertRefusedAsync(cut, "/grades");
        await using var db = await DbAsync();
        Assert.Equal(0, await db.DistrictGrades.CountAsync());
    }

    [Fact]
    public async Task Itinerary_an_organiser_disabled_while_the_page_is_open_closes_no_scoring()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var cut = Render<Itinerary>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));

        await DisableAsync(DemoAccounts.Organiser);
        cut.Find("[data-testid=close-scoring]").Click();

        await AssertRefusedAsync(cut, "/itinerary");
        await using var db = await DbAsync();
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.ScoringClosed));
    }

    [Fact]
    public async Task Meeting_an_organiser_disabled_while_presenting_publishes_no_ranking()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Presenter>(p => p.Add(x => x.Day, "2023-07-29"));
        var publish = cut.WaitForElement("[data-testid=meeting-publish]", TimeSpan.FromSeconds(10));

        await DisableAsync(DemoAccounts.Organiser);
        publish.Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "确认公布").Click());

        await AssertRefusedAsync(cut, "/meeting");
        await using var db = await DbAsync();
        Assert.Equal(1, await db.PublishedRankings.CountAsync()); // the demo's own
    }

    [Fact]
    public async Task Meeting_an_organiser_disabled_while_presenting_moves_the_room_screens_no_further()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var cut = Render<Presenter>(p => p.Add(x => x.Day, "2023-07-29"));
        var next = cut.WaitForElement("[data-testid=meeting-next]", TimeSpan.FromSeconds(10));
        var meeting = Service<MeetingService>();
        var day = new DateOnly(2023, 7, 29);
        var before = meeting.Get(day);
        Assert.True(before.Active);

        await DisableAsync(DemoAccounts.Organiser);
        next.Click();

        await AssertRefusedAsync(cut, "/meeting");
        Assert.Equal(before.Index, meeting.Get(day).Index);
    }

    [Fact]
    public async Task Campaign_editor_an_organiser_disabled_while_editing_saves_nothing()
    {
        var created = await Service<CampaignImport>().CreateAsync(CampaignFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallCampaign.Json))),
            CampaignStatus.Draft, DemoAccounts.Organiser, Channels.Web);
        var draft = Assert.IsType<CampaignImportOutcome.Created>(created).Id;
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        Authorization.SetPolicies(Policies.Organiser);
        var cut = Render<CampaignEditor>(p => p.Add(e => e.Id, draft));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=campaign-editor]").GetAttribute("data-ready")));

        await DisableAsync(DemoAccounts.Organiser);
        cut.Find("[data-testid=campaign-save]").Click();

        await AssertRefusedAsync(cut, "/campaigns");
        await using var db = await DbAsync();
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == CampaignAudit.Replaced));
    }

    [Fact]
    public async Task Screens_an_organiser_disabled_while_the_fleet_page_is_open_switches_no_screen_to_the_meeting()
    {
        await Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"));
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        var cut = Render<ScreenFleetPage>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=fleet-screen][data-screen=hall] [data-testid=fleet-to-meeting]").HasAttribute("disabled")));

        await DisableAsync(DemoAccounts.Organiser);
        cut.Find("[data-testid=fleet-screen][data-screen=hall] [data-testid=fleet-to-meeting]").Click();

        await AssertRefusedAsync(cut, "/admin/screens");
        Assert.Null((await Service<DisplayService>().ListAsync()).Single(s => s.Slug == "hall").MeetingDay);
    }
}
