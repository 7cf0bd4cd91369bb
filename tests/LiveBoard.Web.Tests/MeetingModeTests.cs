using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests;

/// <summary>Meeting mode for wall screens through PUT /api/v1/displays/{slug}/mode, over the real app and its SQLite file.</summary>
public sealed class MeetingModeTests : RunningAppTests
{
    private static JsonContent Mode(object body) => JsonContent.Create(body);

    [Fact]
    public async Task Organiser_puts_a_screen_into_meeting_mode_and_back_durably_and_audited()
    {
        await Host.Service<DisplayService>().CreateAsync(new NewScreen("会议室左屏", "hall-left"));
        using var organiser = await ApiAs(DemoAccounts.Organiser);

        var response = await organiser.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "meeting", day = Day1 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("meeting", Day1), (body.GetProperty("mode").GetString(), body.GetProperty("day").GetString()));
        await using (var db = await Db())
        {
            Assert.Equal(DateOnly.Parse(Day1, System.Globalization.CultureInfo.InvariantCulture), (await db.Screens.SingleAsync(s => s.Slug == "hall-left")).MeetingDay);
            var audit = await db.AuditEvents.SingleAsync(a => a.Kind == DisplayService.ModeAuditKind);
            Assert.Equal(DemoAccounts.Organiser, audit.UserName);
            Assert.Contains("\"old\":\"playlist\"", audit.Detail, StringComparison.Ordinal);
            Assert.Contains($"\"new\":\"meeting {Day1}\"", audit.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "playlist" }))).StatusCode);
        await using (var db = await Db())
        {
            Assert.Null((await db.Screens.SingleAsync(s => s.Slug == "hall-left")).MeetingDay);
            Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Kind == DisplayService.ModeAuditKind));
        }
    }

    [Fact]
    public async Task Bad_mode_requests_get_a_clear_answer_and_change_nothing()
    {
        await Host.Service<DisplayService>().CreateAsync(new NewScreen("会议室左屏", "hall-left"));
        using var organiser = await ApiAs(DemoAccounts.Organiser);

        var badDay = await organiser.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "meeting", day = "29/07/2023" }));
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
        Assert.Contains("yyyy-MM-dd", await badDay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badMode = await organiser.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "party" }));
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.Contains("playlist", await badMode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.PutAsync("api/v1/displays/nowhere/mode", Mode(new { mode = "playlist" }))).StatusCode);

        // Leaders and reporters read; only organisers run the room's screens. Anonymous callers are not let in.
        using var leader = await ApiAs(DemoAccounts.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "meeting", day = Day1 }))).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = Root };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("api/v1/displays/hall-left/mode", Mode(new { mode = "meeting", day = Day1 }))).StatusCode);

        await using var db = await Db();
        Assert.Null((await db.Screens.SingleAsync(s => s.Slug == "hall-left")).MeetingDay);
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == DisplayService.ModeAuditKind));
    }
}
