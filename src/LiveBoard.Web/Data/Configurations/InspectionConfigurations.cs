using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveBoard.Web.Data;

internal sealed class SiteScoreSheetConfiguration : IEntityTypeConfiguration<SiteScoreSheet>
{
    public void Configure(EntityTypeBuilder<SiteScoreSheet> e)
    {
        // One sheet per observer and site: a second submission changes it (new version), never adds a vote.
        e.HasIndex(s => new { s.SiteId, s.Observer }).IsUnique();
        e.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
        e.Property(s => s.Observer).HasMaxLength(256);
        e.Property(s => s.Gaps).HasMaxLength(2000);
        e.Property(s => s.Highlights).HasMaxLength(2000);
        e.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class SiteVisitConfiguration : IEntityTypeConfiguration<SiteVisit>
{
    public void Configure(EntityTypeBuilder<SiteVisit> e)
    {
        e.HasIndex(v => v.SiteId);
        e.HasOne<Site>().WithMany().HasForeignKey(v => v.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ScoringClosureConfiguration : IEntityTypeConfiguration<ScoringClosure>
{
    public void Configure(EntityTypeBuilder<ScoringClosure> e)
    {
        e.HasKey(c => c.SiteId);
        e.HasOne<Site>().WithMany().HasForeignKey(c => c.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DistrictGradeConfiguration : IEntityTypeConfiguration<DistrictGrade>
{
    public void Configure(EntityTypeBuilder<DistrictGrade> e)
    {
        e.HasIndex(g => new { g.CampaignId, g.DistrictId, g.IndicatorId, g.Quarter }).IsUnique();
        e.HasOne<District>().WithMany().HasForeignKey(g => g.DistrictId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Indicator>().WithMany().HasForeignKey(g => g.IndicatorId).OnDelete(DeleteBehavior.Restrict);
        e.Property(g => g.Quarter).HasMaxLength(6);
        e.Property(g => g.Remark).HasMaxLength(500);
        e.Property(g => g.Version).IsConcurrencyToken();
    }
}

internal sealed class InspectionSettingsConfiguration : IEntityTypeConfiguration<InspectionSettings>
{
    public void Configure(EntityTypeBuilder<InspectionSettings> e)
    {
        e.HasKey(s => s.CampaignId);
        e.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId);
    }
}
