using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Lotse.Domain.Privacy;
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
        b.Ignore(x => x.ResponseTarget);
        // Existing agencies get the default retention periods when the columns are added.
        b.Property(x => x.InactiveClientDays).HasDefaultValue(RetentionRules.DefaultInactiveClientDays);
        b.Property(x => x.ClosedConversationDays).HasDefaultValue(RetentionRules.DefaultClosedConversationDays);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.FallbackCounsellorId).OnDelete(DeleteBehavior.SetNull);
        b.ComplexProperty(x => x.Support, s =>
        {
            s.Property(p => p.Name).HasMaxLength(200);
            s.Property(p => p.Phone).HasMaxLength(50);
            s.Property(p => p.Hours).HasMaxLength(200);
            s.Property(p => p.Email).HasMaxLength(256);
            s.Property(p => p.Address).HasMaxLength(500);
        });
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(30).HasDefaultValue(FederalState.Berlin);
        b.Property(x => x.ClosedMessage).HasMaxLength(AgencyRules.MaxClosedMessageLength);
        b.Ignore(x => x.IsClosedForNewRequests);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.ClosedPointerAgencyId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AgencyClosingDayConfiguration : IEntityTypeConfiguration<AgencyClosingDay>
{
    public void Configure(EntityTypeBuilder<AgencyClosingDay> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Label).HasMaxLength(AgencyRules.MaxClosingDayLabelLength);
        // One entry per day; the slot planner reads an agency's days from today on.
        b.HasIndex(x => new { x.AgencyId, x.Date }).IsUnique();
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
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
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.PersonalFallbackId).OnDelete(DeleteBehavior.SetNull);
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
        // Retention looks for accounts unused for longer than a period.
        b.HasIndex(x => x.LastActiveUtc);
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
        b.Property(x => x.Topic).IsCounsellingContent(Appointment.MaxTopicLength);
        b.Property(x => x.DeclineReason).IsCounsellingContent(Appointment.MaxReasonLength);
        b.Property(x => x.CancelledBy).HasConversion<string>().HasMaxLength(20);
        b.Ignore(x => x.IsActive);
        // Every state change raises Sequence: a confirm racing a cancel loses cleanly instead of overwriting.
        b.Property(x => x.Sequence).IsConcurrencyToken();
        b.HasIndex(x => new { x.CounsellorId, x.Status, x.EndUtc });
        // No slot is booked twice: at most one active appointment per counsellor and start, whatever the concurrency.
        b.HasIndex(x => new { x.CounsellorId, x.StartUtc })
            .IsUnique()
            .HasFilter("\"Status\" IN ('Requested', 'Confirmed')")
            .HasDatabaseName("UX_Appointments_ActiveSlot");
        b.HasIndex(x => new { x.Status, x.StartUtc });
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

internal sealed class BookingHoursConfiguration : IEntityTypeConfiguration<BookingHours>
{
    public void Configure(EntityTypeBuilder<BookingHours> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Day).HasConversion<int>();
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => x.CounsellorId);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BookingBlockConfiguration : IEntityTypeConfiguration<BookingBlock>
{
    public void Configure(EntityTypeBuilder<BookingBlock> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.CounsellorId, x.Date });
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.Email).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.UserId, x.CreatedUtc });
        b.HasIndex(x => new { x.Email, x.NextAttemptUtc });
        b.HasOne<IdentityUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Appointment>().WithMany().HasForeignKey(x => x.AppointmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<MailThread>().WithMany().HasForeignKey(x => x.MailThreadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.HasKey(x => x.Id);
        b.Ignore(x => x.IsClosed);
        // Not (CounsellorId, LastMessageUtc): every stored chat message sets LastMessageUtc, and an indexed column makes
        // each of those updates write a new entry into every index of the table (PostgreSQL's HOT update needs the
        // changed columns unindexed). A counsellor's list sorts their own conversations, a few hundred at most.
        b.HasIndex(x => x.CounsellorId);
        b.HasIndex(x => new { x.ClientId, x.CounsellorId });
        b.HasIndex(x => x.ClosedUtc);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Sender).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Body).IsCounsellingContent(ChatMessage.MaxLength);
        // A retried send carries the same id: the database, not the hub, guarantees it is stored once.
        b.HasIndex(x => new { x.ConversationId, x.Sender, x.ClientMessageId }).IsUnique();
        b.HasIndex(x => new { x.ConversationId, x.Id });
        b.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MailThreadConfiguration : IEntityTypeConfiguration<MailThread>
{
    public void Configure(EntityTypeBuilder<MailThread> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Subject).IsCounsellingContent(MailThread.MaxSubjectLength);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RouteKind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RouteReason).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.QueueCause).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.IsOpenRequest);
        b.Ignore(x => x.IsClosed);
        b.Ignore(x => x.IsInQueue);

        // Counting a counsellor's open requests (capacity) and their inbox; the agency's queue; the client's list.
        b.HasIndex(x => new { x.CounsellorId, x.State });
        b.HasIndex(x => new { x.AgencyId, x.CounsellorId, x.CreatedUtc });
        b.HasIndex(x => new { x.ClientId, x.LastMessageUtc });
        // A repeated submit of the same request form finds the thread it already created.
        b.HasIndex(x => new { x.ClientId, x.RequestKey }).IsUnique();
        // Retention deletes threads closed before a cutoff, per agency.
        b.HasIndex(x => new { x.AgencyId, x.ClosedUtc });
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.CounsellorId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.AddressedCounsellorId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Counsellor>().WithMany().HasForeignKey(x => x.ForwardedFromId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class MailMessageConfiguration : IEntityTypeConfiguration<MailMessage>
{
    public void Configure(EntityTypeBuilder<MailMessage> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Sender).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Body).IsCounsellingContent(MailMessage.MaxLength);
        b.HasIndex(x => new { x.ThreadId, x.RequestKey }).IsUnique();
        b.HasIndex(x => new { x.ThreadId, x.Id });
        b.HasOne<MailThread>().WithMany().HasForeignKey(x => x.ThreadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CounsellorInvitationConfiguration : IEntityTypeConfiguration<CounsellorInvitation>
{
    public void Configure(EntityTypeBuilder<CounsellorInvitation> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.HasIndex(x => new { x.AgencyId, x.CreatedUtc });
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Email).HasMaxLength(CounsellorInvitation.MaxEmailLength);
        b.Property(x => x.DisplayName).HasMaxLength(CounsellorInvitation.MaxNameLength);
        b.Property(x => x.TokenHash).HasMaxLength(64);
        b.Property(x => x.InvitedByUserId).HasMaxLength(450);
    }
}
