using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveBoard.Web.Data;

internal sealed class MeetingRecordConfiguration : IEntityTypeConfiguration<MeetingRecord>
{
    public void Configure(EntityTypeBuilder<MeetingRecord> e)
    {
        e.HasKey(m => m.Day);
        e.Property(m => m.Presenter).HasMaxLength(256);
        e.Property(m => m.PresenterSession).HasMaxLength(128);
        e.Property(m => m.Version).IsConcurrencyToken();
    }
}

internal sealed class ScreenPresenceRecordConfiguration : IEntityTypeConfiguration<ScreenPresenceRecord>
{
    public void Configure(EntityTypeBuilder<ScreenPresenceRecord> e)
    {
        e.Property(p => p.Id).HasMaxLength(128);
        e.Property(p => p.Slug).HasMaxLength(64);
        e.Property(p => p.Panel).HasMaxLength(32);
        e.Property(p => p.Instance).HasMaxLength(128);
        e.HasIndex(p => p.LastHeartbeat);
    }
}
