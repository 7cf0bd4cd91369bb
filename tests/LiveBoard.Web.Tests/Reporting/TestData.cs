using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>Reads the SQLite file behind a running host, the way an auditor would.</summary>
public static class TestData
{
    public static async Task<LiveBoardDbContext> DbAsync(LiveBoardHost host) =>
        await host.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();

    public static async Task<Figure> FigureAsync(LiveBoardHost host, string district, string indicator)
    {
        await using var db = await DbAsync(host);
        var d = await db.Districts.SingleAsync(x => x.Code == district);
        var i = await db.Indicators.SingleAsync(x => x.Code == indicator);
        return await db.Figures.AsNoTracking().SingleAsync(x => x.DistrictId == d.Id && x.IndicatorId == i.Id);
    }

    public static async Task<List<FigureRevision>> HistoryAsync(LiveBoardHost host, string district, string indicator)
    {
        var figure = await FigureAsync(host, district, indicator);
        await using var db = await DbAsync(host);
        return await db.FigureRevisions.AsNoTracking().Where(r => r.FigureId == figure.Id).OrderBy(r => r.Version).ToListAsync();
    }

    /// <summary>Row counts of every table a write could touch: equal before and after means nothing was written.</summary>
    public static async Task<(int Figures, int Revisions, int Idempotency, decimal Sum, int Versions)> WritesAsync(LiveBoardHost host)
    {
        await using var db = await DbAsync(host);
        var figures = await db.Figures.AsNoTracking().ToListAsync();
        return (figures.Count, await db.FigureRevisions.CountAsync(), await db.IdempotencyRecords.CountAsync(),
            figures.Sum(f => f.Value), figures.Sum(f => f.Version));
    }
}
