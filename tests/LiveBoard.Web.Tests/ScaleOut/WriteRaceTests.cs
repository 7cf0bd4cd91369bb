using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Meeting;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>
/// Two instances on one PostgreSQL writing the same thing at the same moment (closing scoring, grades, itinerary sites,
/// publishing): the database decides, the loser gets an ordinary answer (never a 5xx), there is exactly one effect where
/// one is meant, and each accepted write has its audit row. Several rounds per path, because one pair of requests may
/// happen not to overlap.
/// </summary>
public sealed class WriteRaceTests : TwoInstanceTest
{
    private const int Rounds = 6;

    [ScaleOutFact]
    public async Task Closing_scoring_grades_sites_and_publishing_raced_from_both_instances_answer_without_5xx_and_take_effect_once()
    {
        using var onA = await SignedInClients.ApiAsync(Pair.A, Pair.RootA, DemoAccounts.Organiser);
        using var onB = await SignedInClients.ApiAsync(Pair.B, Pair.RootB, DemoAccounts.Organiser);
        async Task<HttpStatusCode[]> Race(Func<HttpClient, Task<HttpResponseMessage>> request)
        {
            var answers = await Task.WhenAll(request(onA), request(onB));
            var codes = answers.Select(a => a.StatusCode).ToArray();
            foreach (var a in answers) a.Dispose();
            Assert.All(codes, c => Assert.True((int)c < 500, $"answered {(int)c}"));
            return codes;
        }

        // Closing scoring: both told it is closed; one closure and one audit row per site.
        var sites = (await onA.GetFromJsonAsync<JsonElement[]>("api/v1/sites"))!.Take(Rounds).Select(s => s.GetProperty("id").GetInt32()).ToList();
        foreach (var site in sites)
            Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent], await Race(c => c.PostAsync($"api/v1/sites/{site}/close-scoring", null)));

        // Grades: both accepted, one after the other; the later one's old grade is the earlier one's new grade.
        var indicators = new[] { "be-credit", "be-start-business", "be-electricity" };
        foreach (var district in new[] { "horqin", "hure" })
            foreach (var indicator in indicators)
                Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await Race(c => c.PutAsJsonAsync("api/v1/grades",
                    new { district, indicator, quarter = "2023Q2", grade = c == onA ? "好" : "较好", remark = "" })));

        // A new site in one free slot from both: one is created, the other is told the slot is taken.
        for (var order = 11; order < 11 + Rounds; order++)
        {
            var site = new Dictionary<string, object> { ["district"] = "hure", ["group"] = "south", ["day"] = "2023-08-01", ["order"] = order,
                ["name"] = $"新项目 {order}", ["plannedInvestment"] = 3.5, ["completedInvestment"] = 0, ["status"] = "Signed" };
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest], (await Race(c => c.PostAsJsonAsync("api/v1/sites", site))).Order());
        }

        // One site edited from both, each on the version it read: one edit is saved, the other is refused (409) and
        // overwrites nothing, whichever instance gets in first.
        var edited = (await onA.GetFromJsonAsync<JsonElement[]>("api/v1/sites?day=2023-08-01&group=south"))!.First(s => s.GetProperty("order").GetInt32() == 11);
        var editedId = edited.GetProperty("id").GetInt32();
        for (var round = 0; round < Rounds; round++)
        {
            var read = (await onB.GetFromJsonAsync<JsonElement[]>("api/v1/sites?day=2023-08-01&group=south"))!.Single(s => s.GetProperty("id").GetInt32() == editedId);
            var version = read.GetProperty("version").GetInt32();
            Assert.Equal(round + 1, version);
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], (await Race(c => c.PutAsJsonAsync($"api/v1/sites/{editedId}",
                new Dictionary<string, object> { ["district"] = "hure", ["group"] = "south", ["day"] = "2023-08-01", ["order"] = 11,
                    ["name"] = $"{(c == onA ? "甲" : "乙")}改 {round}", ["plannedInvestment"] = 3.5, ["completedInvestment"] = 0, ["status"] = "Signed",
                    ["expectedVersion"] = version }))).Order());
        }

        // Publishing: both published, as two versions; the same Idempotency-Key from both publishes once.
        for (var i = 0; i < Rounds; i++)
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], await Race(c => c.PostAsJsonAsync("api/v1/rankings/publish", new { note = $"第{i}次" })));
        var keyed = await Race(c => c.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/v1/rankings/publish")
        {
            Content = JsonContent.Create(new { note = "同一请求" }), Headers = { { "Idempotency-Key", "evening-race" } },
        }));
        Assert.All(keyed, c => Assert.Equal(HttpStatusCode.Created, c));

        await using var db = await Pair.B.DbAsync();
        Assert.Equal(sites.Order(), await db.ScoringClosures.Select(c => c.SiteId).OrderBy(s => s).ToListAsync());
        Assert.Equal(Rounds, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.ScoringClosed));

        var grades = await db.DistrictGrades.ToListAsync();
        Assert.Equal(2 * indicators.Length, grades.Count);
        Assert.All(grades, g => Assert.Equal(2, g.Version));
        var gradeAudits = await db.AuditEvents.Where(a => a.Kind == InspectionAudit.GradeSet).ToListAsync();
        Assert.Equal(4 * indicators.Length, gradeAudits.Count);
        // Each grade's second write replaced what the first wrote, not what both read.
        foreach (var audit in gradeAudits.Select(a => JsonDocument.Parse(a.Detail).RootElement).Where(d => d.GetProperty("new").GetProperty("version").GetInt32() == 2))
            Assert.NotEqual(audit.GetProperty("old").GetProperty("grade").GetString(), audit.GetProperty("new").GetProperty("grade").GetString());

        var south = await db.Sites.Where(s => s.Day == new DateOnly(2023, 8, 1) && s.RouteOrder >= 11).Select(s => s.RouteOrder).ToListAsync();
        Assert.Equal(Enumerable.Range(11, Rounds), south.Order());
        Assert.Equal(Rounds, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.SiteAdded));
        // Each round's one saved edit: version on version, each audited with the name the previous winner gave.
        var editedSite = await db.Sites.SingleAsync(s => s.Id == editedId);
        Assert.Equal(1 + Rounds, editedSite.Version);
        var siteEdits = (await db.AuditEvents.Where(a => a.Kind == InspectionAudit.SiteChanged).OrderBy(a => a.Id).ToListAsync())
            .Select(a => JsonDocument.Parse(a.Detail).RootElement).ToList();
        Assert.Equal(Rounds, siteEdits.Count);
        for (var i = 1; i < Rounds; i++)
            Assert.Equal(siteEdits[i - 1].GetProperty("new").GetProperty("name").GetString(), siteEdits[i].GetProperty("old").GetProperty("name").GetString());
        Assert.Equal(siteEdits[^1].GetProperty("new").GetProperty("name").GetString(), editedSite.Name);

        var versions = await db.PublishedRankings.Select(p => p.Version).OrderBy(v => v).ToListAsync();
        var published = await db.AuditEvents.CountAsync(a => a.Kind == PublicationService.AuditKind);
        Assert.Equal(2 * Rounds + 1, published);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        Assert.Equal(2 * Rounds + 1, (await db.PublishedRankings.Select(p => p.Note).ToListAsync()).Count(n => n.StartsWith('第') || n == "同一请求"));

        // The database refused the losers' writes (unique indexes, version checks), and the retries handled every one:
        // none of it is in the error log that operators read.
        Assert.True(Pair.A.Service<RaceAwareErrorLogging>().HandledRaces + Pair.B.Service<RaceAwareErrorLogging>().HandledRaces > 0, "no write lost a race");
        // (The one Error entry each host logs when it first connects to its new, not yet created database is EF's too, and not a race.)
        string[] races = ["23505", "40001", "40P01", nameof(DbUpdateConcurrencyException)];
        Assert.DoesNotContain(ErrorLog.EntriesFor(Pair.A.DatabasePath), e => races.Any(r => e.Contains(r, StringComparison.Ordinal)));
    }
}
