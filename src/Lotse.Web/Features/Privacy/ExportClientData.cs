using System.Text.Json;
using System.Text.Json.Serialization;
using Lotse.Web.Data;
using Lotse.Web.Features.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Privacy;

public sealed record ClientExport(
    string About,
    DateTime ExportedUtc,
    ExportedAccount Account,
    IReadOnlyList<ExportedMailThread> MailThreads,
    IReadOnlyList<ExportedChat> Chats,
    IReadOnlyList<ExportedAppointment> Appointments,
    IReadOnlyList<ExportedNotification> Notifications,
    IReadOnlyList<ExportedCounsellor> Counsellors);

public sealed record ExportedAccount(string Nickname, string? Email, DateTime CreatedUtc, DateTime LastActiveUtc);

/// <param name="Sender">"Client" (the person exporting) or "Counsellor".</param>
public sealed record ExportedMessage(DateTime SentUtc, string Sender, string Text);

/// <param name="Counsellor">Who answers; null while the request waits in the agency's queue.</param>
public sealed record ExportedMailThread(
    Guid Id,
    string Subject,
    string State,
    string Agency,
    string? Counsellor,
    DateTime CreatedUtc,
    DateTime? ClosedUtc,
    IReadOnlyList<ExportedMessage> Messages);

public sealed record ExportedChat(Guid Id, string Counsellor, DateTime StartedUtc, DateTime? ClosedUtc, IReadOnlyList<ExportedMessage> Messages);

public sealed record ExportedAppointment(
    string Counsellor,
    string Channel,
    DateTime StartUtc,
    DateTime EndUtc,
    string State,
    string? Topic,
    string? DeclineReason,
    string? CancelledBy);

public sealed record ExportedNotification(DateTime CreatedUtc, DateTime? ReadUtc, string Text);

/// <param name="IsRegularClient">The counsellor marked the person as their Stammklient:in.</param>
public sealed record ExportedCounsellor(string Counsellor, DateTime SinceUtc, bool IsRegularClient);

/// <summary>
/// Everything Lotse holds about one advice seeker, as the JSON file "Meine Daten" hands out (GDPR Art. 15 and 20):
/// account, mail threads with every message, chats with every message, appointments, notifications and the counsellors
/// they are in contact with. Message texts are read through <see cref="ClientContentReader"/>. Times are UTC (ISO 8601).
/// </summary>
public sealed class ExportClientData(LotseDb db, ClientContentReader content, NotificationTexts texts, TimeProvider clock, IStringLocalizer<SharedResource> t)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<ClientExport?> BuildAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var account = await (
                from c in db.Clients.AsNoTracking()
                where c.Id == clientId
                join u in db.Users.AsNoTracking() on c.UserId equals u.Id
                select new { c.UserId, c.Nickname, u.Email, c.CreatedUtc, c.LastActiveUtc })
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var counsellorNames = await db.Counsellors.AsNoTracking().Select(c => new { c.Id, c.DisplayName }).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        string? Name(Guid? id) => id is { } value ? counsellorNames.GetValueOrDefault(value) : null;

        return new ClientExport(
            t["Alle Daten, die Lotse über Sie gespeichert hat. Zeiten in UTC."],
            clock.GetUtcNow().UtcDateTime,
            new ExportedAccount(account.Nickname, string.IsNullOrEmpty(account.Email) ? null : account.Email, account.CreatedUtc, account.LastActiveUtc),
            await MailThreadsAsync(clientId, Name, cancellationToken),
            await ChatsAsync(clientId, Name, cancellationToken),
            await AppointmentsAsync(clientId, Name, cancellationToken),
            await NotificationsAsync(account.UserId, cancellationToken),
            (await db.CounsellingRelations.AsNoTracking().Where(r => r.ClientId == clientId).OrderBy(r => r.SinceUtc).ToListAsync(cancellationToken))
                .Select(r => new ExportedCounsellor(Name(r.CounsellorId) ?? "", r.SinceUtc, r.IsRegularClient))
                .ToList());
    }

    private async Task<List<ExportedMailThread>> MailThreadsAsync(Guid clientId, Func<Guid?, string?> name, CancellationToken cancellationToken)
    {
        var threads = await db.MailThreads.AsNoTracking().Where(x => x.ClientId == clientId).OrderBy(x => x.CreatedUtc).ToListAsync(cancellationToken);
        var ids = threads.Select(x => x.Id).ToList();
        var messages = (await db.MailMessages.AsNoTracking().Where(m => ids.Contains(m.ThreadId)).OrderBy(m => m.Id).ToListAsync(cancellationToken))
            .ToLookup(m => m.ThreadId);
        var agencies = await db.Agencies.AsNoTracking().Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        return threads.Select(x => new ExportedMailThread(
                x.Id,
                x.Subject,
                x.State.ToString(),
                agencies.GetValueOrDefault(x.AgencyId) ?? "",
                name(x.CounsellorId),
                x.CreatedUtc,
                x.ClosedUtc,
                messages[x.Id].Select(m => new ExportedMessage(m.SentUtc, m.Sender.ToString(), content.Body(m))).ToList()))
            .ToList();
    }

    private async Task<List<ExportedChat>> ChatsAsync(Guid clientId, Func<Guid?, string?> name, CancellationToken cancellationToken)
    {
        var conversations = await db.Conversations.AsNoTracking().Where(x => x.ClientId == clientId).OrderBy(x => x.CreatedUtc).ToListAsync(cancellationToken);
        var ids = conversations.Select(x => x.Id).ToList();
        var messages = (await db.ChatMessages.AsNoTracking().Where(m => ids.Contains(m.ConversationId)).OrderBy(m => m.Id).ToListAsync(cancellationToken))
            .ToLookup(m => m.ConversationId);
        return conversations.Select(x => new ExportedChat(
                x.Id,
                name(x.CounsellorId) ?? "",
                x.CreatedUtc,
                x.ClosedUtc,
                messages[x.Id].Select(m => new ExportedMessage(m.SentUtc, m.Sender.ToString(), content.Body(m))).ToList()))
            .ToList();
    }

    private async Task<List<ExportedAppointment>> AppointmentsAsync(Guid clientId, Func<Guid?, string?> name, CancellationToken cancellationToken) =>
        (await db.Appointments.AsNoTracking().Where(a => a.ClientId == clientId).OrderBy(a => a.StartUtc).ToListAsync(cancellationToken))
            .Select(a => new ExportedAppointment(
                name(a.CounsellorId) ?? "",
                a.Channel.ToString(),
                a.StartUtc,
                a.EndUtc,
                a.Status.ToString(),
                a.Topic,
                a.DeclineReason,
                a.CancelledBy?.ToString()))
            .ToList();

    private async Task<List<ExportedNotification>> NotificationsAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await (
                from n in db.Notifications.AsNoTracking()
                where n.UserId == userId
                join a in db.Appointments.AsNoTracking() on n.AppointmentId equals a.Id into appointments
                from a in appointments.DefaultIfEmpty()
                join c in db.Counsellors.AsNoTracking() on a.CounsellorId equals c.Id into counsellors
                from c in counsellors.DefaultIfEmpty()
                orderby n.CreatedUtc, n.Id
                select new
                {
                    n.Kind,
                    n.CreatedUtc,
                    n.ReadUtc,
                    StartUtc = a == null ? (DateTime?)null : a.StartUtc,
                    EndUtc = a == null ? (DateTime?)null : a.EndUtc,
                    CounsellorName = c == null ? null : c.DisplayName,
                })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ExportedNotification(r.CreatedUtc, r.ReadUtc, texts.InApp(r.Kind, r.StartUtc, r.EndUtc, r.CounsellorName))).ToList();
    }
}
