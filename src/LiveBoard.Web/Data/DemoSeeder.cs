using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>Loads a campaign file into an empty database, as the current campaign: the embedded Tongliao demo on first start.</summary>
public sealed partial class DemoSeeder(IDbContextFactory<LiveBoardDbContext> dbFactory, CampaignImport import, ILogger<DemoSeeder> log)
{
    public const string DemoFile = "Data/Demo/tongliao-2023h1.json";
    public const string SeedAuthor = "demo";

    /// <returns>true when the file was loaded; false when the database already holds a campaign.</returns>
    public async Task<bool> SeedIfEmptyAsync(string path, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            if (await db.Campaigns.AnyAsync(ct)) return false;

        CampaignFile file;
        await using (var stream = File.OpenRead(path))
            file = CampaignFile.Read(stream);

        // The same path as an organiser's import: one set of checks, one way a campaign is written.
        if (await import.CreateAsync(file, CampaignStatus.Active, SeedAuthor, Channels.Seed, ct: ct) is CampaignImportOutcome.Refused refused)
            throw new CampaignFileException(refused.Faults);
        LogLoaded(log, file.Code, path, file.Districts.Count, file.Indicators.Count, file.Sites.Count);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded campaign {Code} from {Path}: {Districts} districts, {Indicators} indicators, {Sites} sites")]
    private static partial void LogLoaded(ILogger logger, string code, string path, int districts, int indicators, int sites);
}
