using Bunit;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests.Campaigns;

/// <summary>The campaign editor's checks, rendered by bUnit over the real services and a SQLite file: faults at the field, nothing written.</summary>
public sealed class CampaignEditorTests : DemoBunitContext
{
    // The pages say when they are interactive (data-interactive), as a browser test waits for it.
    public CampaignEditorTests() => Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

    private static string Field(string id) => $"[data-testid={id}] input, input[data-testid={id}]";

    private async Task<int> DraftAsync(string json)
    {
        var created = await Service<CampaignImport>().CreateAsync(CampaignFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))),
            CampaignStatus.Draft, DemoAccounts.Organiser, Channels.Web);
        return Assert.IsType<CampaignImportOutcome.Created>(created).Id;
    }

    private IRenderedComponent<CampaignEditor> Open(int id)
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        Authorization.SetPolicies(Policies.Organiser);
        var cut = Render<CampaignEditor>(p => p.Add(e => e.Id, id));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=campaign-editor]").GetAttribute("data-ready")));
        return cut;
    }

    private async Task<List<string>> DistrictCodesAsync(int id)
    {
        await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        return await db.Districts.Where(d => d.CampaignId == id).OrderBy(d => d.SortOrder).Select(d => d.Code).ToListAsync();
    }

    [Fact]
    public async Task A_district_with_a_duplicate_or_malformed_code_or_no_name_is_refused_at_the_field()
    {
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        Assert.Equal(3, cut.FindAll("[data-testid=district-row]").Count);

        cut.Find(Field("district-code")).Change("hongshan");
        cut.Find(Field("district-name")).Change("红山区");
        cut.Find("[data-testid=district-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("代码“hongshan”重复", cut.Find("[data-testid=district-form]").TextContent));

        cut.Find(Field("district-code")).Change("Lin Xi");
        cut.Find("[data-testid=district-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("代码“Lin Xi”无效", cut.Find("[data-testid=district-form]").TextContent));

        cut.Find(Field("district-code")).Change("linxi");
        cut.Find(Field("district-name")).Change("");
        cut.Find("[data-testid=district-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("必填项缺失", cut.Find("[data-testid=district-form]").TextContent));
        Assert.Equal(3, cut.FindAll("[data-testid=district-row]").Count);

        cut.Find(Field("district-name")).Change("林西县");
        cut.Find("[data-testid=district-add]").Click();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=district-row]").Count));
        Assert.Equal(["hongshan", "yuanbaoshan", "songshan"], await DistrictCodesAsync(id));
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=campaign-saved]"));
        Assert.Equal(["hongshan", "yuanbaoshan", "songshan", "linxi"], await DistrictCodesAsync(id));
    }

    [Fact]
    public async Task A_district_target_outside_the_plausible_range_is_refused_at_the_cell_and_a_valid_one_is_saved()
    {
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        // Values read with each indicator's decimals and unit, not the scale the database gives back (60.0, 50.0).
        Assert.Equal(("60 个", "30.0 亿元", "50"), (cut.Find("[data-testid=indicator-target-value][data-code=signed]").TextContent,
            cut.Find("[data-testid=indicator-target-value][data-code=funds]").TextContent, cut.Find("[data-testid=indicator-weight-value][data-code=signed]").TextContent));
        const string Cell = "[data-testid=district-target][data-indicator=signed][data-district=hongshan]";
        // An empty cell shows the district's share: city target 60 over three districts.
        Assert.Equal("20", cut.Find(Cell + " input").GetAttribute("placeholder"));

        cut.Find(Cell + " input").Change("150");
        cut.WaitForAssertion(() => Assert.Contains("目标须在该指标的合理范围 0 – 100 内", cut.Find(Cell).TextContent));
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=campaign-saved]"));
        async Task<Dictionary<string, decimal>> TargetsAsync()
        {
            await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
            return (await db.Indicators.SingleAsync(i => i.CampaignId == id && i.Code == "signed")).DistrictTargets;
        }
        Assert.Empty(await TargetsAsync());

        cut.Find(Cell + " input").Change("30");
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(Cell).GetAttribute("data-own")));
        Assert.DoesNotContain("合理范围", cut.Find(Cell).TextContent);
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=campaign-saved]"));
        Assert.Equal(new Dictionary<string, decimal> { ["hongshan"] = 30 }, await TargetsAsync());
    }

    [Fact]
    public async Task An_end_before_the_start_is_refused_and_nothing_is_saved()
    {
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        cut.Find(Field("campaign-end")).Change("2024-05-01");
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("结束日期 2024-05-01 早于开始日期 2024-05-06", cut.Find("[data-testid=campaign-header-form]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=campaign-saved]"));
        await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        Assert.Equal(new DateOnly(2024, 5, 8), (await db.Campaigns.SingleAsync(c => c.Id == id)).EndDate);
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == CampaignAudit.Replaced));
    }

    [Fact]
    public async Task A_weight_below_zero_and_a_reversed_range_are_refused_at_the_field()
    {
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        cut.Find(Field("indicator-code")).Change("jobs");
        cut.Find(Field("indicator-name")).Change("新增就业");
        cut.Find(Field("indicator-weight")).Change("-3");
        cut.Find("[data-testid=indicator-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("不能为负数", cut.Find("[data-testid=indicator-form]").TextContent));
        Assert.Equal(2, cut.FindAll("[data-testid=indicator-row]").Count);
    }

    [Fact]
    public async Task The_scoring_part_is_checked_at_each_field_and_saved_only_when_whole()
    {
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        var form = () => cut.Find("[data-testid=scoring-form]");
        // A new campaign starts on the defaults: 25 points a dimension, one highest and one lowest dropped from 5 observers.
        Assert.Equal("25", cut.Find("input[data-testid=dimension-max][data-dimension=Results]").GetAttribute("value"));

        cut.Find("input[data-testid=dimension-max][data-dimension=Results]").Change("0");
        cut.WaitForAssertion(() => Assert.Contains("满分应大于 0、不超过 100", form().TextContent));
        cut.Find("input[data-testid=drop-lowest]").Change("4");
        cut.WaitForAssertion(() => Assert.Contains("5 人评分时去掉 5 个分数后不剩分数", form().TextContent));
        cut.Find("input[data-testid=grade-points][data-grade=FairlyGood]").Change("3");
        cut.WaitForAssertion(() => Assert.Contains("分值须低于上一等级的 3", form().TextContent));
        cut.Find("input[data-testid=grade-weight]").Change("120");
        cut.WaitForAssertion(() => Assert.Contains("权重应在 0 到 100 之间", form().TextContent));

        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("评分维度 第 4 行 · 满分：满分应大于 0、不超过 100", cut.Find("[data-testid=campaign-faults]").TextContent));
        Assert.Contains("去掉最高分和最低分 · 从几人评分起去掉：", cut.Find("[data-testid=campaign-faults]").TextContent);
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal((25m, 1, 0m), await db.InspectionSettings.Where(s => s.CampaignId == id)
                .Select(s => ValueTuple.Create(s.ResultsMax, s.DropLowest, s.GradeWeight)).SingleAsync());
            Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == CampaignAudit.Replaced));
        }

        cut.Find("input[data-testid=dimension-max][data-dimension=Results]").Change("40");
        cut.Find("input[data-testid=drop-lowest]").Change("2");
        cut.Find("input[data-testid=minimum-observers]").Change("7");
        cut.Find("input[data-testid=grade-points][data-grade=FairlyGood]").Change("2");
        cut.Find("input[data-testid=grade-weight]").Change("10");
        cut.WaitForAssertion(() => Assert.DoesNotContain("不超过", form().TextContent));
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=campaign-fault]").Select(f => f.TextContent)));
        cut.WaitForAssertion(() => cut.Find("[data-testid=campaign-saved]"));
        await using var after = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var settings = await after.InspectionSettings.SingleAsync(s => s.CampaignId == id);
        Assert.Equal((40m, 1, 2, 7, 10m), (settings.ResultsMax, settings.DropHighest, settings.DropLowest, settings.TrimThreshold, settings.GradeWeight));
        Assert.Equal(3, settings.Scheme().DropHighest + settings.Scheme().DropLowest);
    }

    [Fact]
    public async Task From_a_groups_row_the_organiser_creates_and_assigns_its_observer_accounts_audited_and_the_file_names_them()
    {
        await using (var scope = Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>()
                .CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(Roles.Observer));
        var admin = Service<LiveBoard.Web.Features.Admin.UserAdmin>();
        Assert.Empty(await admin.CreateAsync(new LiveBoard.Web.Features.Admin.NewUser("observer-south-9", "南线 9", Roles.Observer, null, "south", "Tongliao2023!x"), "setup"));
        var id = await DraftAsync(SmallCampaign.Json);
        var cut = Open(id);
        cut.Find("[data-testid=group-observers][data-code=east]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=observer-panel][data-code=east]"));

        // A password the account rules refuse: said at the form, no account made.
        cut.Find(Field("observer-username")).Change("observer-east-1");
        cut.Find(Field("observer-displayname")).Change("东线 1");
        cut.Find(Field("observer-password")).Change("short");
        cut.Find("[data-testid=observer-create]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Passwords must be at least", cut.Find("[data-testid=observer-panel]").TextContent));
        Assert.Equal("", cut.Find("[data-testid=group-observer-names][data-code=east]").TextContent.Trim());

        cut.Find(Field("observer-password")).Change("Chifeng2024!x");
        cut.Find("[data-testid=observer-create]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=observer-error]").Select(e => e.TextContent)));
        cut.WaitForAssertion(() => Assert.Equal("observer-east-1", cut.Find("[data-testid=group-observer-names][data-code=east]").TextContent.Trim()));
        // An observer of another group is moved to this one.
        var other = cut.FindComponents<MudBlazor.MudSelect<string>>().Single(c => Equals(c.Instance.UserAttributes.GetValueOrDefault("data-testid"), "observer-other"));
        await cut.InvokeAsync(() => other.Instance.ValueChanged.InvokeAsync("observer-south-9"));
        cut.Find("[data-testid=observer-assign]").Click();
        cut.WaitForAssertion(() => Assert.Equal("observer-east-1、observer-south-9", cut.Find("[data-testid=group-observer-names][data-code=east]").TextContent.Trim()));

        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(["observer-east-1", "observer-south-9"], await db.Users.Where(u => u.TouringGroupCode == "east").Select(u => u.UserName!).OrderBy(n => n).ToListAsync());
            var moved = await db.AuditEvents.SingleAsync(a => a.Kind == AuditKinds.ObserverGroupChanged);
            Assert.Equal(("observer-south-9", "group south -> east by organiser"), (moved.UserName, moved.Detail));
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == AuditKinds.UserCreated && a.UserName == "observer-east-1"));
        }
        // The campaign file names the group's observers (never a password), and the saved draft still reads the same.
        var file = await Service<CampaignImport>().ExportAsync(id);
        Assert.Equal(["observer-east-1", "observer-south-9"], file!.TouringGroups.Single().Observers);
        Assert.DoesNotContain("Chifeng2024", file.ToJson(), StringComparison.Ordinal);
        cut.Find("[data-testid=campaign-save]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=campaign-saved]"));
    }

    [Fact]
    public async Task An_incomplete_draft_is_not_made_current_and_says_what_is_missing()
    {
        // What "create draft" on the campaigns page stores: a header, nothing else yet.
        var created = await Service<CampaignImport>().CreateAsync(new CampaignFile
        {
            SchemaVersion = CampaignFile.CurrentSchemaVersion, Code = "empty-2024", Name = "空白拉练", City = "赤峰市",
            StartDate = new DateOnly(2024, 5, 6), EndDate = new DateOnly(2024, 5, 8),
        }, CampaignStatus.Draft, DemoAccounts.Organiser, Channels.Web, complete: false);
        var id = Assert.IsType<CampaignImportOutcome.Created>(created).Id;
        // The dialog draws in the layout's provider, as in the app.
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Open(id);
        cut.Find("[data-testid=make-current]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("空白拉练", dialogs.Find("[data-testid=confirm-text]").TextContent));
        dialogs.Find("[data-testid=confirm-current]").Click();
        cut.WaitForAssertion(() => Assert.Contains("旗县市区：至少需要一个旗县市区", cut.Find("[data-testid=campaign-faults]").TextContent));
        Assert.Contains("指标：至少一个主要指标的权重须大于 0", cut.Find("[data-testid=campaign-faults]").TextContent);
        await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        Assert.Equal(CampaignStatus.Draft, (await db.Campaigns.SingleAsync(c => c.Id == id)).Status);
        Assert.Equal("tongliao-2023h1", (await db.Campaigns.Current().FirstAsync()).Code);
    }

    [Fact]
    public async Task A_closed_campaign_is_read_only_and_its_archive_lists_what_was_published()
    {
        // The demo's first day is announced, then Hure reports its way to the top: the day's bulletin stays what was announced.
        var day1 = new DateOnly(2023, 7, 29);
        Assert.NotNull(await Service<LiveBoard.Web.Features.Meeting.PublicationService>().PublishAsync(day1, "第一天", DemoAccounts.Organiser, Channels.Api));
        Assert.IsType<LiveBoard.Web.Features.Reporting.ReportOutcome.Accepted>(await Service<LiveBoard.Web.Features.Reporting.FigureService>().ReportAsync(DemoReports.HureTakesTheLead()));
        var id = await DraftAsync(SmallCampaign.Json);
        Assert.Equal(ActivationOutcome.Activated, await Service<CampaignLifecycle>().ActivateAsync(id, DemoAccounts.Organiser, Channels.Web));
        int demo;
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            demo = await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();

        var cut = Open(demo);
        Assert.Equal("Closed", cut.Find("[data-testid=campaign-editor]").GetAttribute("data-status"));
        Assert.Equal("已结束", cut.Find("[data-testid=editor-status]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=campaign-save]"));
        Assert.Empty(cut.FindAll("[data-testid=district-form]"));
        Assert.Empty(cut.FindAll("[data-testid=row-remove]"));
        Assert.Equal(9, cut.FindAll("[data-testid=district-row]").Count);
        Assert.Contains("2023年一季度通报", cut.Find("[data-testid=archive-publications]").TextContent);
        // Its district targets are shown, not editable (the demo sets none: each cell is the district's share).
        Assert.Equal(9 * 5, cut.FindAll("[data-testid=district-target]").Count);
        Assert.Empty(cut.FindAll("[data-testid=district-target-input]"));
        // Many screens long on a phone: the parts list links to each part, and a long one (30 indicators) starts folded.
        Assert.Equal(cut.FindAll("[data-testid=editor-part]").Select(p => p.Id), cut.FindAll("[data-testid=editor-part-link]").Select(a => a.GetAttribute("href")!.Split('#')[1]));
        Assert.Contains($"/campaigns/{demo}#part-indicators", cut.FindAll("[data-testid=editor-part-link]").Select(a => a.GetAttribute("href")));
        Assert.True(cut.Find("#part-districts details").HasAttribute("open"));
        Assert.False(cut.Find("#part-indicators details").HasAttribute("open"));

        // Its rank history stays readable from the archive: the closed campaign's publications and districts, not the current one's.
        Assert.Equal($"/history?campaign={demo}", cut.Find("[data-testid=archive-history]").GetAttribute("href"));
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/history?campaign={demo}");
        var history = Render<LiveBoard.Web.Features.Meeting.History>();
        history.WaitForAssertion(() => Assert.Contains("已结束", history.Find("[data-testid=history-campaign]").TextContent));
        Assert.Contains("2023年一季度通报", history.Find("[data-testid=publication]").TextContent);
        // The day's publication opens its bulletin (the one before the campaign has no day, so no bulletin).
        var link = Assert.Single(history.FindAll("[data-testid=publication-bulletin]"));
        Assert.Equal($"/meeting/2023-07-29/bulletin?campaign={demo}", link.GetAttribute("href"));
        Assert.Empty(history.FindAll("button"));

        // The closed campaign's bulletin: its districts and the figures as announced, not the current campaign's, and
        // nothing on it writes (no presenter or publish control: printing and the workbook only).
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo(link.GetAttribute("href")!);
        var bulletin = Render<LiveBoard.Web.Features.Meeting.Bulletin>(p => p.Add(b => b.Day, "2023-07-29"));
        bulletin.WaitForAssertion(() => Assert.Equal(9, bulletin.FindAll("[data-testid=bulletin-ranking] tbody tr").Count));
        Assert.Equal(demo.ToString(System.Globalization.CultureInfo.InvariantCulture), bulletin.Find("[data-testid=bulletin]").GetAttribute("data-campaign"));
        Assert.Contains("2023年上半年项目建设竞进拉练观摩", bulletin.Markup);
        Assert.Contains("2023年7月29日排名（第2版）", bulletin.Find("[data-testid=bulletin-announced]").TextContent);
        Assert.DoesNotContain("红山区", bulletin.Markup);
        Assert.DoesNotContain("2024年上半年拉练", bulletin.Markup);
        List<(string District, int Rank, decimal? Score)> announced;
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
        {
            var publication = await db.PublishedRankings.Where(p => p.CampaignId == demo && p.Day == day1).Select(p => p.Id).SingleAsync();
            announced = (await db.PublishedRankingEntries.Where(e => e.PublishedRankingId == publication).ToListAsync())
                .OrderBy(e => e.Rank).Select(e => (e.DistrictCode, e.Rank, e.Score)).ToList();
        }
        var rows = bulletin.FindAll("[data-testid=bulletin-ranking] tbody tr");
        Assert.Equal(announced.Select(a => a.District), rows.Select(r => r.GetAttribute("data-district")));
        Assert.Equal(announced.Select(a => $"{a.Rank}|{a.Score!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}"),
            rows.Select(r => $"{r.Children[0].TextContent}|{r.Children[2].TextContent}"));
        // Hure's later reports moved the closed campaign's own standings to the top; the bulletin still says what was announced.
        Assert.Equal("hure", (await Service<LiveBoard.Web.Standings.StandingsLoader>().ComposeAsync(demo))!.Ranking.Composite[0].DistrictCode);
        Assert.NotEqual("hure", rows[0].GetAttribute("data-district"));
        Assert.Equal(["打印"], bulletin.FindAll("button").Select(b => b.TextContent.Trim()));
        Assert.Equal($"/meeting/2023-07-29/bulletin.xlsx?campaign={demo}", bulletin.Find("[data-testid=bulletin-xlsx]").GetAttribute("href"));
        // Its workbook says the same: the closed campaign's districts in the announced order.
        Dictionary<string, string> codeOf;
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            codeOf = await db.Districts.Where(d => d.CampaignId == demo).ToDictionaryAsync(d => d.Name, d => d.Code);
        using (var workbook = new MemoryStream((await Service<LiveBoard.Web.Features.Meeting.BulletinService>().WorkbookAsync(day1, demo))!))
            Assert.Equal(announced.Select(a => a.District), MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "综合排名")
                .Cast<IDictionary<string, object?>>().Select(r => codeOf[(string)r["旗县市区"]!]));
        // A day the closed campaign never announced has no bulletin in the archive (no draft computed now), though it had sites.
        Assert.Null(await Service<LiveBoard.Web.Features.Meeting.BulletinService>().GetAsync(new DateOnly(2023, 7, 30), demo));
        Assert.NotEmpty((await Service<LiveBoard.Web.Features.Meeting.MeetingService>().LoadArchivedAsync(demo, new DateOnly(2023, 7, 30)))!.Sites);
    }

    [Fact]
    public async Task A_broken_file_uploaded_on_the_campaigns_page_lists_every_fault_and_writes_nothing_a_good_workbook_becomes_a_draft()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        Authorization.SetPolicies(Policies.Organiser);
        var cut = Render<CampaignsPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=campaigns-page]").GetAttribute("data-ready")));

        var broken = SmallCampaign.With(f => { f["sites"]![0]!["district"] = "atlantis"; f["days"]![0]!["date"] = "2024-06-01"; });
        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromText(broken, "chifeng.json"));
        cut.WaitForAssertion(() => Assert.Contains("观摩点 第 1 行 · 旗县市区：没有代码为“atlantis”的旗县市区", cut.Find("[data-testid=campaigns-faults]").TextContent));
        Assert.Contains("日程 第 1 行 · 日期：日期 2024-06-01 不在拉练期间（2024-05-06 至 2024-05-08）", cut.Find("[data-testid=campaigns-faults]").TextContent);
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.Campaigns.CountAsync());

        var workbook = CampaignWorkbook.Write(CampaignFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallCampaign.Json))));
        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(workbook, "chifeng.xlsx"));
        var nav = Service<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/campaigns/[0-9]+$", nav.Uri));
        await using var after = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var created = await after.Campaigns.Include(c => c.Districts).SingleAsync(c => c.Code == "chifeng-2024h1");
        Assert.Equal((CampaignStatus.Draft, 3), (created.Status, created.Districts.Count));
        Assert.Equal(2, await after.Sites.CountAsync(s => s.CampaignId == created.Id));
    }

    [Fact]
    public async Task The_current_campaigns_weights_change_only_with_a_reason_and_make_a_new_version()
    {
        int demo;
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            demo = await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
        var cut = Open(demo);
        Assert.Contains("现行第 1 版", cut.Find("[data-testid=weights-version]").TextContent);
        cut.Find("input[data-testid=weight][data-code=started-projects]").Change("40");
        cut.Find("[data-testid=weights-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("必填项缺失", cut.Find("[data-testid=weights-form]").TextContent));
        await using (var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            Assert.Equal(0, await db.WeightsVersions.CountAsync());

        cut.Find(Field("weights-reason")).Change("突出开工");
        // The composite's grade component is a weight like the indicators': it changes in the same version.
        Assert.Equal("0", cut.Find("input[data-testid=weight-grades]").GetAttribute("value"));
        cut.Find("input[data-testid=weight-grades]").Change("10");
        cut.Find("[data-testid=weights-save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("现行第 2 版", cut.Find("[data-testid=weights-version]").TextContent));
        Assert.Contains("第 2 版 · organiser", cut.Find("[data-testid=weights-history]").TextContent);
        Assert.Contains("突出开工", cut.Find("[data-testid=weights-history]").TextContent);
        await using var after = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        Assert.Equal(40m, (await after.Indicators.SingleAsync(i => i.CampaignId == demo && i.Code == "started-projects")).Weight);
        Assert.Equal((20m, 10m), await after.InspectionSettings.Where(s => s.CampaignId == demo).Select(s => ValueTuple.Create(s.InspectionWeight, s.GradeWeight)).SingleAsync());
        var version = System.Text.Json.JsonDocument.Parse((await after.WeightsVersions.SingleAsync()).Weights).RootElement;
        Assert.Equal(10m, version.GetProperty("components").GetProperty("grades").GetDecimal());
        var audit = System.Text.Json.JsonDocument.Parse((await after.AuditEvents.SingleAsync(a => a.Kind == CampaignWeights.AuditKind)).Detail).RootElement;
        Assert.Equal((0m, 10m), (audit.GetProperty("components").GetProperty("old").GetProperty("grades").GetDecimal(),
            audit.GetProperty("components").GetProperty("new").GetProperty("grades").GetDecimal()));
        Assert.Equal("organiser", (await after.AuditEvents.SingleAsync(a => a.Kind == CampaignWeights.AuditKind)).UserName);
    }
}
