using System.Text.Json;
using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveBoard.Web.Data;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> e)
    {
        e.HasIndex(c => c.Code).IsUnique();
        e.Property(c => c.TimeZone).HasMaxLength(64).HasDefaultValue(Campaign.DefaultTimeZone);
        // No model default: a draft (the CLR default) must be stored as a draft. The migration that added the column
        // marks campaigns from before the lifecycle active, so the latest-starting one stays current.
        e.Property(c => c.Status).HasMaxLength(16);
        e.HasIndex(c => c.Status);
        e.Ignore(c => c.WeightsVersion);
        e.HasMany(c => c.Districts).WithOne().HasForeignKey(d => d.CampaignId);
        e.HasMany(c => c.Indicators).WithOne().HasForeignKey(i => i.CampaignId);
        e.HasMany(c => c.TouringGroups).WithOne().HasForeignKey(g => g.CampaignId);
        e.HasMany(c => c.Days).WithOne().HasForeignKey(d => d.CampaignId);
        e.HasMany(c => c.Sites).WithOne().HasForeignKey(s => s.CampaignId);
    }
}

internal sealed class DistrictConfiguration : IEntityTypeConfiguration<District>
{
    public void Configure(EntityTypeBuilder<District> e)
    {
        e.HasIndex(d => new { d.CampaignId, d.Code }).IsUnique();
        e.Property(d => d.ShortName).HasMaxLength(32);
        e.Property(d => d.ShortNameEn).HasMaxLength(32);
    }
}

internal sealed class IndicatorConfiguration : IEntityTypeConfiguration<Indicator>
{
    public void Configure(EntityTypeBuilder<Indicator> e)
    {
        e.HasIndex(i => new { i.CampaignId, i.Code }).IsUnique();
        e.Ignore(i => i.IsRanked);
        // Set only on the synthetic inspection/grade components of the standings, which are never stored.
        e.Ignore(i => i.ExcludeWhenMissing);
        // A few districts' own targets, read and written with their indicator: one JSON column, not a table of its own.
        // A row from before the column reads as none set.
        e.Property(i => i.DistrictTargets)
            .HasConversion(t => DistrictTargetsJson.Write(t), json => DistrictTargetsJson.Read(json),
                new ValueComparer<Dictionary<string, decimal>>(
                    (a, b) => a!.Count == b!.Count && a.All(kv => b.ContainsKey(kv.Key) && b[kv.Key] == kv.Value),
                    t => t.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    t => new Dictionary<string, decimal>(t, StringComparer.Ordinal)))
            .IsRequired();
    }
}

/// <summary>An indicator's district targets as the JSON its column holds.</summary>
internal static class DistrictTargetsJson
{
    public static string Write(Dictionary<string, decimal> targets) => JsonSerializer.Serialize(targets);

    public static Dictionary<string, decimal> Read(string json) => string.IsNullOrEmpty(json)
        ? new Dictionary<string, decimal>(StringComparer.Ordinal)
        : new Dictionary<string, decimal>(JsonSerializer.Deserialize<Dictionary<string, decimal>>(json)!, StringComparer.Ordinal);
}

internal sealed class TouringGroupConfiguration : IEntityTypeConfiguration<TouringGroup>
{
    public void Configure(EntityTypeBuilder<TouringGroup> e) => e.HasIndex(g => new { g.CampaignId, g.Code }).IsUnique();
}

internal sealed class CampaignDayConfiguration : IEntityTypeConfiguration<CampaignDay>
{
    public void Configure(EntityTypeBuilder<CampaignDay> e) => e.HasIndex(d => new { d.CampaignId, d.Date }).IsUnique();
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> e)
    {
        e.HasOne<District>().WithMany().HasForeignKey(s => s.DistrictId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<TouringGroup>().WithMany().HasForeignKey(s => s.TouringGroupId).OnDelete(DeleteBehavior.Restrict);
        // One site per stop of a group's route: two organisers (on two instances) filling one slot cannot both succeed.
        e.HasIndex(s => new { s.TouringGroupId, s.Day, s.RouteOrder }).IsUnique();
        e.Property(s => s.Address).HasMaxLength(200);
        // Two instances changing one site at once: the database refuses the second UPDATE of the version both read.
        e.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class WeightsVersionConfiguration : IEntityTypeConfiguration<WeightsVersion>
{
    public void Configure(EntityTypeBuilder<WeightsVersion> e)
    {
        e.HasOne<Campaign>().WithMany().HasForeignKey(v => v.CampaignId);
        // Two organisers saving at once cannot make the same version.
        e.HasIndex(v => new { v.CampaignId, v.Version }).IsUnique();
        e.Property(v => v.ChangedBy).HasMaxLength(256);
        e.Property(v => v.Reason).HasMaxLength(1000);
    }
}
