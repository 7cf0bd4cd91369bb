using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveBoard.Web.Data;

/// <summary>
/// The one database: campaign data, figures and their history, the inspection week's records, screens, publications,
/// accounts (ASP.NET Core Identity) and the audit. Each entity's mapping is its own IEntityTypeConfiguration in
/// Data/Configurations. On PostgreSQL the context is a <see cref="PostgreSqlLiveBoardDbContext"/>, which carries that
/// engine's migrations.
/// </summary>
public class LiveBoardDbContext(DbContextOptions<LiveBoardDbContext> options) : IdentityDbContext<LiveBoardUser>(options), IDataProtectionKeyContext
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
    public DbSet<Screen> Screens => Set<Screen>();
    public DbSet<WeightsVersion> WeightsVersions => Set<WeightsVersion>();
    /// <summary>The keys that protect cookies and tokens, shared so that every instance accepts what another issued.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<MeetingRecord> Meetings => Set<MeetingRecord>();
    public DbSet<ScreenPresenceRecord> ScreenPresences => Set<ScreenPresenceRecord>();

    // History is evidence: no code path may change or remove a revision or an audit row once written.
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseHistoryEdits();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseHistoryEdits();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void RefuseHistoryEdits()
    {
        // A published ranking is what was announced at a meeting: it is never corrected, only superseded by the next version;
        // nor are the weights versions it names.
        if (ChangeTracker.Entries().FirstOrDefault(e => e.Entity is FigureRevision or AuditEvent or PublishedRanking or PublishedRankingEntry or WeightsVersion
                && e.State is EntityState.Modified or EntityState.Deleted) is { } entry)
            throw new InvalidOperationException($"{entry.Entity.GetType().Name} rows are append-only.");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native DateTimeOffset; stored as a sortable integer so time filters run in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        // Enums as text: the database stays readable to an organiser with a SQLite browser.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LiveBoardDbContext).Assembly);
    }
}
