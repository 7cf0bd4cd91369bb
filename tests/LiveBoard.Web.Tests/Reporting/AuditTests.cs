using System.Globalization;
using LiveBoard.Web.Data;
using System.Net;
using System.Net.Http.Json;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Reporting;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Col = LiveBoard.Web.Tests.Reporting.TemplateHeaders;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class AuditTests : RunningApp
{
    private sealed record Expected(string District, string Indicator, decimal Value, string Author, string Channel, string Reason);

    [Fact]
    public async Task History_rows_reproduce_every_figure_after_a_mix_of_web_api_and_import_writes()
    {
        var expected = new List<Expected>();
        using var naimanApi = await SignedInClients.ApiAsync(Host, Root, "reporter-naiman");
        using var organiserApi = await SignedInClients.ApiAsync(Host, Root, "organiser");

        // Web: the reporter's page.
        await using (var web = new ReportPageHarness(Host, "reporter-hure", Roles.Reporter, "hure"))
        {
            var page = web.OpenReport();
            page.Type("signed-projects", "18", "补报3个");
            page.Type("funds-in-place", "7.6", "到位资金更新");
            page.Submit();
            page.Accepted();
            expected.Add(new("hure", "signed-projects", 18, "reporter-hure", Channels.Web, "补报3个"));
            expected.Add(new("hure", "funds-in-place", 7.6m, "reporter-hure", Channels.Web, "到位资金更新"));
        }

        // API: a report, its retry (no write), a stale write (409, no write), a correction.
        Assert.Equal(HttpStatusCode.Created, (await naimanApi.SendAsync(Report("n1", "naiman", "started-projects", 14, "新开工"))).StatusCode);
        expected.Add(new("naiman", "started-projects", 14, "reporter-naiman", Channels.Api, "新开工"));
        Assert.Equal(HttpStatusCode.Created, (await naimanApi.SendAsync(Report("n1", "naiman", "started-projects", 14, "新开工"))).StatusCode);
        var version = (await TestData.FigureAsync(Host, "naiman", "started-projects")).Version;
        Assert.Equal(HttpStatusCode.Conflict, (await organiserApi.SendAsync(Report("o1", "naiman", "started-projects", 15, "旧版本", version - 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await organiserApi.SendAsync(Report("o2", "naiman", "started-projects", 15, "核对更正", version))).StatusCode);
        expected.Add(new("naiman", "started-projects", 15, "organiser", Channels.Api, "核对更正"));

        // Import: two districts in one file, one of them touching a figure the web already changed.
        var template = await TemplateAsync("organiser", null);
        var hureSigned = template.Single(r => (string?)r[Col.District] == "hure" && (string?)r[Col.Indicator] == "signed-projects");
        hureSigned[Col.Value] = 19;
        hureSigned[Col.Reason] = "再核实1个";
        var jarudGrowth = template.Single(r => (string?)r[Col.District] == "jarud" && (string?)r[Col.Indicator] == "fai-growth");
        jarudGrowth[Col.Value] = 41.5;
        jarudGrowth[Col.Reason] = "统计局反馈";
        Assert.IsType<ImportResult.Imported>(await Host.Service<FigureImport>().ImportAsync(Workbook(template), Principals.Organiser()));
        expected.Add(new("hure", "signed-projects", 19, "organiser", Channels.Import, "再核实1个"));
        expected.Add(new("jarud", "fai-growth", 41.5m, "organiser", Channels.Import, "统计局反馈"));

        // The history, read back from the file: exactly the accepted changes, in order, chained figure by figure.
        await using var db = await TestData.DbAsync(Host);
        var districts = await db.Districts.ToDictionaryAsync(d => d.Id, d => d.Code);
        var indicators = await db.Indicators.ToDictionaryAsync(i => i.Id, i => i.Code);
        var revisions = await db.FigureRevisions.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        var written = revisions.Where(r => r.Channel != Channels.Seed)
            .Select(r => new Expected(districts[r.DistrictId], indicators[r.IndicatorId], r.NewValue, r.ChangedBy, r.Channel, r.Reason)).ToList();
        Assert.Equal(expected, written);
        Assert.All(revisions.Where(r => r.Channel != Channels.Seed), r => Assert.False(string.IsNullOrEmpty(r.RequestId)));

        foreach (var figure in await db.Figures.AsNoTracking().ToListAsync())
        {
            var story = revisions.Where(r => r.FigureId == figure.Id).ToList();
            decimal? value = null;
            for (var v = 0; v < story.Count; v++)
            {
                Assert.Equal(v + 1, story[v].Version);
                Assert.Equal(value, story[v].OldValue);
                value = story[v].NewValue;
            }
            Assert.Equal((figure.Value, figure.Version, figure.UpdatedBy, figure.UpdatedAt), (value!.Value, story.Count, story[^1].ChangedBy, story[^1].ChangedAt));
        }
    }

    [Fact]
    public async Task History_and_audit_rows_cannot_be_changed_or_deleted()
    {
        await using var db = await TestData.DbAsync(Host);
        var revision = await db.FigureRevisions.FirstAsync();
        revision.Reason = "rewritten";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        await Host.Service<AuditLog>().AppendAsync(AuditKinds.Logout, "x", Channels.Web);
        db.AuditEvents.Remove(await db.AuditEvents.FirstAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Organiser_filters_the_audit_and_exports_it_as_xlsx()
    {
        using var hure = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        Assert.Equal(HttpStatusCode.Created, (await hure.SendAsync(Report("h1", "hure", "signed-projects", 17, "补报"))).StatusCode);
        using var naiman = await SignedInClients.ApiAsync(Host, Root, "reporter-naiman");
        Assert.Equal(HttpStatusCode.Created, (await naiman.SendAsync(Report("n1", "naiman", "signed-projects", 30, "补报"))).StatusCode);

        var query = Host.Service<AuditQuery>();
        var today = Host.Service<CampaignClock>().Today;
        var rows = await query.FigureChangesAsync(new AuditFilter(District: "hure", Indicator: "signed-projects", User: "reporter", From: today, To: today));
        var row = Assert.Single(rows);
        Assert.Equal((15m, 17m, "reporter-hure", Channels.Api), (row.OldValue, row.NewValue, row.ChangedBy, row.Channel));
        Assert.Empty(await query.FigureChangesAsync(new AuditFilter(District: "hure", From: today.AddDays(1))));
        Assert.Contains(await query.EventsAsync(new AuditFilter(User: "reporter-naiman")), e => e.Kind == AuditKinds.TokenIssued);

        using var web = await SignedInClients.WebAsync(Host, Root, "organiser");
        var page = WebUtility.HtmlDecode(await web.GetStringAsync("/audit"));
        Assert.Contains("审计记录", page);
        var export = await web.GetAsync("/audit/export?district=hure&user=reporter");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var xlsx = new MemoryStream(await export.Content.ReadAsByteArrayAsync());
        var sheets = MiniExcel.GetSheetNames(xlsx);
        Assert.Equal(["figures", "events"], sheets);
        var exported = xlsx.Query(useHeaderRow: true, sheetName: "figures", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        var line = Assert.Single(exported);
        Assert.Equal("reporter-hure", line["用户"]);
        Assert.Equal(17d, Convert.ToDouble(line["新值"], CultureInfo.InvariantCulture));
    }
}
