using System.Net;
using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class AuditPageTests : RunningApp
{
    [Fact]
    public async Task Organiser_narrows_the_audit_to_one_user_and_flagged_changes_stand_out()
    {
        using var hure = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
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
        // Events by name in the reader's language, the stored kind beside it for scripts.
        Assert.Contains(cut.FindAll("[data-testid=audit-event]"), e => e.GetAttribute("data-kind") == AuditKinds.TokenIssued && e.TextContent == "签发接口令牌");
        Assert.DoesNotContain(cut.FindAll("[data-testid=audit-event]"), e => e.TextContent.Contains(AuditKinds.TokenIssued));
        Assert.Contains("user=reporter-hure", cut.Find("[data-testid=audit-export]").GetAttribute("href"));
    }
}
