using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lotse.Web.Data;

internal sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(200);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.FallbackCounsellorId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AgencyMembershipConfiguration : IEntityTypeConfiguration<AgencyMembership>
{
    public void Configure(EntityTypeBuilder<AgencyMembership> b)
    {
        b.HasKey(x => new { x.AgencyId, x.UserId });
        b.HasIndex(x => x.UserId);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CounsellorConfiguration : IEntityTypeConfiguration<Counsellor>
{
    public void Configure(EntityTypeBuilder<Counsellor> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.Property(x => x.ChatMode).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.MailMode).HasConversion<string>().HasMaxLength(20);
        b.Ignore(x => x.Status);
    }
}

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Nickname).HasMaxLength(64);
    }
}

internal sealed class CounsellingRelationConfiguration : IEntityTypeConfiguration<CounsellingRelation>
{
    public void Configure(EntityTypeBuilder<CounsellingRelation> b)
    {
        b.HasKey(x => new { x.CounsellorId, x.ClientId });
        b.HasIndex(x => x.ClientId);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<Appointment> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Topic).HasMaxLength(200);
        b.HasIndex(x => new { x.CounsellorId, x.Status, x.EndUtc });
        b.HasIndex(x => new { x.ClientId, x.StartUtc });
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AbsenceConfiguration : IEntityTypeConfiguration<Absence>
{
    public void Configure(EntityTypeBuilder<Absence> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Note).HasMaxLength(Absence.MaxNoteLength);
        b.Property(x => x.CreatedBy).HasMaxLength(200);
        b.HasIndex(x => new { x.CounsellorId, x.EndUtc });
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
    }
}
