using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Core.Standings;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests;

/// <summary>The inspection API over the real app on Kestrel and a real SQLite file: who may do what, idempotency, aggregation.</summary>
public sealed class InspectionApiTests(Xunit.Abstractions.ITestOutputHelper output) : RunningAppTests
{
    [Fact]
    public async Task South_line_observer_cannot_score_a_North_line_site_and_nothing_is_written()
    {
        var north = await SiteAsync("north", Day1, 1);
        using var south = await ApiAs("observer-south-1");
        var response = await PostScore(south, north, 20, 20, 20, 20);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((0, 0), await CountsAsync());

        // The same observer on the South line's site of the day is accepted.
        var own = await SiteAsync("south", Day1, 1);
        Assert.Equal(HttpStatusCode.Created, (await PostScore(south, own, 20, 20, 20, 20)).StatusCode);
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Observer_cannot_score_own_groups_site_on_another_day()
    {
        var tomorrow = await SiteAsync("south", "2023-07-30", 1);
        using var south = await ApiAs("observer-south-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostScore(south, tomorrow, 20, 20, 20, 20)).StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Anonymous_gets_401_reporters_and_leaders_cannot_score_leaders_read_scores_observers_do_not()
    {
        var site = await SiteAsync("south", Day1, 1);
        using var anonymous = new HttpClient { BaseAddress = Root };
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostScore(anonymous, site, 20, 20, 20, 20)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/sites")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/sites/{site}/scores")).StatusCode);

        using var reporter = await ApiAs("reporter-horqin");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostScore(reporter, site, 20, 20, 20, 20)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("api/v1/sites")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsync($"api/v1/sites/{site}/visit", null)).StatusCode);

        using var leader = await ApiAs(DemoAccounts.Leader);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostScore(leader, site, 20, 20, 20, 20)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsync($"api/v1/sites/{site}/visit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("api/v1/sites")).StatusCode);

        using var organiser = await ApiAs(DemoAccounts.Organiser);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostScore(organiser, site, 20, 20, 20, 20)).StatusCode);
        Assert.Equal((0, 0), await CountsAsync());

        using var observer = await ApiAs("observer-south-2");
        Assert.Equal(HttpStatusCode.Created, (await PostScore(observer, site, 21, 22, 23, 24, gaps: "审批慢")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.GetAsync($"api/v1/sites/{site}/scores")).StatusCode);

        var scores = await leader.GetFromJsonAsync<JsonElement>($"api/v1/sites/{site}/scores");
        Assert.Equal(90m, scores.GetProperty("score").GetDecimal());
        var sheet = Assert.Single(scores.GetProperty("sheets").EnumerateArray());
        Assert.Equal("observer-south-2", sheet.GetProperty("observer").GetString());
        Assert.Equal("审批慢", sheet.GetProperty("gaps").GetString());
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync($"api/v1/sites/{site}/scores")).StatusCode);
    }

    [Fact]
    public async Task Same_idempotency_key_returns_the_same_result_and_writes_nothing_more()
    {
        var site = await SiteAsync("south", Day1, 2);
        using var observer = await ApiAs("observer-south-1");
        var first = await PostScore(observer, site, 20, 21, 22, 23, key: "phone-entry-1");
        var second = await PostScore(observer, site, 20, 21, 22, 23, key: "phone-entry-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal((1, 1), await CountsAsync());
        var receipt = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(86m, receipt.GetProperty("total").GetDecimal());
        Assert.Equal(1, receipt.GetProperty("version").GetInt32());

        // The same key with other marks is a client bug, not a retry: refused, nothing written.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostScore(observer, site, 1, 1, 1, 1, key: "phone-entry-1")).StatusCode);
        // No key at all: 400.
        using var noKey = new HttpRequestMessage(HttpMethod.Post, "api/v1/scores") { Content = JsonContent.Create(new { site, structure = 1, efficiency = 1, service = 1, results = 1 }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await observer.SendAsync(noKey)).StatusCode);
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Retries_racing_with_one_key_write_once_and_all_get_the_first_answer()
    {
        var site = await SiteAsync("south", Day1, 1);
        using var observer = await ApiAs("observer-south-2");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostScore(observer, site, 20, 20, 20, 20, key: "flaky-network-1")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Points_out_of_range_are_a_400_problem_naming_the_field_and_nothing_is_written()
    {
        var site = await SiteAsync("south", Day1, 1);
        using var observer = await ApiAs("observer-south-1");
        foreach (var (s, e, v, r, field) in new[] { (26m, 20m, 20m, 20m, "structure"), (20m, -1m, 20m, 20m, "efficiency"), (20m, 20m, 20.25m, 20m, "service") })
        {
            var response = await PostScore(observer, site, s, e, v, r);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
        using var bad = new HttpRequestMessage(HttpMethod.Post, "api/v1/scores") { Content = new StringContent("{\"site\":\"x\",\"structure\":\"NaN\"}", null, "application/json") };
        bad.Headers.Add("Idempotency-Key", "bad-1");
        Assert.Equal(HttpStatusCode.BadRequest, (await observer.SendAsync(bad)).StatusCode);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Scores_can_be_changed_until_the_organiser_closes_scoring_and_each_change_is_audited()
    {
        var site = await SiteAsync("south", Day1, 3);
        using var observer = await ApiAs("observer-south-3");
        Assert.Equal(HttpStatusCode.Created, (await PostScore(observer, site, 20, 20, 20, 20)).StatusCode);
        var changed = await PostScore(observer, site, 22, 20, 20, 20);
        Assert.Equal(2, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        using var organiser = await ApiAs(DemoAccounts.Organiser);
        Assert.Equal(HttpStatusCode.Forbidden, (await observer.PostAsync($"api/v1/sites/{site}/close-scoring", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await organiser.PostAsync($"api/v1/sites/{site}/close-scoring", null)).StatusCode);
        var refused = await PostScore(observer, site, 25, 25, 25, 25);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        await using var db = await Db();
        var sheet = await db.SiteScoreSheets.SingleAsync();
        Assert.Equal((22m, 2), (sheet.Structure, sheet.Version));
        var audit = await db.AuditEvents.Where(a => a.Kind == InspectionAudit.ScoreRecorded).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Contains("\"old\":null", audit[0].Detail);
        Assert.Contains("\"old\":{\"structure\":20", audit[1].Detail);
        Assert.Contains("\"new\":{\"structure\":22", audit[1].Detail);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.ScoringClosed && a.UserName == DemoAccounts.Organiser));
    }

    [Fact]
    public async Task Five_observers_trimmed_mean_moves_the_district_inspection_score_and_the_composite_ranking()
    {
        await AddObserversAsync("south", 4, 5);
        var site1 = await SiteAsync("south", Day1, 1); // horqin
        var site2 = await SiteAsync("south", Day1, 2); // horqin
        var kailu = await SiteAsync("north", Day1, 1);
        using var leader = await ApiAs(DemoAccounts.Leader);
        var before = await CompositeAsync(leader);
        Assert.DoesNotContain("inspection", (await leader.GetStringAsync("api/v1/rankings")));

        // Totals 100, 60, 80, 90, 70: the 100 and the 60 are dropped, the site scores (80 + 90 + 70) / 3 = 80.
        var marks = new[] { 25m, 15m, 20m, 22.5m, 17.5m };
        for (var n = 1; n <= 5; n++)
        {
            using var observer = await ApiAs($"observer-south-{n}");
            Assert.Equal(HttpStatusCode.Created, (await PostScore(observer, site1, marks[n - 1], marks[n - 1], marks[n - 1], marks[n - 1])).StatusCode);
        }
        var scores = await leader.GetFromJsonAsync<JsonElement>($"api/v1/sites/{site1}/scores");
        Assert.Equal(80m, scores.GetProperty("score").GetDecimal());
        Assert.True(scores.GetProperty("trimmed").GetBoolean());
        Assert.Equal(5, scores.GetProperty("observers").GetInt32());

        // Below the threshold the plain mean: one observer with 90 at the second site; horqin = (80 + 90) / 2 = 85.
        using (var one = await ApiAs("observer-south-1"))
            await PostScore(one, site2, 22.5m, 22.5m, 22.5m, 22.5m);
        using (var north = await ApiAs("observer-north-1"))
            await PostScore(north, kailu, 10, 10, 15, 15);

        var after = await CompositeAsync(leader);
        var rankings = await leader.GetFromJsonAsync<JsonElement>("api/v1/rankings");
        var inspection = rankings.GetProperty("byIndicator").EnumerateArray().Single(r => r.GetProperty("indicator").GetString() == CityStandings.InspectionCode);
        var standings = inspection.GetProperty("standings").EnumerateArray().ToDictionary(s => s.GetProperty("district").GetString()!);
        Assert.Equal(85m, standings["horqin"].GetProperty("value").GetDecimal());
        Assert.Equal(50m, standings["kailu"].GetProperty("value").GetDecimal());
        Assert.Equal(100m, standings["horqin"].GetProperty("score").GetDecimal());
        Assert.Equal(60m, standings["kailu"].GetProperty("score").GetDecimal());
        Assert.Equal(JsonValueKind.Null, standings["hure"].GetProperty("value").ValueKind);

        // Headline weights add up to 100; the inspection score joins with weight 20: composite' = (100 × old + 20 × inspection) / 120.
        foreach (var (district, component) in new[] { ("horqin", 100m), ("kailu", 60m) })
            Assert.Equal(Math.Round((100m * before[district].Score + 20m * component) / 120m, 2), Math.Round(after[district].Score, 2));
        // A district not visited yet is ranked on its figures alone: neither penalised nor counted as "not reported".
        Assert.Equal(before["hure"].Score, after["hure"].Score);
        Assert.Equal(0, rankings.GetProperty("composite").EnumerateArray().Single(c => c.GetProperty("district").GetString() == "hure").GetProperty("missingCount").GetInt32());
        foreach (var (d, b) in before.OrderBy(b => b.Value.Rank))
            output.WriteLine($"{d}: rank {b.Rank} → {after[d].Rank}, composite {b.Score} → {after[d].Score}");
        Assert.NotEqual(before.OrderBy(b => b.Value.Rank).Select(b => b.Key), after.OrderBy(a => a.Value.Rank).Select(a => a.Key));
    }

    [Fact]
    public async Task Observer_marks_own_groups_site_visited_and_the_itinerary_lists_it_other_groups_get_403()
    {
        var site = await SiteAsync("south", Day1, 1);
        using var south = await ApiAs("observer-south-1");
        using var north = await ApiAs("observer-north-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await north.PostAsync($"api/v1/sites/{site}/visit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await south.PostAsync("api/v1/sites/99999/visit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await south.PostAsJsonAsync($"api/v1/sites/{site}/visit", new { kind = "arrived", kilometres = 42.5 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await south.PostAsync($"api/v1/sites/{site}/visit", null)).StatusCode);

        var sites = await south.GetFromJsonAsync<JsonElement[]>($"api/v1/sites?day={Day1}&group=south");
        Assert.Equal(3, sites!.Length);
        Assert.All(sites, s => Assert.Equal("horqin", s.GetProperty("district").GetString()));
        Assert.Equal([1, 2, 3], sites.Select(s => s.GetProperty("order").GetInt32()));
        Assert.True(sites[0].GetProperty("visited").GetBoolean());
        Assert.Equal(42.5m, sites[0].GetProperty("kilometres").GetDecimal());
        Assert.False(sites[1].GetProperty("visited").GetBoolean());
        Assert.Equal(24, (await south.GetFromJsonAsync<JsonElement[]>("api/v1/sites"))!.Length);
        Assert.Equal(HttpStatusCode.BadRequest, (await south.GetAsync("api/v1/sites?day=29.7.2023")).StatusCode);
        await using var db = await Db();
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SiteVisited));
    }

    [Fact]
    public async Task Organisers_put_grades_others_cannot_bad_grades_are_400_and_each_change_is_audited()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        var body = new { district = "horqin", indicator = "be-credit", quarter = "2023Q2", grade = "好", remark = "信用体系完善" };
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync("api/v1/grades", body)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("api/v1/grades", body with { grade = "优秀" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("api/v1/grades", body with { quarter = "2023-2" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("api/v1/grades", body with { indicator = "signed-projects" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsJsonAsync("api/v1/grades", body)).StatusCode);
        var changed = await organiser.PutAsJsonAsync("api/v1/grades", body with { grade = "较好" });
        Assert.Equal("好", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("old").GetString());

        var grades = await leader.GetFromJsonAsync<JsonElement>("api/v1/grades");
        Assert.Equal("2023Q2", grades.GetProperty("quarter").GetString());
        Assert.Equal("较好", Assert.Single(grades.GetProperty("grades").EnumerateArray()).GetProperty("grade").GetString());
        await using var db = await Db();
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.GradeSet));
    }

    [Fact]
    public async Task Organisers_set_the_inspection_weight_and_the_ranking_follows_bad_settings_are_400()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        var settings = await leader.GetFromJsonAsync<JsonElement>("api/v1/inspection/settings");
        Assert.Equal(20m, settings.GetProperty("inspectionWeight").GetDecimal());
        Assert.Equal(25m, settings.GetProperty("structureMax").GetDecimal());
        using (var observer = await ApiAs("observer-south-1"))
            await PostScore(observer, await SiteAsync("south", Day1, 1), 20, 20, 20, 20);
        var withInspection = await CompositeAsync(leader);

        var body = new { structureMax = 25, efficiencyMax = 25, serviceMax = 25, resultsMax = 25, structureWeight = 1, efficiencyWeight = 1,
            serviceWeight = 1, resultsWeight = 1, trimThreshold = 5, inspectionWeight = 0, gradeWeight = 0 };
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PutAsJsonAsync("api/v1/inspection/settings", body)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("api/v1/inspection/settings", body with { trimThreshold = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PutAsJsonAsync("api/v1/inspection/settings", body with { structureMax = 0 })).StatusCode);
        // A component weight is a weight like the indicators': no change without a reason, and the change is a new version.
        var noReason = await organiser.PutAsJsonAsync("api/v1/inspection/settings", body);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.StartsWith("改变观摩评分或营商环境评定在综合排名中的权重，须说明理由",
            (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(20m, (await leader.GetFromJsonAsync<JsonElement>("api/v1/inspection/settings")).GetProperty("inspectionWeight").GetDecimal());
        // The weights version and the settings that carry the component weights are one transaction: written to the
        // database together and then a crash before the commit, and neither stays.
        int demo;
        await using (var read = await Db()) demo = await read.Campaigns.Where(c => c.Code == "tongliao-2023h1").Select(c => c.Id).SingleAsync();
        var zero = InspectionSettings.Defaults(demo);
        (zero.InspectionWeight, zero.GradeWeight) = (0, 0);
        await Assert.ThrowsAsync<IOException>(() => Host.Service<LiveBoard.Web.Features.Campaigns.CampaignWeights>().ChangeAsync(demo,
            new Dictionary<string, LiveBoard.Web.Features.Campaigns.WeightAndTarget>(), "观摩评分另行通报", DemoAccounts.Organiser, LiveBoard.Core.Channels.Api,
            new LiveBoard.Web.Features.Campaigns.ComponentWeights(0, 0), alongside: async (context, now) =>
            {
                await InspectionService.StageSettingsAsync(context, demo, zero, DemoAccounts.Organiser, LiveBoard.Core.Channels.Api, null, now, default);
                await context.SaveChangesAsync();
                throw new IOException("the process dies before the commit");
            }));
        await using (var read = await Db())
        {
            Assert.Equal(0, await read.WeightsVersions.CountAsync());
            Assert.Equal(0, await read.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SettingsChanged));
            Assert.Equal(20m, (await read.InspectionSettingsAsync(demo)).InspectionWeight);
        }
        var reasoned = new { body.structureMax, body.efficiencyMax, body.serviceMax, body.resultsMax, body.structureWeight, body.efficiencyWeight,
            body.serviceWeight, body.resultsWeight, body.trimThreshold, body.inspectionWeight, body.gradeWeight, reason = "观摩评分另行通报" };
        Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsJsonAsync("api/v1/inspection/settings", reasoned)).StatusCode);

        // Weight 0: the inspection score leaves the composite; horqin is back on its figures alone.
        var without = await CompositeAsync(leader);
        Assert.NotEqual(withInspection["horqin"].Score, without["horqin"].Score);
        Assert.DoesNotContain("\"inspection\"", await leader.GetStringAsync("api/v1/rankings"));
        await using var db = await Db();
        var settingsAudit = await db.AuditEvents.SingleAsync(a => a.Kind == InspectionAudit.SettingsChanged);
        var version = await db.WeightsVersions.SingleAsync();
        Assert.Equal((2, DemoAccounts.Organiser, "观摩评分另行通报"), (version.Version, version.ChangedBy, version.Reason));
        // One change: the settings' audit row was written with the version, at its moment.
        Assert.Equal(version.ChangedAt, settingsAudit.At);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == LiveBoard.Web.Features.Campaigns.CampaignWeights.AuditKind));
    }

    [Fact]
    public async Task With_a_grade_weight_the_mean_grade_points_join_the_composite_and_ungraded_districts_are_not_penalised()
    {
        using var organiser = await ApiAs(DemoAccounts.Organiser);
        using var leader = await ApiAs(DemoAccounts.Leader);
        var before = await CompositeAsync(leader);
        var body = new { structureMax = 25, efficiencyMax = 25, serviceMax = 25, resultsMax = 25, structureWeight = 1, efficiencyWeight = 1,
            serviceWeight = 1, resultsWeight = 1, trimThreshold = 5, inspectionWeight = 20, gradeWeight = 10, reason = "营商环境评定纳入综合排名" };
        Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsJsonAsync("api/v1/inspection/settings", body)).StatusCode);
        foreach (var (district, indicator, grade) in new[] { ("hure", "be-credit", "好"), ("hure", "be-start-business", "好"), ("naiman", "be-credit", "一般") })
            Assert.Equal(HttpStatusCode.OK, (await organiser.PutAsJsonAsync("api/v1/grades", new { district, indicator, quarter = "2023Q2", grade })).StatusCode);

        var rankings = await leader.GetFromJsonAsync<JsonElement>("api/v1/rankings");
        var grades = rankings.GetProperty("byIndicator").EnumerateArray().Single(r => r.GetProperty("indicator").GetString() == "be-grade")
            .GetProperty("standings").EnumerateArray().ToDictionary(s => s.GetProperty("district").GetString()!);
        Assert.Equal(3m, grades["hure"].GetProperty("value").GetDecimal());
        Assert.Equal(1m, grades["naiman"].GetProperty("value").GetDecimal());
        var after = await CompositeAsync(leader);
        // Weight 10 beside the headline 100: hure scores 100 on grades, naiman 60; the others are ranked on their figures.
        Assert.Equal(Math.Round((100m * before["hure"].Score + 10m * 100m) / 110m, 2), Math.Round(after["hure"].Score, 2));
        Assert.Equal(Math.Round((100m * before["naiman"].Score + 10m * 60m) / 110m, 2), Math.Round(after["naiman"].Score, 2));
        Assert.Equal(before["horqin"].Score, after["horqin"].Score);
    }

    [Fact]
    public async Task Districts_not_yet_scored_have_no_inspection_rank_in_the_rankings_API_and_are_listed_last()
    {
        var site = await SiteAsync("south", Day1, 1);
        using var observer = await ApiAs("observer-south-1");
        Assert.Equal(HttpStatusCode.Created, (await PostScore(observer, site, 20, 20, 20, 20)).StatusCode);

        using var leader = await ApiAs(DemoAccounts.Leader);
        var rankings = await leader.GetFromJsonAsync<JsonElement>("api/v1/rankings");
        var inspection = rankings.GetProperty("byIndicator").EnumerateArray()
            .Single(r => r.GetProperty("indicator").GetString() == CityStandings.InspectionCode).GetProperty("standings").EnumerateArray().ToList();
        // One district visited and scored: ranked 1st; the other eight have no place at all (未观摩), after it.
        Assert.Equal(9, inspection.Count);
        Assert.Equal((1, false), (inspection[0].GetProperty("rank").GetInt32(), inspection[0].GetProperty("unranked").GetBoolean()));
        Assert.All(inspection.Skip(1), s =>
        {
            Assert.Equal(JsonValueKind.Null, s.GetProperty("rank").ValueKind);
            Assert.True(s.GetProperty("unranked").GetBoolean());
        });
    }

    // --- helpers ---


    private static async Task<HttpResponseMessage> PostScore(HttpClient http, int site, decimal structure, decimal efficiency, decimal service, decimal results,
        string? key = null, string? gaps = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scores")
        {
            Content = JsonContent.Create(new { site, structure, efficiency, service, results, gaps }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return await http.SendAsync(request);
    }


    private async Task<int> SiteAsync(string group, string day, int order)
    {
        await using var db = await Db();
        var groupId = await db.TouringGroups.Where(g => g.Code == group).Select(g => g.Id).SingleAsync();
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        return await db.Sites.Where(s => s.TouringGroupId == groupId && s.Day == date && s.RouteOrder == order).Select(s => s.Id).SingleAsync();
    }

    /// <summary>(score sheets, score audit rows) in the database.</summary>
    private async Task<(int, int)> CountsAsync()
    {
        await using var db = await Db();
        return (await db.SiteScoreSheets.CountAsync(), await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.ScoreRecorded));
    }

    private static async Task<Dictionary<string, (int Rank, decimal Score)>> CompositeAsync(HttpClient leader)
    {
        var json = await leader.GetFromJsonAsync<JsonElement>("api/v1/rankings");
        return json.GetProperty("composite").EnumerateArray().ToDictionary(c => c.GetProperty("district").GetString()!,
            c => (c.GetProperty("rank").GetInt32(), c.GetProperty("score").GetDecimal()));
    }

    /// <summary>The demo has three observers per group; the trimming convention needs five.</summary>
    private async Task AddObserversAsync(string group, params int[] numbers)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        foreach (var n in numbers)
        {
            var user = new LiveBoardUser { UserName = $"observer-{group}-{n}", DisplayName = $"{group} {n}", TouringGroupCode = group };
            Assert.True((await users.CreateAsync(user, DemoAccounts.DefaultPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Observer)).Succeeded);
        }
    }
}
