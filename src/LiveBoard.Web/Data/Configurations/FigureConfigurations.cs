using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveBoard.Web.Data;

internal sealed class FigureConfiguration : IEntityTypeConfiguration<Figure>
{
    public void Configure(EntityTypeBuilder<Figure> e)
    {
        e.HasIndex(f => new { f.CampaignId, f.DistrictId, f.IndicatorId }).IsUnique();
        e.HasOne<Campaign>().WithMany().HasForeignKey(f => f.CampaignId);
        e.HasOne<District>().WithMany().HasForeignKey(f => f.DistrictId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Indicator>().WithMany().HasForeignKey(f => f.IndicatorId).OnDelete(DeleteBehavior.Restrict);
        // The version is the optimistic concurrency token: an UPDATE from a stale version touches no row.
        e.Property(f => f.Version).IsConcurrencyToken();
    }
}

internal sealed class FigureRevisionConfiguration : IEntityTypeConfiguration<FigureRevision>
{
    public void Configure(EntityTypeBuilder<FigureRevision> e)
    {
        e.HasIndex(r => new { r.FigureId, r.Version }).IsUnique();
        e.HasIndex(r => r.ChangedAt);
        e.HasIndex(r => r.RequestId);
        // An IPv6 address with a zone fits in 64.
        e.Property(r => r.ClientAddress).HasMaxLength(64);
        e.HasOne<Figure>().WithMany().HasForeignKey(r => r.FigureId).OnDelete(DeleteBehavior.Restrict);
    }
}
