using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveBoard.Web.Data;

internal sealed class LiveBoardUserConfiguration : IEntityTypeConfiguration<LiveBoardUser>
{
    public void Configure(EntityTypeBuilder<LiveBoardUser> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(100);
        e.Property(u => u.DistrictCode).HasMaxLength(64);
        e.Property(u => u.TouringGroupCode).HasMaxLength(64);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.HasIndex(a => a.At);
        e.HasIndex(a => a.UserName);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    // User and key lead, as every lookup names both (IdempotencyKeys); the scope makes one key on two endpoints two requests.
    public void Configure(EntityTypeBuilder<IdempotencyRecord> e) => e.HasIndex(r => new { r.UserName, r.Key, r.Scope }).IsUnique();
}

internal sealed class PublishedRankingConfiguration : IEntityTypeConfiguration<PublishedRanking>
{
    public void Configure(EntityTypeBuilder<PublishedRanking> e)
    {
        e.HasOne<Campaign>().WithMany().HasForeignKey(p => p.CampaignId);
        e.HasMany(p => p.Entries).WithOne().HasForeignKey(x => x.PublishedRankingId);
        e.HasIndex(p => new { p.CampaignId, p.TakenAt });
        e.HasIndex(p => new { p.CampaignId, p.Version }).IsUnique();
        e.Property(p => p.Note).HasMaxLength(1000);
    }
}

internal sealed class ScreenConfiguration : IEntityTypeConfiguration<Screen>
{
    public void Configure(EntityTypeBuilder<Screen> e)
    {
        e.HasIndex(s => s.Slug).IsUnique();
        e.HasIndex(s => s.KeyHash);
        e.Ignore(s => s.IsRevoked);
    }
}
