using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Reporting;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveBoard.Web.Tests;

/// <summary>The published ranking over the real app, its API and its SQLite file: immutable versions, movement against the latest.</summary>
public sealed class PublishedRankingTests : RunningAppTests
{
    [Fact]
    public async Task Published_snapshot_stays_byte_for_byte_the_same_after_a_figure_change_and_movement_compares_with_it()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        var response = await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { day = Day1, note = "第一天点评" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal(2, created.GetProperty("version").GetInt32()); // the demo's 2023年一季度通报 is version 1

        var first = await organiser.GetByteArrayAsync($"api/v1/rankings/published/{id}");
        using (var doc = JsonDocument.Parse(first))
        {
            Assert.Equal("第一天点评", doc.RootElement.GetProperty("note").GetString());
            Assert.Equal(Day1, doc.RootElement.GetProperty("day").GetString());
            Assert.Equal(9, doc.RootElement.GetProperty("ranking").GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("figures").GetProperty("hure").TryGetProperty("signed-projects", out _));
            Assert.True(doc.RootElement.GetProperty("settings").TryGetProperty("inspectionWeight", out _));
        }
        await using (var db = await Db())
        {
            var row = await db.PublishedRankings.Include(p => p.Entries).SingleAsync(p => p.Id == id);
            Assert.Equal(9, row.Entries.Count);
        }

        // A correction after the meeting: the live board moves, the announced ranking does not.
        var last = (await Host.Service<LiveStandings>().CurrentAsync())!.City.Ranking.Composite[^1].DistrictCode;
        Assert.IsType<ReportOutcome.Accepted>(await Host.Service<FigureService>().ReportAsync(
            new ReportRequest(last, [new FigureEntry("signed-projects", 500, null, "核实后补报")], DemoAccounts.Organiser, Channels.Web)));
        var again = await organiser.GetByteArrayAsync($"api/v1/rankings/published/{id}");
        Assert.Equal(first, again);

        var live = (await Host.Service<LiveStandings>().CurrentAsync())!.City;
        Assert.Equal($"{new DateOnly(2023, 7, 29):yyyy年M月d日}排名（第2版）", live.ComparedWith!.Label);
        var published = JsonDocument.Parse(first).RootElement.GetProperty("ranking").EnumerateArray()
            .ToDictionary(r => r.GetProperty("district").GetString()!, r => r.GetProperty("rank").GetInt32());
        var mover = live.Ranking.Composite.Single(c => c.DistrictCode == last);
        Assert.True(mover.Rank < published[last], "500 signed projects should lift the last district");
        Assert.Equal(Movement.Between(mover.Rank, published[last]), mover.Movement);

        Assert.Contains(last, live.ChangedSincePublished);

        // No code path updates or deletes a publication.
        await using (var db = await Db())
        {
            var row = await db.PublishedRankings.SingleAsync(p => p.Id == id);
            row.Note = "改写";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }
        await using (var db = await Db())
        {
            db.PublishedRankingEntries.Remove(await db.PublishedRankingEntries.FirstAsync(e => e.PublishedRankingId == id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        // The next publication picks the correction up, as version 3; the list shows all three in order.
        var next = await (await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, next.GetProperty("version").GetInt32());
        var list = await organiser.GetFromJsonAsync<JsonElement>("api/v1/rankings/published");
        Assert.Equal([1, 2, 3], list.EnumerateArray().Select(p => p.GetProperty("version").GetInt32()).ToArray());
        live = (await Host.Service<LiveStandings>().CurrentAsync())!.City;
        // Right after publishing, the screens show version 3's own arrows (against version 2), not a row of dashes;
        // version 3 itself records the same movement against version 2.
        Assert.Equal(published.Select(p => p.Key).Order(), live.Ranking.Composite.Select(c => c.DistrictCode).Order());
        Assert.Equal(Movement.Between(mover.Rank, published[last]), live.StandingOf(last).Movement);
        Assert.NotEqual(MovementKind.Same, live.StandingOf(last).Movement.Kind);
        Assert.Equal($"{new DateOnly(2023, 7, 29):yyyy年M月d日}排名（第2版）", live.ComparedWith!.Label);
        var third = await organiser.GetFromJsonAsync<JsonElement>($"api/v1/rankings/published/{next.GetProperty("id").GetInt32()}");
        var thirdLast = third.GetProperty("ranking").EnumerateArray().Single(r => r.GetProperty("district").GetString() == last);
        Assert.Equal(live.StandingOf(last).Movement.Kind.ToString(), thirdLast.GetProperty("movement").GetString());
        Assert.Equal(first, await organiser.GetByteArrayAsync($"api/v1/rankings/published/{id}"));
        var history = await Host.Service<PublicationService>().HistoryAsync();
        Assert.Equal(3, history.Publications.Count);
        Assert.Equal(published[last], history.Ranks[last][1]);
        Assert.Equal(mover.Rank, history.Ranks[last][2]);
    }

    [Fact]
    public async Task Walls_share_one_read_of_the_rank_history_until_the_next_publication()
    {
        var publications = Host.Service<PublicationService>();
        async Task<PublicationService.HistoryKey> ShownAsync() =>
            PublicationService.HistoryKey.Of((await Host.Service<LiveStandings>().CurrentAsync())!.City);
        var before = await ShownAsync();
        var first = await publications.SharedHistoryAsync(before);
        // A second wall showing the same standings gets the same history: no second query, no second copy in memory.
        Assert.Same(first, await publications.SharedHistoryAsync(before));

        using var organiser = await ApiAs(DemoAccounts.Organiser);
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { day = Day1, note = "第一天点评" })).StatusCode);
        var after = before;
        await Eventually.Until(async () => (after = await ShownAsync()) != before, what: "the standings naming the new publication");
        var next = await publications.SharedHistoryAsync(after);
        Assert.NotSame(first, next);
        Assert.Equal(first.Publications.Count + 1, next.Publications.Count);
        Assert.Equal(next.Publications[^1].Label, after.Label);
        Assert.Same(next, await publications.SharedHistoryAsync(after));
    }

    [Fact]
    public async Task A_retried_publish_with_its_Idempotency_Key_publishes_once_and_the_key_of_a_report_is_another_request()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        HttpRequestMessage Publish(string note) => new(HttpMethod.Post, "api/v1/rankings/publish")
        {
            Content = JsonContent.Create(new { day = Day1, note }), Headers = { { "Idempotency-Key", "evening-1" } },
        };

        // The organiser's script first used the key for a report: keys are scoped by endpoint, so publishing with it is new.
        var report = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
        {
            Content = JsonContent.Create(new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 16, reason = "补报" } } }),
            Headers = { { "Idempotency-Key", "evening-1" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await organiser.SendAsync(report)).StatusCode);

        var first = await organiser.SendAsync(Publish("第一天"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var retry = await organiser.SendAsync(Publish("第一天"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var published = await first.Content.ReadFromJsonAsync<JsonElement>();
        var replayed = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((published.GetProperty("id").GetInt32(), 2), (replayed.GetProperty("id").GetInt32(), replayed.GetProperty("version").GetInt32()));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);

        // The same key with another note is a mistake, not a retry: refused, nothing published.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await organiser.SendAsync(Publish("另一份"))).StatusCode);
        await using var db = await Db();
        Assert.Equal(2, await db.PublishedRankings.CountAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == PublicationService.AuditKind));
    }

    [Fact]
    public async Task Only_organisers_publish_leaders_read_reporters_and_anonymous_do_not()
    {
        using var anonymous = new HttpClient { BaseAddress = Root };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/v1/rankings/publish", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/rankings/published")).StatusCode);
        using var leader = await ApiAs(DemoAccounts.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("api/v1/rankings/publish", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("api/v1/rankings/published")).StatusCode);
        using var reporter = await ApiAs(DemoAccounts.Reporter("horqin"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsJsonAsync("api/v1/rankings/publish", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("api/v1/rankings/published")).StatusCode);
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsJsonAsync("api/v1/rankings/publish", new { day = "29/07/2023" })).StatusCode);
        await using var db = await Db();
        Assert.Equal(1, await db.PublishedRankings.CountAsync());
    }

    [Fact]
    public async Task Bulletin_workbook_opens_with_MiniExcel_and_lists_the_ranking_in_order()
    {
        using var leader = await ApiAs(DemoAccounts.Leader);
        var bytes = await leader.GetByteArrayAsync($"api/v1/meeting/{Day1}/bulletin.xlsx");
        using var stream = new MemoryStream(bytes);
        var sheets = stream.GetSheetNames();
        // The ranking first, one sheet per indicator, then the bulletin's lists.
        Assert.Equal("综合排名", sheets[0]);
        Assert.Equal(["变化最大", "红榜（前三名）", "后进（后三名）", "找差距"], sheets.TakeLast(4).ToArray());
        Assert.Contains("新签约千万元以上项目", sheets);
        stream.Position = 0;
        var rows = stream.Query(useHeaderRow: true, sheetName: "综合排名").Cast<IDictionary<string, object?>>().ToList();
        var live = (await Host.Service<LiveStandings>().CurrentAsync())!.City;
        Assert.Equal(live.Ranking.Composite.Select(c => live.District(c.DistrictCode).Name), rows.Select(r => r["旗县市区"]?.ToString()));
        Assert.Equal(live.Ranking.Composite.Select(c => (double)c.Rank), rows.Select(r => Convert.ToDouble(r["名次"], CultureInfo.InvariantCulture)));
        stream.Position = 0;
        var red = stream.Query(useHeaderRow: true, sheetName: "红榜（前三名）").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3, red.Count);
    }
}
