using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>Loads a campaign file into an empty database: the embedded Tongliao demo on first start.</summary>
public sealed partial class DemoSeeder(IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock, ILogger<DemoSeeder> log)
{
    public const string DemoFile = "Data/Demo/tongliao-2023h1.json";
    public const string SeedAuthor = "demo";

    /// <returns>true when the file was loaded; false when the database already holds a campaign.</returns>
    public async Task<bool> SeedIfEmptyAsync(string path, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Campaigns.AnyAsync(ct)) return false;

        CampaignFile file;
        await using (var stream = File.OpenRead(path))
            file = CampaignFile.Read(stream);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var campaign = file.ToCampaign();
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);

        var districts = campaign.Districts.ToDictionary(d => d.Code);
        var indicators = campaign.Indicators.ToDictionary(i => i.Code);
        var groups = campaign.TouringGroups.ToDictionary(g => g.Code);

        foreach (var s in file.Sites)
        {
            db.Sites.Add(new Site
            {
                CampaignId = campaign.Id, DistrictId = districts[s.District].Id, TouringGroupId = groups[s.Group].Id,
                Day = s.Day, RouteOrder = s.Order, Name = s.Name, NameEn = s.NameEn,
                PlannedInvestment = s.PlannedInvestment, CompletedInvestment = s.CompletedInvestment,
                Status = s.Status, Description = s.Description,
            });
        }

        var now = clock.GetUtcNow();
        var figures = new List<Figure>();
        foreach (var (districtCode, values) in file.Figures)
            foreach (var (indicatorCode, value) in values)
                figures.Add(new Figure
                {
                    CampaignId = campaign.Id, DistrictId = districts[districtCode].Id, IndicatorId = indicators[indicatorCode].Id,
                    Value = value, Version = 1, UpdatedAt = now, UpdatedBy = SeedAuthor,
                });
        db.Figures.AddRange(figures);
        await db.SaveChangesAsync(ct);

        // The starting figures enter the history like any other change, so every figure's story starts somewhere.
        db.FigureRevisions.AddRange(figures.Select(f => new FigureRevision
        {
            FigureId = f.Id, CampaignId = f.CampaignId, DistrictId = f.DistrictId, IndicatorId = f.IndicatorId,
            OldValue = null, NewValue = f.Value, Version = 1, ChangedAt = now, ChangedBy = SeedAuthor,
            Reason = "演示数据初始值", Channel = Channels.Seed,
        }));

        if (file.ToPreviousSnapshot() is { } previous)
        {
            db.PublishedRankings.Add(new PublishedRanking
            {
                CampaignId = campaign.Id, Label = file.PreviousRanking!.Label, LabelEn = file.PreviousRanking.LabelEn,
                TakenAt = previous.TakenAt, PublishedBy = SeedAuthor, Version = 1,
                Document = System.Text.Json.JsonSerializer.Serialize(new { label = file.PreviousRanking.Label, ranks = previous.Ranks }),
                Entries = previous.Ranks.Select(r => new PublishedRankingEntry { DistrictCode = r.Key, Rank = r.Value }).ToList(),
            });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogLoaded(log, campaign.Code, path, campaign.Districts.Count, campaign.Indicators.Count, file.Sites.Count);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded campaign {Code} from {Path}: {Districts} districts, {Indicators} indicators, {Sites} sites")]
    private static partial void LogLoaded(ILogger logger, string code, string path, int districts, int indicators, int sites);
}
