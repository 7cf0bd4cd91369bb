using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Campaigns;

/// <summary>Organisers create, export and activate campaigns over the API; a bad file changes nothing.</summary>
public sealed class CampaignApiTests : RunningAppTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<int> DemoIdAsync()
    {
        await using var db = await Db();
        return await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task Exported_json_imports_to_an_identical_campaign()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var first = await organiser.GetStringAsync($"api/v1/campaigns/{await DemoIdAsync()}/export");
        Assert.Contains("\"schemaVersion\": 1", first);
        Assert.Contains("科尔沁区", first);
        // Each touring group names its observer accounts.
        Assert.Contains("\"observers\": [\n        \"observer-north-1\",", first);
        // The demo runs on the default scoring; the copy has its own (codes are unique across campaigns: it has its own code too).
        Assert.Contains("\"minimumObservers\": 5", first);
        var node = System.Text.Json.Nodes.JsonNode.Parse(first)!.AsObject();
        node["code"] = "tongliao-copy";
        node["scoring"] = BrokenCampaignFiles.Scoring();
        // Districts with targets of their own (in official order: indicator, then district), the rest on their share.
        node["districtTargets"] = BrokenCampaignFiles.Targets([("signed-projects", "horqin", 40), ("signed-projects", "devzone", 12.5m), ("started-projects", "kailu", 9)]);
        var copy = CampaignFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()))).ToJson();
        Assert.Contains("\"minimumObservers\": 7", copy);
        Assert.Contains("\"district\": \"devzone\",\n      \"target\": 12.5", copy);

        var created = await organiser.PostAsync("api/v1/campaigns", Json(copy));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/campaigns/{id}", created.Headers.Location!.OriginalString);

        var second = await organiser.GetStringAsync($"api/v1/campaigns/{id}/export");
        Assert.Equal(copy, second);
        await using var db = await Db();
        // The scoring part is the copy's own settings: what its standings and its /score page use.
        var settings = await db.InspectionSettings.SingleAsync(s => s.CampaignId == id);
        Assert.Equal((30m, 2m, 2, 1, 7, 15m, 10m, 5m, 4m), (settings.StructureMax, settings.ResultsWeight, settings.DropHighest, settings.DropLowest,
            settings.TrimThreshold, settings.InspectionWeight, settings.GradeWeight, settings.GoodPoints, settings.GoodFrom));
        Assert.Equal(CampaignStatus.Draft, (await db.Campaigns.SingleAsync(c => c.Id == id)).Status);
        var signed = await db.Indicators.SingleAsync(i => i.CampaignId == id && i.Code == "signed-projects");
        Assert.Equal(new Dictionary<string, decimal> { ["horqin"] = 40, ["devzone"] = 12.5m }, signed.DistrictTargets);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == CampaignAudit.Created && a.UserName == DemoAccounts.Organiser));
    }

    [Fact]
    public async Task A_create_retried_with_its_idempotency_key_answers_the_first_campaign_and_creates_no_second()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        HttpRequestMessage Create(string key, string json) => new(HttpMethod.Post, "api/v1/campaigns")
        {
            Content = Json(json), Headers = { { "Idempotency-Key", key } },
        };

        var first = await organiser.SendAsync(Create("new-campaign-1", SmallCampaign.Json));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        // The answer was lost on the way: the script sends the same request again.
        var retry = await organiser.SendAsync(Create("new-campaign-1", SmallCampaign.Json));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(id, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        // The same key for another file is a mistake, not a retry; without a key the code is taken.
        var other = SmallCampaign.Json.Replace("\"name\": \"", "\"name\": \"另一个", StringComparison.Ordinal);
        Assert.NotEqual(SmallCampaign.Json, other);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await organiser.SendAsync(Create("new-campaign-1", other))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsync("api/v1/campaigns", Json(SmallCampaign.Json))).StatusCode);

        await using var db = await Db();
        var code = await db.Campaigns.Where(c => c.Id == id).Select(c => c.Code).SingleAsync();
        Assert.Equal(1, await db.Campaigns.CountAsync(c => c.Code == code));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == CampaignAudit.Created && a.UserName == DemoAccounts.Organiser));
    }

    [Fact]
    public async Task Every_broken_file_is_refused_in_chinese_with_its_fault_and_nothing_is_written()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        int campaigns, audit, sites;
        await using (var db = await Db())
            (campaigns, audit, sites) = (await db.Campaigns.CountAsync(), await db.AuditEvents.CountAsync(), await db.Sites.CountAsync());

        foreach (var broken in BrokenCampaignFiles.All)
        {
            var response = await organiser.PostAsync("api/v1/campaigns", Json(broken.Json));
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, broken.Name);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("拉练文件有误，未导入任何内容", problem.GetProperty("title").GetString());
            var messages = problem.GetProperty("errors").GetProperty(broken.Where.Length == 0 ? "/" : broken.Where);
            // The message is the Chinese text of the fault, never its resource key.
            Assert.All(messages.EnumerateArray(), m => Assert.DoesNotContain("CampaignFile_", m.GetString(), StringComparison.Ordinal));
            Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Any(c => c >= 0x4E00 && c <= 0x9FFF));
        }

        await using var after = await Db();
        Assert.Equal(campaigns, await after.Campaigns.CountAsync());
        Assert.Equal(audit, await after.AuditEvents.CountAsync());
        Assert.Equal(sites, await after.Sites.CountAsync());
    }

    [Fact]
    public async Task A_specific_fault_reads_as_an_organiser_would_understand_it()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var json = SmallCampaign.With(f => f["sites"]![0]!["district"] = "atlantis");
        var problem = await (await organiser.PostAsync("api/v1/campaigns", Json(json))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("没有代码为“atlantis”的旗县市区", problem.GetProperty("errors").GetProperty("/sites/0/district")[0].GetString());

        // A file names observer accounts; it does not make or move them: an unknown one, or one of another group, is refused.
        int campaigns;
        await using (var db = await Db()) campaigns = await db.Campaigns.CountAsync();
        var observers = SmallCampaign.With(f => f["touringGroups"]![0]!["observers"] = new System.Text.Json.Nodes.JsonArray("nobody-1", "observer-south-1"));
        var errors = (await (await organiser.PostAsync("api/v1/campaigns", Json(observers))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("没有用户名为“nobody-1”的观摩员账号", errors.GetProperty("/touringGroups/0/observers/0")[0].GetString());
        Assert.Equal("观摩员账号“observer-south-1”属于观摩组“south”", errors.GetProperty("/touringGroups/0/observers/1")[0].GetString());
        await using var after = await Db();
        Assert.Equal(campaigns, await after.Campaigns.CountAsync());
        Assert.Equal("south", (await after.Users.SingleAsync(u => u.UserName == "observer-south-1")).TouringGroupCode);
    }

    [Fact]
    public async Task Activating_a_draft_makes_it_current_closes_the_old_one_and_is_audited()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync("api/v1/campaigns", Json(SmallCampaign.Json))).StatusCode);
        var created = await organiser.PostAsync("api/v1/campaigns", Json(SmallCampaign.Json));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        // A draft is not current: readers still see the demo.
        Assert.Equal("tongliao-2023h1", (await organiser.GetFromJsonAsync<JsonElement>("api/v1/campaigns/current")).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync($"api/v1/campaigns/{id}/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"api/v1/campaigns/{id}/activate", null)).StatusCode);
        var current = await organiser.GetFromJsonAsync<JsonElement>("api/v1/campaigns/current");
        Assert.Equal("chifeng-2024h1", current.GetProperty("code").GetString());

        var demo = await DemoIdAsync();
        await using (var db = await Db())
        {
            Assert.Equal(CampaignStatus.Closed, (await db.Campaigns.SingleAsync(c => c.Id == demo)).Status);
            Assert.Equal(1, await db.Campaigns.CountAsync(c => c.Status == CampaignStatus.Active));
            var audit = await db.AuditEvents.SingleAsync(a => a.Kind == CampaignAudit.Activated);
            Assert.Equal(DemoAccounts.Organiser, audit.UserName);
            Assert.Contains("tongliao-2023h1", audit.Detail);
        }
        // The archive stays read-only: a closed campaign never becomes current again; an unknown one is 404.
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.PostAsync($"api/v1/campaigns/{demo}/activate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.PostAsync("api/v1/campaigns/9999/activate", null)).StatusCode);
        // Nor do its weights or targets change: refused with a clear message, nothing written.
        var weights = await organiser.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights",
            new { reason = "补录", indicators = new Dictionary<string, object> { ["started-projects"] = new { weight = 10, districtTargets = new Dictionary<string, decimal> { ["hure"] = 5 } } } });
        Assert.Equal(HttpStatusCode.BadRequest, weights.StatusCode);
        Assert.Equal("只有当前拉练的权重和目标按版本修改", (await weights.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("/")[0].GetString());
        await using (var db = await Db())
        {
            Assert.Equal(0, await db.WeightsVersions.CountAsync());
            Assert.Empty((await db.Indicators.SingleAsync(i => i.CampaignId == demo && i.Code == "started-projects")).DistrictTargets);
        }
    }

    [Fact]
    public async Task A_campaign_in_another_time_zone_made_current_shows_every_time_in_its_zone()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        // A city on UTC+6 (Xinjiang's local time), two hours behind Beijing.
        var urumqi = SmallCampaign.Json.Replace("\"timeZone\": \"Asia/Shanghai\"", "\"timeZone\": \"Asia/Urumqi\"", StringComparison.Ordinal);
        Assert.NotEqual(SmallCampaign.Json, urumqi);
        var id = (await (await organiser.PostAsync("api/v1/campaigns", Json(urumqi))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"api/v1/campaigns/{id}/activate", null)).StatusCode);

        DateTimeOffset activated;
        await using (var db = await Db())
            activated = (await db.AuditEvents.SingleAsync(a => a.Kind == CampaignAudit.Activated)).At;
        using var web = await SignedInClients.WebAsync(Host, Root, DemoAccounts.Organiser);
        var audit = WebUtility.HtmlDecode(await web.GetStringAsync("/audit"));
        string Local(int hours) => activated.ToOffset(TimeSpan.FromHours(hours)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(Local(6), audit);
        Assert.DoesNotContain(Local(8), audit);
    }
}

/// <summary>Weights and targets of a running campaign change by version, with who, when and why; publications record the version.</summary>
public sealed class CampaignWeightsTests : RunningAppTests
{
    [Fact]
    public async Task Changing_a_weight_makes_a_new_version_audited_and_the_next_publication_records_it()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        int demo;
        await using (var db = await Db()) demo = await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
        // Hure (库伦) is set a target of its own, below its even share of 130 / 9.
        var change = new
        {
            reason = "市委要求突出开工",
            indicators = new Dictionary<string, object> { ["started-projects"] = new { weight = 45, target = 130, districtTargets = new Dictionary<string, decimal> { ["hure"] = 8 } } },
        };

        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights", change)).StatusCode);
        var noReason = await organiser.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights", change with { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("必填项缺失", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("/reason")[0].GetString());
        var negative = await organiser.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights",
            change with { indicators = new Dictionary<string, object> { ["started-projects"] = new { weight = -1 } } });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        var unknownDistrict = await organiser.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights", change with
        {
            indicators = new Dictionary<string, object> { ["started-projects"] = new { weight = 45, districtTargets = new Dictionary<string, decimal> { ["atlantis"] = 8, ["hure"] = 0 } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknownDistrict.StatusCode);
        var errors = (await unknownDistrict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("没有代码为“atlantis”的旗县市区", errors.GetProperty("/indicators/started-projects/districtTargets/atlantis")[0].GetString());
        Assert.Equal("目标须大于 0", errors.GetProperty("/indicators/started-projects/districtTargets/hure/target")[0].GetString());
        await using (var db = await Db())
        {
            Assert.Equal(25m, (await db.Indicators.SingleAsync(i => i.CampaignId == demo && i.Code == "started-projects")).Weight);
            Assert.Equal(0, await db.WeightsVersions.CountAsync());
        }

        var standings = Host.Service<LiveBoard.Web.Standings.LiveStandings>();
        Assert.Equal(1, (await standings.CurrentAsync())!.City.Why("hure").WeightsVersion);
        var published = await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { day = Day1 });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        var changed = await organiser.PostAsJsonAsync($"api/v1/campaigns/{demo}/weights", change);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        // The "why" of every district now says it was computed with the new version, and weighs started projects at 45.
        var why = (await standings.CurrentAsync())!.City.Why("hure");
        Assert.Equal((2, 45m), (why.WeightsVersion, why.Components.Single(c => c.Component.Code == "started-projects").Component.Weight));
        // … and measures Hure's started projects against its own target, the others against their share of the city's.
        Assert.Equal(8m, why.Components.Single(c => c.Component.Code == "started-projects").Target);
        Assert.Equal(130m / 9, (await standings.CurrentAsync())!.City.Why("kailu").Components.Single(c => c.Component.Code == "started-projects").Target);
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { day = Day1 })).StatusCode);

        await using var after = await Db();
        var indicator = await after.Indicators.SingleAsync(i => i.CampaignId == demo && i.Code == "started-projects");
        Assert.Equal((45m, 130m, 8m), (indicator.Weight, indicator.Target, indicator.DistrictTargets["hure"]));
        var version = await after.WeightsVersions.SingleAsync();
        Assert.Equal((2, DemoAccounts.Organiser, "市委要求突出开工"), (version.Version, version.ChangedBy, version.Reason));
        var audit = await after.AuditEvents.SingleAsync(a => a.Kind == LiveBoard.Web.Features.Campaigns.CampaignWeights.AuditKind);
        var detail = JsonDocument.Parse(audit.Detail).RootElement;
        Assert.Equal("市委要求突出开工", detail.GetProperty("reason").GetString());
        Assert.Equal(25m, detail.GetProperty("old").GetProperty("started-projects").GetProperty("weight").GetDecimal());
        Assert.Equal(45m, detail.GetProperty("new").GetProperty("started-projects").GetProperty("weight").GetDecimal());
        Assert.Empty(detail.GetProperty("old").GetProperty("started-projects").GetProperty("districtTargets").EnumerateObject());
        Assert.Equal(8m, detail.GetProperty("new").GetProperty("started-projects").GetProperty("districtTargets").GetProperty("hure").GetDecimal());
        // The publication before the change was computed with version 1, the one after with version 2.
        var versions = await after.PublishedRankings.Where(p => p.CampaignId == demo && p.Day != null).OrderBy(p => p.Version).Select(p => p.WeightsVersion).ToListAsync();
        Assert.Equal([1, 2], versions);
    }

    [Fact]
    public async Task A_draft_has_no_weight_versions_it_is_edited_whole()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var created = await organiser.PostAsync("api/v1/campaigns", new StringContent(SmallCampaign.Json, Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var response = await organiser.PostAsJsonAsync($"api/v1/campaigns/{id}/weights",
            new { reason = "调整", indicators = new Dictionary<string, object> { ["signed"] = new { weight = 10 } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var db = await Db();
        Assert.Equal(0, await db.WeightsVersions.CountAsync());
    }
}

/// <summary>The whole campaign as an xlsx workbook: a sheet per part with Chinese headers, imported through the same checks.</summary>
public sealed class CampaignWorkbookTests : RunningAppTests
{
    private static ByteArrayContent Xlsx(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(LiveBoard.Web.Features.Campaigns.CampaignApi.XlsxType);
        return content;
    }

    private static Dictionary<string, List<Dictionary<string, object?>>> Sheets(byte[] xlsx)
    {
        var stream = new MemoryStream(xlsx);
        return MiniExcelLibs.MiniExcel.GetSheetNames(stream).ToDictionary(name => name, name =>
        {
            stream.Position = 0;
            return MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>()
                .Select(r => new Dictionary<string, object?>(r)).ToList();
        });
    }

    [Fact]
    public async Task Exported_workbook_imports_to_an_identical_campaign()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        int demo;
        await using (var db = await Db()) demo = await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
        var first = await organiser.GetByteArrayAsync($"api/v1/campaigns/{demo}/export.xlsx");
        var sheets = Sheets(first);
        Assert.Equal(["拉练", "旗县市区", "指标", "区县目标", "观摩组", "日程", "观摩点", "评分维度", "评定等级", "数据", "上次公布名次"], sheets.Keys);
        Assert.Equal(["指标", "旗县市区", "目标"], sheets["区县目标"][0].Keys);
        Assert.Equal(["维度", "满分", "权重"], sheets["评分维度"][0].Keys);
        Assert.Equal("observer-south-1, observer-south-2, observer-south-3", sheets["观摩组"].Single(g => (string?)g["代码"] == "south")["观摩员账号"]);
        Assert.Equal(["代码", "名称", "英文名称", "简称", "英文简称"], sheets["旗县市区"][0].Keys);
        Assert.Equal("科尔沁区", sheets["旗县市区"][0]["名称"]);
        Assert.Equal(24, sheets["观摩点"].Count);

        // Codes are unique across campaigns: the copy differs in its code only.
        var campaignRows = sheets["拉练"];
        campaignRows.Single(r => (string?)r["项目"] == "代码")["值"] = "tongliao-copy";
        // The copy scores its own way: what the organiser changes in the sheets is what the next export holds.
        campaignRows.Single(r => (string?)r["项目"] == "去掉最高分个数")["值"] = 2;
        campaignRows.Single(r => (string?)r["项目"] == "去掉最高最低分的最少评分人数")["值"] = 7;
        campaignRows.Single(r => (string?)r["项目"] == "营商环境评定权重")["值"] = 10;
        sheets["评分维度"][3]["满分"] = 40;
        sheets["评定等级"][0]["分值"] = 5;
        sheets["评定等级"][0]["起评均分"] = 4;
        // Two districts get targets of their own (the demo sets none: the sheet holds its headers only).
        sheets["区县目标"] =
        [
            new() { ["指标"] = "signed-projects", ["旗县市区"] = "kailu", ["目标"] = 35 },
            new() { ["指标"] = "fai-growth", ["旗县市区"] = "devzone", ["目标"] = 50 },
        ];
        using var changed = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(changed, sheets.ToDictionary(s => s.Key, s => (object)s.Value));
        var created = await organiser.PostAsync("api/v1/campaigns", Xlsx(changed.ToArray()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var second = Sheets(await organiser.GetByteArrayAsync($"api/v1/campaigns/{id}/export.xlsx"));
        Assert.Equal(JsonSerializer.Serialize(sheets), JsonSerializer.Serialize(second));
        // And the workbook holds the same campaign as the JSON file.
        var json = System.Text.Json.Nodes.JsonNode.Parse(await organiser.GetStringAsync($"api/v1/campaigns/{demo}/export"))!.AsObject();
        json["code"] = "tongliao-copy";
        var scoring = json["scoring"]!;
        scoring["trimmedMean"]!["dropHighest"] = 2;
        scoring["trimmedMean"]!["minimumObservers"] = 7;
        scoring["gradeWeight"] = 10.0m;
        scoring["dimensions"]![3]!["maxPoints"] = 40.0m;
        scoring["gradeScale"]![0]!["points"] = 5.0m;
        scoring["gradeScale"]![0]!["from"] = 4.0m;
        json["districtTargets"] = BrokenCampaignFiles.Targets([("signed-projects", "kailu", 35), ("fai-growth", "devzone", 50)]);
        Assert.Equal(CampaignFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString()))).ToJson(),
            await organiser.GetStringAsync($"api/v1/campaigns/{id}/export"));
    }

    [Fact]
    public async Task A_broken_workbook_is_refused_with_every_fault_by_sheet_row_and_column_and_nothing_is_written()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        int demo, campaigns;
        await using (var db = await Db())
        {
            demo = await db.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
            campaigns = await db.Campaigns.CountAsync();
        }
        var sheets = Sheets(await organiser.GetByteArrayAsync($"api/v1/campaigns/{demo}/export.xlsx"));
        sheets["拉练"].Single(r => (string?)r["项目"] == "代码")["值"] = "tongliao-broken";
        sheets["观摩点"][2]["旗县市区"] = "atlantis";
        sheets["指标"][1]["权重"] = "很多";
        sheets["日程"][0]["日期"] = "2023-09-01";
        sheets["评分维度"][1]["满分"] = 0;
        sheets["评定等级"][1]["分值"] = 9;
        sheets["区县目标"] = [new() { ["指标"] = "started-projects", ["旗县市区"] = "atlantis", ["目标"] = 500 }];
        sheets.Remove("观摩组");
        using var broken = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(broken, sheets.ToDictionary(s => s.Key, s => (object)s.Value));

        var response = await organiser.PostAsync("api/v1/campaigns", Xlsx(broken.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        // Cell faults and missing sheets come first; the file check runs once the workbook reads as a campaign.
        Assert.Equal("缺少工作表", errors.GetProperty("观摩组")[0].GetString());
        Assert.Equal("值无效或格式不对", errors.GetProperty("指标 / 第3行 / 权重")[0].GetString());

        sheets["指标"][1]["权重"] = 20;
        var withGroups = Sheets(await organiser.GetByteArrayAsync($"api/v1/campaigns/{demo}/export.xlsx"))["观摩组"];
        sheets["观摩组"] = withGroups;
        using var second = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(second, sheets.ToDictionary(s => s.Key, s => (object)s.Value));
        errors = (await (await organiser.PostAsync("api/v1/campaigns", Xlsx(second.ToArray()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("没有代码为“atlantis”的旗县市区", errors.GetProperty("观摩点 / 第4行 / 旗县市区")[0].GetString());
        Assert.StartsWith("日期 2023-09-01 不在拉练期间", errors.GetProperty("日程 / 第2行 / 日期")[0].GetString());
        Assert.Equal("满分应大于 0、不超过 100", errors.GetProperty("评分维度 / 第3行 / 满分")[0].GetString());
        Assert.Equal("分值须低于上一等级的 3", errors.GetProperty("评定等级 / 第3行 / 分值")[0].GetString());
        Assert.Equal("没有代码为“atlantis”的旗县市区", errors.GetProperty("区县目标 / 第2行 / 旗县市区")[0].GetString());
        Assert.Equal("目标须在该指标的合理范围 0 – 60 内", errors.GetProperty("区县目标 / 第2行 / 目标")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsync("api/v1/campaigns", Xlsx("not a workbook"u8.ToArray()))).StatusCode);

        await using var after = await Db();
        Assert.Equal(campaigns, await after.Campaigns.CountAsync());
    }
}
