using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>One campaign in the list an organiser sees.</summary>
public sealed record CampaignSummary(int Id, string Code, string Name, string NameEn, string City, string CityEn, DateOnly StartDate, DateOnly EndDate, CampaignStatus Status);

/// <summary>A ranking announced in a campaign, as its archive lists it.</summary>
public sealed record ArchivedPublication(int Version, string Label, string LabelEn, DateTimeOffset TakenAt, string PublishedBy, DateOnly? Day);

public enum ActivationOutcome
{
    Activated,
    /// <summary>The draft lacks what a running campaign needs (districts, a weighted indicator…): see the faults.</summary>
    Incomplete,
    AlreadyCurrent,
    NotFound,
    /// <summary>A closed campaign stays in the archive; it is never current again.</summary>
    Closed,
}

/// <summary>
/// Draft → active → closed. Making a campaign current closes the one current before, in one transaction with its audit
/// row, and then announces it on the change feed: the standings room reloads and every open screen follows.
/// </summary>
public sealed class CampaignLifecycle(IDbContextFactory<LiveBoardDbContext> dbFactory, CampaignImport import, IChangeFeed feed, TimeProvider clock,
    CampaignClock campaignClock)
{
    /// <summary>What keeps a campaign from becoming current: the faults of its file when checked as complete.</summary>
    public async Task<IReadOnlyList<CampaignFault>> MissingForActivationAsync(int id, CancellationToken ct = default) =>
        await import.ExportAsync(id, ct) is { } file ? file.Validate(complete: true) : [];

    public async Task<IReadOnlyList<CampaignSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Campaigns.AsNoTracking()
            .Select(c => new CampaignSummary(c.Id, c.Code, c.Name, c.NameEn, c.City, c.CityEn, c.StartDate, c.EndDate, c.Status))
            .ToListAsync(ct);
        // Current first, then drafts being prepared, then the archive; newest first within each.
        return all.OrderBy(c => c.Status switch { CampaignStatus.Active => 0, CampaignStatus.Draft => 1, _ => 2 })
            .ThenByDescending(c => c.StartDate).ThenByDescending(c => c.Id).ToList();
    }

    /// <summary>The rankings announced in a campaign, newest first: what its archive shows once it is closed.</summary>
    public async Task<IReadOnlyList<ArchivedPublication>> PublicationsAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PublishedRankings.AsNoTracking().Where(p => p.CampaignId == id).OrderByDescending(p => p.Version)
            .Select(p => new ArchivedPublication(p.Version, p.Label, p.LabelEn, p.TakenAt, p.PublishedBy, p.Day)).ToListAsync(ct);
    }

    public async Task<ActivationOutcome> ActivateAsync(int id, string by, string channel, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return ActivationOutcome.NotFound;
        if (campaign.Status == CampaignStatus.Closed) return ActivationOutcome.Closed;
        if (campaign.Status == CampaignStatus.Draft && (await MissingForActivationAsync(id, ct)).Count > 0) return ActivationOutcome.Incomplete;
        var previous = await db.Campaigns.Current().FirstOrDefaultAsync(ct);
        if (previous?.Id == id && campaign.Status == CampaignStatus.Active
            && !await db.Campaigns.AnyAsync(c => c.Status == CampaignStatus.Active && c.Id != id, ct))
            return ActivationOutcome.AlreadyCurrent;

        // Every other active row, not only the current one: a database from before the lifecycle may hold several.
        foreach (var other in await db.Campaigns.Where(c => c.Status == CampaignStatus.Active && c.Id != id).ToListAsync(ct))
            other.Status = CampaignStatus.Closed;
        campaign.Status = CampaignStatus.Active;
        var now = clock.GetUtcNow();
        db.AuditEvents.Add(AuditLog.Event(CampaignAudit.Activated, by, channel, null, now,
            new { campaign = campaign.Code, old = previous?.Code, @new = campaign.Code, closed = previous?.Code }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // This instance's clock at once (the answer to the organiser already shows the new zone); other instances' at
        // their next standings load, which the event below starts.
        campaignClock.Follow(campaign);
        await feed.PublishAsync(new CampaignActivated(campaign.Id, previous?.Id == id ? null : previous?.Id, by, now), ct);
        return ActivationOutcome.Activated;
    }
}

public static class CampaignRegistrations
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddSingleton<CampaignImport>();
        services.AddSingleton<CampaignLifecycle>();
        services.AddSingleton<CampaignWeights>();
        return services;
    }
}
