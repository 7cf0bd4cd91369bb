using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveBoard.Web.Tests;

/// <summary>Organisers manage the itinerary through the API: single sites and the xlsx workbook (all or nothing).</summary>
public sealed class SiteAdminApiTests : RunningAppTests
{
    [Fact]
    public async Task Exported_workbook_changed_and_imported_updates_one_site_adds_one_and_is_audited()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var bytes = await organiser.GetByteArrayAsync("api/v1/sites/export");
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal(SiteAdmin.Columns, rows[0].Keys);

        var changed = rows.Select(r => new Dictionary<string, object?>(r)).ToList();
        changed[0]["name"] = "龙马年产30万吨精密铸件项目（二期）";
        changed.Add(new Dictionary<string, object?>(changed[0]) { ["order"] = 9, ["name"] = "新增观摩点", ["nameEn"] = "New site", ["status"] = "Signed" });
        var response = await organiser.PostAsync("api/v1/sites/import", Xlsx(changed));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetInt32());

        await using var db = await Db();
        Assert.Equal(25, await db.Sites.CountAsync());
        Assert.Equal(1, await db.Sites.CountAsync(s => s.Name == "龙马年产30万吨精密铸件项目（二期）"));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SiteAdded));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SiteChanged));

        // The same workbook again changes nothing.
        var again = await organiser.PostAsync("api/v1/sites/import", Xlsx(changed));
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task A_workbook_with_a_bad_row_is_refused_row_by_row_and_nothing_changes()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var rows = new MemoryStream(await organiser.GetByteArrayAsync("api/v1/sites/export")).Query(useHeaderRow: true)
            .Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r)).ToList();
        rows[0]["name"] = "改名";
        rows[1]["district"] = "atlantis";
        rows[2]["day"] = "2024-01-01";
        rows[3]["status"] = "Dreaming";
        var response = await organiser.PostAsync("api/v1/sites/import", Xlsx(rows));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("row 3 / district", out _));
        Assert.True(errors.TryGetProperty("row 4 / day", out _));
        Assert.True(errors.TryGetProperty("row 5 / status", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsync("api/v1/sites/import", new ByteArrayContent("not a workbook"u8.ToArray()))).StatusCode);

        await using var db = await Db();
        Assert.Equal(0, await db.Sites.CountAsync(s => s.Name == "改名"));
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SiteChanged));
    }

    [Fact]
    public async Task Organisers_add_edit_and_remove_single_sites_others_cannot_and_scored_sites_stay()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        var site = new Dictionary<string, object> { ["district"] = "hure", ["group"] = "south", ["day"] = "2023-08-01", ["order"] = 7, ["name"] = "库伦旗新项目",
            ["plannedInvestment"] = 3.5, ["completedInvestment"] = 0, ["status"] = "Signed" };
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("api/v1/sites", site)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.GetAsync("api/v1/sites/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync("api/v1/sites", site)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsJsonAsync("api/v1/sites", new Dictionary<string, object>(site) { ["order"] = 1 })).StatusCode);

        var added = (await organiser.GetFromJsonAsync<JsonElement[]>("api/v1/sites?day=2023-08-01&group=south"))!.Single(s => s.GetProperty("order").GetInt32() == 7);
        var id = added.GetProperty("id").GetInt32();
        Assert.Equal(1, added.GetProperty("version").GetInt32());
        site["status"] = "Started";
        site["expectedVersion"] = 1;
        Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsJsonAsync($"api/v1/sites/{id}", site)).StatusCode);
        // A second edit made on the version the first one changed is refused, says why, and overwrites nothing.
        var stale = await organiser.PutAsJsonAsync($"api/v1/sites/{id}", new Dictionary<string, object>(site) { ["name"] = "改名", ["status"] = "Signed" });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("该观摩点已被他人修改，未保存本次修改；请重新读取后再改", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        var edited = (await organiser.GetFromJsonAsync<JsonElement[]>("api/v1/sites?day=2023-08-01&group=south"))!.Single(s => s.GetProperty("id").GetInt32() == id);
        Assert.Equal(("Started", "库伦旗新项目", 2), (edited.GetProperty("status").GetString(), edited.GetProperty("name").GetString(), edited.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync($"api/v1/sites/{id}", new Dictionary<string, object>(site) { ["expectedVersion"] = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await organiser.DeleteAsync($"api/v1/sites/{id}")).StatusCode);

        var visited = (await organiser.GetFromJsonAsync<JsonElement[]>("api/v1/sites?day=2023-07-29&group=south"))![0].GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"api/v1/sites/{visited}/visit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.DeleteAsync($"api/v1/sites/{visited}")).StatusCode);
        await using var db = await Db();
        Assert.Equal(24, await db.Sites.CountAsync());
    }

    private static ByteArrayContent Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(InspectionApi.XlsxType);
        return content;
    }


}
