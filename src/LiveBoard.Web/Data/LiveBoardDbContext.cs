using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Reporting;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using LiveBoard.Web.Features.Display;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveBoard.Web.Data;

/// <summary>The one database: campaign data, figures and their history, accounts (ASP.NET Core Identity) and the audit.</summary>
public sealed class LiveBoardDbContext(DbContextOptions<LiveBoardDbContext> options) : IdentityDbContext<LiveBoardUser>(options)
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<District> Districts => Set<District>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<TouringGroup> TouringGroups => Set<TouringGroup>();
    public DbSet<CampaignDay> CampaignDays => Set<CampaignDay>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Figure> Figures => Set<Figure>();
    public DbSet<FigureRevision> FigureRevisions => Set<FigureRevision>();
    public DbSet<PublishedRanking> PublishedRankings => Set<PublishedRanking>();
    public DbSet<PublishedRankingEntry> PublishedRankingEntries => Set<PublishedRankingEntry>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<SiteScoreSheet> SiteScoreSheets => Set<SiteScoreSheet>();
    public DbSet<SiteVisit> SiteVisits => Set<SiteVisit>();
    public DbSet<ScoringClosure> ScoringClosures => Set<ScoringClosure>();
    public DbSet<DistrictGrade> DistrictGrades => Set<DistrictGrade>();
    public DbSet<InspectionSettings> InspectionSettings => Set<InspectionSettings>();

    // History is evidence: no code path may change or remove a revision or an audit row once written.
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        RefuseHistoryEdits();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseHistoryEdits();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void RefuseHistoryEdits()
    {
        // A published ranking is what was announced at a meeting: it is never corrected, only superseded by the next version.
        if (ChangeTracker.Entries().FirstOrDefault(e => e.Entity is FigureRevision or AuditEvent or PublishedRanking or PublishedRankingEntry
                && e.State is EntityState.Modified or EntityState.Deleted) is { } entry)
            throw new InvalidOperationException($"{entry.Entity.GetType().Name} rows are append-only.");
    }
    public DbSet<Screen> Screens => Set<Screen>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no native DateTimeOffset; stored as a sortable integer so time filters run in SQL.
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        // Enums as text: the database stays readable to an organiser with a SQLite browser.
        builder.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<LiveBoardUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.DistrictCode).HasMaxLength(64);
            e.Property(u => u.TouringGroupCode).HasMaxLength(64);
        });
        model.Entity<AuditEvent>(e =>
        {
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.UserName);
        });
        model.Entity<IdempotencyRecord>().HasIndex(r => new { r.UserName, r.Key }).IsUnique();
        model.Entity<Campaign>(e =>
        {
            e.HasIndex(c => c.Code).IsUnique();
            e.HasMany(c => c.Districts).WithOne().HasForeignKey(d => d.CampaignId);
            e.HasMany(c => c.Indicators).WithOne().HasForeignKey(i => i.CampaignId);
            e.HasMany(c => c.TouringGroups).WithOne().HasForeignKey(g => g.CampaignId);
            e.HasMany(c => c.Days).WithOne().HasForeignKey(d => d.CampaignId);
            e.HasMany(c => c.Sites).WithOne().HasForeignKey(s => s.CampaignId);
        });
        model.Entity<District>().HasIndex(d => new { d.CampaignId, d.Code }).IsUnique();
        model.Entity<Indicator>().HasIndex(i => new { i.CampaignId, i.Code }).IsUnique();
        model.Entity<Indicator>().Ignore(i => i.IsRanked);
        model.Entity<TouringGroup>().HasIndex(g => new { g.CampaignId, g.Code }).IsUnique();
        model.Entity<CampaignDay>().HasIndex(d => new { d.CampaignId, d.Date }).IsUnique();
        model.Entity<Site>(e =>
        {
            e.HasOne<District>().WithMany().HasForeignKey(s => s.DistrictId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<TouringGroup>().WithMany().HasForeignKey(s => s.TouringGroupId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<Figure>(e =>
        {
            e.HasIndex(f => new { f.CampaignId, f.DistrictId, f.IndicatorId }).IsUnique();
            e.HasOne<Campaign>().WithMany().HasForeignKey(f => f.CampaignId);
            e.HasOne<District>().WithMany().HasForeignKey(f => f.DistrictId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Indicator>().WithMany().HasForeignKey(f => f.IndicatorId).OnDelete(DeleteBehavior.Restrict);
            // The version is the optimistic concurrency token: an UPDATE from a stale version touches no row.
            e.Property(f => f.Version).IsConcurrencyToken();
        });
        model.Entity<FigureRevision>(e =>
        {
            e.HasIndex(r => new { r.FigureId, r.Version }).IsUnique();
            e.HasIndex(r => r.ChangedAt);
            e.HasIndex(r => r.RequestId);
            e.HasOne<Figure>().WithMany().HasForeignKey(r => r.FigureId).OnDelete(DeleteBehavior.Restrict);
        });
        model.ConfigureInspection();
        model.Entity<PublishedRanking>(e =>
        {
            e.HasOne<Campaign>().WithMany().HasForeignKey(p => p.CampaignId);
            e.HasMany(p => p.Entries).WithOne().HasForeignKey(x => x.PublishedRankingId);
            e.HasIndex(p => new { p.CampaignId, p.TakenAt });
            e.HasIndex(p => new { p.CampaignId, p.Version }).IsUnique();
            e.Property(p => p.Note).HasMaxLength(1000);
        });
        model.Entity<Screen>(e =>
        {
            e.HasIndex(s => s.Slug).IsUnique();
            e.HasIndex(s => s.KeyHash);
            e.Ignore(s => s.IsRevoked);
        });
    }
}

/// <summary>A composite ranking as announced (at a review meeting, or the last bulletin before the campaign).</summary>
public sealed class PublishedRanking
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public required string Label { get; set; }
    public required string LabelEn { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public required string PublishedBy { get; set; }
    /// <summary>1, 2, 3 … per campaign, in publication order; unique, so two organisers publishing at once cannot share one.</summary>
    public int Version { get; set; }
    /// <summary>The campaign day the ranking was announced for (null for a ranking from before the campaign).</summary>
    public DateOnly? Day { get; set; }
    public string Note { get; set; } = "";
    /// <summary>
    /// Everything the ranking was computed from and the result, as canonical JSON (see PublicationService). Served
    /// byte for byte as stored: the announced ranking can always be re-checked against its inputs.
    /// </summary>
    public string Document { get; set; } = "";
    public List<PublishedRankingEntry> Entries { get; set; } = [];
}

public sealed class PublishedRankingEntry
{
    public int Id { get; set; }
    public int PublishedRankingId { get; set; }
    public required string DistrictCode { get; set; }
    public int Rank { get; set; }
    public decimal? Score { get; set; }
}
