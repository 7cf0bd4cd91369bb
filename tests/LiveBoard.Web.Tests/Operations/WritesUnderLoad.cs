using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// Sixteen writers (eight districts, two indicators each) reporting through the push API as fast as the app acknowledges,
/// and what a restored copy of the database must hold of them: the SQLite backup test and the PostgreSQL dump test
/// put a backup under the same load and judge the restore by the same rule.
/// </summary>
internal sealed class WritesUnderLoad
{
    /// <summary>The app's settings for such a run: no rate limit in the writers' way, no automatic backups beside the one under test.</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["LiveBoard:RateLimits:WritesPerMinute"] = "1000000",
        ["LiveBoard:Backup:IntervalMinutes"] = "0",
    };

    public sealed record Acknowledged(string District, string Indicator, decimal Value, string RequestId);

    private readonly ConcurrentQueue<Acknowledged> _acknowledged = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _writers;

    private WritesUnderLoad(HttpClient organiser)
    {
        var districts = new[] { "horqin", "huolingol", "kailu", "zuozhong", "zuohou", "hure", "naiman", "jarud" };
        var figures = districts.SelectMany(d => new[] { (d, "signed-projects"), (d, "started-projects") }).ToArray();
        _writers = figures.Select((figure, w) => Task.Run(async () =>
        {
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var value = 1 + (n + w) % 50;
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
                {
                    Content = JsonContent.Create(new { district = figure.Item1, values = new[] { new { indicator = figure.Item2, value, reason = "拉练现场核实" } } }),
                    Headers = { { "Idempotency-Key", $"{figure.Item1}-{figure.Item2}-{n}" } },
                };
                using var response = await organiser.SendAsync(request);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
                _acknowledged.Enqueue(new Acknowledged(figure.Item1, figure.Item2, value, receipt.GetProperty("requestId").GetString()!));
            }
        })).ToArray();
    }

    public const int Writers = 16;

    /// <summary>Starts the writers, as the organiser (who may report for every district).</summary>
    public static WritesUnderLoad Start(HttpClient organiser) => new(organiser);

    public int Count => _acknowledged.Count;

    /// <summary>Every write acknowledged so far: all of it committed before anything that starts after this call.</summary>
    public IReadOnlyList<Acknowledged> SoFar() => [.. _acknowledged];

    /// <summary>Waits until <paramref name="count"/> writes in all were acknowledged; a writer's failure fails the wait.</summary>
    public async Task WaitForAsync(int count, string what)
    {
        await Eventually.Until(() => Count >= count || _writers.Any(w => w.IsFaulted), TimeSpan.FromSeconds(60), what);
        if (_writers.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writers);
    }

    /// <summary>
    /// What a database restored from a backup taken mid-stream must hold: every write acknowledged before the backup
    /// began, fewer revisions than the source had at the end (a snapshot, not the final state), each figure's revisions
    /// an unbroken chain ending in its current value, and the audit.
    /// </summary>
    public static async Task AssertRestoredAsync(LiveBoardDbContext restored, IReadOnlyList<Acknowledged> beforeBackup, long revisionsAtEnd)
    {
        var figuresById = await restored.Figures.AsNoTracking()
            .Join(restored.Districts, f => f.DistrictId, d => d.Id, (f, d) => new { f.Id, District = d.Code, f.IndicatorId })
            .Join(restored.Indicators, f => f.IndicatorId, i => i.Id, (f, i) => new { f.Id, f.District, Indicator = i.Code })
            .ToDictionaryAsync(f => f.Id, f => (f.District, f.Indicator));
        var revisions = await restored.FigureRevisions.AsNoTracking().ToListAsync();
        var present = revisions.Select(r => (figuresById[r.FigureId].District, figuresById[r.FigureId].Indicator, r.NewValue, r.RequestId)).ToHashSet();
        var missing = beforeBackup.Where(a => !present.Contains((a.District, a.Indicator, a.Value, a.RequestId))).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged writes are missing, e.g. {missing.FirstOrDefault()}");
        Assert.InRange(revisions.Count, 1, revisionsAtEnd - 1);

        // The revision history reads as an unbroken chain per figure: versions 1..n, each old value the previous new value.
        foreach (var chain in revisions.GroupBy(r => r.FigureId))
        {
            var ordered = chain.OrderBy(r => r.Version).ToList();
            Assert.Equal(Enumerable.Range(ordered[0].Version, ordered.Count), ordered.Select(r => r.Version));
            for (var i = 1; i < ordered.Count; i++) Assert.Equal(ordered[i - 1].NewValue, ordered[i].OldValue);
            var figure = await restored.Figures.AsNoTracking().SingleAsync(f => f.Id == chain.Key);
            Assert.Equal((ordered[^1].Version, ordered[^1].NewValue), (figure.Version, figure.Value));
        }
        // The audit came along: the organiser's token, issued before the writes began.
        Assert.Contains(await restored.AuditEvents.AsNoTracking().Select(e => e.UserName).ToListAsync(), u => u == "organiser");
    }
}
