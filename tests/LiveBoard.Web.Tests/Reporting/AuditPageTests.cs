using System.Net;
using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class AuditPageTests : RunningApp
{
    [Fact]
    public async Task Organiser_narrows_the_audit_to_one_user_and_flagged_changes_stand_out_with_where_each_change_came_from()
    {
        // The reporter's script runs on a machine of its own (its connections leave from 127.0.0.8).
        using var hure = await SignedInClients.ApiAsync(Host, Root, "reporter-hure", local: "127.0.0.8");
        Assert.Equal(HttpStatusCode.Created, (await hure.SendAsync(Report("a1", "hure", "signed-projects", 150, "大项目集中签约"))).StatusCode);
        using var naiman = await SignedInClients.ApiAsync(Host, Root, "reporter-naiman");
        Assert.Equal(HttpStatusCode.Created, (await naiman.SendAsync(Report("a2", "naiman", "signed-projects", 31, "补报"))).StatusCode);

        await using var ctx = new ReportPageHarness(Host, "organiser", Roles.Organiser);
        var cut = ctx.Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-page]").GetAttribute("data-ready")));
        // Seeded starting values and both reports.
        Assert.True(cut.FindAll("[data-testid=audit-change]").Count > 40);

        cut.Find("input[data-testid=filter-user], [data-testid=filter-user] input").Change("reporter-hure");
        cut.Find("[data-testid=audit-apply]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=audit-change]")));
        var row = cut.Find("[data-testid=audit-change]");
        Assert.Equal(("hure", "signed-projects"), (row.GetAttribute("data-district"), row.GetAttribute("data-indicator")));
        // 150 is above the indicator's plausible maximum (120): flagged for organisers. (The grid draws the row; the marker is in a cell.)
        Assert.Contains("lb-flagged", row.Closest("tr")!.ClassName);
        // Where the change came from, as stored on the revision.
        Assert.Equal("127.0.0.8", cut.Find("[data-testid=audit-change-address]").TextContent);
        // Events by name in the reader's language, the stored kind beside it for scripts.
        Assert.Contains(cut.FindAll("[data-testid=audit-event]"), e => e.GetAttribute("data-kind") == AuditKinds.TokenIssued && e.TextContent == "签发接口令牌");
        Assert.DoesNotContain(cut.FindAll("[data-testid=audit-event]"), e => e.TextContent.Contains(AuditKinds.TokenIssued));
        Assert.Contains("user=reporter-hure", cut.Find("[data-testid=audit-export]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_change_from_an_open_page_and_an_organisers_account_change_record_the_pages_client_address()
    {
        await using (var web = new ReportPageHarness(Host, "reporter-hure", Roles.Reporter, "hure"))
        {
            var page = web.OpenReport();
            page.Type("signed-projects", "18", "补报3个");
            page.Submit();
            page.Accepted();
        }
        await using (var admin = new ReportPageHarness(Host, "organiser", Roles.Organiser))
        {
            var users = admin.Render<UsersPage>();
            users.WaitForAssertion(() => Assert.Equal("true", users.Find("[data-testid=users-page]").GetAttribute("data-ready")));
            users.Find("[data-testid=user-row][data-user=reporter-zuohou]").Closest("tr")!.QuerySelector("[data-testid=toggle-user]")!.Click();
            users.WaitForAssertion(() => Assert.Contains("启用", users.Find("[data-testid=user-row][data-user=reporter-zuohou]").Closest("tr")!.TextContent));
        }

        await using var db = await Host.DbAsync();
        var revision = await db.FigureRevisions.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(("reporter-hure", ReportPageHarness.Address), (revision.ChangedBy, revision.ClientAddress));
        var disabled = await db.AuditEvents.SingleAsync(e => e.Kind == AuditKinds.UserDisabled);
        Assert.Equal(("reporter-zuohou", ReportPageHarness.Address), (disabled.UserName, disabled.RemoteAddress));
    }
}
