using LiveBoard.Core;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests;

/// <summary>The one write path for figures, over the real app and its SQLite file.</summary>
public sealed class FigureServiceTests : IAsyncLifetime
{
    private readonly LiveBoardHost _host = new();
    private FigureService _figures = default!;
    private readonly List<CampaignEvent> _events = [];
    private IDisposable? _subscription;

    public Task InitializeAsync()
    {
        _host.Start();
        _figures = _host.Service<FigureService>();
        _subscription = _host.Service<IChangeFeed>().Subscribe(e => { lock (_events) _events.Add(e); return Task.CompletedTask; });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _subscription?.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(decimal Value, int Version, int Revisions)> Read(string district, string indicator)
    {
        await using var db = await _host.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var d = await db.Districts.SingleAsync(x => x.Code == district);
        var i = await db.Indicators.SingleAsync(x => x.Code == indicator);
        var f = await db.Figures.SingleAsync(x => x.DistrictId == d.Id && x.IndicatorId == i.Id);
        return (f.Value, f.Version, await db.FigureRevisions.CountAsync(r => r.FigureId == f.Id));
    }

    private static ReportRequest Report(string district, params FigureEntry[] values) =>
        new(district, values, "tester", Channels.Web);

    [Fact]
    public async Task Accepted_change_is_stored_with_its_history_and_announced_once()
    {
        var before = await Read("hure", "signed-projects");

        var outcome = await _figures.ReportAsync(Report("hure", new FigureEntry("signed-projects", 19, before.Version, "核实后补报4个项目")));

        var accepted = Assert.IsType<ReportOutcome.Accepted>(outcome);
        var after = await Read("hure", "signed-projects");
        Assert.Equal(19m, after.Value);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.Revisions + 1, after.Revisions);

        await using var db = await _host.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var revision = await db.FigureRevisions.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal((before.Value, 19m, "tester", "核实后补报4个项目", Channels.Web),
            (revision.OldValue!.Value, revision.NewValue, revision.ChangedBy, revision.Reason, revision.Channel));

        var change = Assert.IsType<FigureChanged>(Assert.Single(_events));
        Assert.Equal(("hure", "signed-projects", before.Value, 19m), (change.DistrictCode, change.IndicatorCode, change.OldValue!.Value, change.NewValue));
        Assert.Equal(accepted.Changes.Single(), change);
    }

    [Fact]
    public async Task Changing_a_reported_value_without_a_reason_is_refused_and_changes_nothing()
    {
        var before = await Read("kailu", "started-projects");
        var outcome = await _figures.ReportAsync(Report("kailu", new FigureEntry("started-projects", 20)));

        var invalid = Assert.IsType<ReportOutcome.Invalid>(outcome);
        Assert.Equal("Figure_ReasonRequired", Assert.Single(invalid.Errors).Error.Key);
        Assert.Equal(before, await Read("kailu", "started-projects"));
        Assert.Empty(_events);
    }

    [Fact]
    public async Task Second_writer_from_the_same_version_gets_a_conflict_naming_the_first()
    {
        var start = await Read("naiman", "funds-in-place");
        Assert.IsType<ReportOutcome.Accepted>(await _figures.ReportAsync(
            new ReportRequest("naiman", [new FigureEntry("funds-in-place", 12.5m, start.Version, "first")], "reporter-a", Channels.Web)));

        var outcome = await _figures.ReportAsync(
            new ReportRequest("naiman", [new FigureEntry("funds-in-place", 13m, start.Version, "second")], "reporter-b", Channels.Api));

        var conflict = Assert.Single(Assert.IsType<ReportOutcome.Conflict>(outcome).Conflicts);
        Assert.Equal((12.5m, "reporter-a", start.Version + 1), (conflict.CurrentValue, conflict.CurrentAuthor, conflict.CurrentVersion));
        Assert.Equal(12.5m, (await Read("naiman", "funds-in-place")).Value);
        Assert.Single(_events);
    }

    [Fact]
    public async Task A_report_with_one_bad_value_writes_none_of_its_values()
    {
        var good = await Read("jarud", "signed-projects");
        var bad = await Read("jarud", "started-projects");

        var outcome = await _figures.ReportAsync(Report("jarud",
            new FigureEntry("signed-projects", 30, null, "补报"),
            new FigureEntry("started-projects", -3, null, "补报")));

        var error = Assert.Single(Assert.IsType<ReportOutcome.Invalid>(outcome).Errors);
        Assert.Equal(("started-projects", "Figure_Negative"), (error.Field, error.Error.Key));
        Assert.Equal(good, await Read("jarud", "signed-projects"));
        Assert.Equal(bad, await Read("jarud", "started-projects"));
        Assert.Empty(_events);
    }

    [Theory]
    [InlineData("atlantis", "signed-projects", "District_Unknown")]
    [InlineData("hure", "gdp", "Indicator_Unknown")]
    [InlineData("hure", "be-credit", "Figure_NotReportable")]
    public async Task Unknown_codes_and_graded_indicators_are_refused(string district, string indicator, string key)
    {
        var outcome = await _figures.ReportAsync(Report(district, new FigureEntry(indicator, 1)));
        Assert.Equal(key, Assert.Single(Assert.IsType<ReportOutcome.Invalid>(outcome).Errors).Error.Key);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task Accepted_value_survives_a_restart_of_the_app()
    {
        var before = await Read("zuohou", "signed-investment");
        Assert.IsType<ReportOutcome.Accepted>(await _figures.ReportAsync(
            Report("zuohou", new FigureEntry("signed-investment", 133.3m, before.Version, "新签约项目核实"))));
        await _host.DisposeAsync();

        await using var again = new LiveBoardHost(_host.DatabasePath);
        again.Start();
        await using var db = await again.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var district = await db.Districts.SingleAsync(d => d.Code == "zuohou");
        var indicator = await db.Indicators.SingleAsync(i => i.Code == "signed-investment");
        Assert.Equal(133.3m, (await db.Figures.SingleAsync(f => f.DistrictId == district.Id && f.IndicatorId == indicator.Id)).Value);
    }
}
