using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.Privacy;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>Everything one client left in the database, and the strings by which a scan would find any of it.</summary>
public sealed record ClientTrace(
    Client Client,
    string Email,
    IReadOnlyList<string> Texts,
    IReadOnlyList<Guid> MailThreadIds,
    IReadOnlyList<Guid> ConversationIds,
    IReadOnlyList<Guid> AppointmentIds)
{
    /// <summary>The counselling texts (stored encrypted at rest), without the Identity claim, login and token values.</summary>
    public IEnumerable<string> ContentTexts => Texts.Where(t => !IdentityValuePrefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal)));

    private static readonly string[] IdentityValuePrefixes = ["Anspruch-", "login-", "token-"];

    /// <summary>Ids, names and texts; each must be found nowhere once the client is deleted.</summary>
    public IEnumerable<string> Needles =>
        new[] { Client.Id.ToString(), Client.UserId, Client.Nickname, Email }
            .Concat(Texts)
            .Concat(MailThreadIds.Concat(ConversationIds).Concat(AppointmentIds).Select(id => id.ToString()));
}

/// <summary>
/// Base of the privacy tests (export, deletion, retention): clients with content in every kind of table, written the way
/// the app stores it, and the handlers called as the pages and the background job call them.
/// </summary>
public abstract class PrivacyTestBase(DatabaseKind kind) : MailTestBase(kind)
{
    /// <summary>
    /// Gives <paramref name="client"/> content in every table that can hold a client's data: two mail threads (one open
    /// with messages from both sides, one closed), a chat with messages from both sides, four appointments (past, upcoming
    /// confirmed and requested, declined with a reason), a regular-client relation, notifications for both sides, an
    /// e-mail address, and an Identity claim, external login and token. Every text carries <paramref name="tag"/>.
    /// </summary>
    /// <param name="slot">Keeps the appointments of several clients with one counsellor on different times.</param>
    protected async Task<ClientTrace> GiveContentAsync(Client client, Counsellor counsellor, Agency agency, string tag, int slot)
    {
        var email = $"{tag.ToLowerInvariant()}@example.org";
        await SetEmailAsync(client, email);
        var texts = new List<string>
        {
            $"Betreff-{tag}", $"Anfrage-{tag}: Ich weiß nicht weiter.", $"Antwort-{tag}: Wir finden einen Weg.",
            $"Abschluss-{tag}", $"Letzte-{tag}", $"Chat-{tag}: Sind Sie da?", $"Chatantwort-{tag}: Ja, ich bin da.",
            $"Thema-{tag}", $"Absage-{tag}",
        };
        var threads = new List<Guid>();
        var conversations = new List<Guid>();
        var appointments = new List<Guid>();

        await WithDbAsync(async db =>
        {
            var routed = new RoutingDecision(counsellor.Id, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None);
            var open = await ThreadAsync(db, agency, client, counsellor, routed, texts[0], [(MailSide.Client, texts[1]), (MailSide.Counsellor, texts[2])]);
            var closed = await ThreadAsync(db, agency, client, counsellor, routed, texts[3], [(MailSide.Client, texts[4])]);
            closed.Close(Now);
            threads.AddRange([open.Id, closed.Id]);

            var chat = new Conversation(Guid.NewGuid(), counsellor.Id, client.Id, Now);
            db.Conversations.Add(chat);
            db.ChatMessages.Add(new ChatMessage(chat.Id, ChatSide.Client, Guid.NewGuid(), texts[5], Now));
            db.ChatMessages.Add(new ChatMessage(chat.Id, ChatSide.Counsellor, Guid.NewGuid(), texts[6], Now));
            conversations.Add(chat.Id);

            var day = Now.Date.AddHours(8 + slot);
            var past = Appointment(counsellor, client, day.AddDays(-7), texts[7], a => a.Confirm());
            var upcoming = Appointment(counsellor, client, day.AddDays(3), texts[7], a => a.Confirm());
            var requested = Appointment(counsellor, client, day.AddDays(4), null, _ => { });
            var declined = Appointment(counsellor, client, day.AddDays(5), null, a => a.Decline(texts[8]));
            db.Appointments.AddRange(past, upcoming, requested, declined);
            appointments.AddRange([past.Id, upcoming.Id, requested.Id, declined.Id]);

            var relation = new CounsellingRelation(counsellor.Id, client.Id, Now);
            relation.MarkAsRegularClient();
            db.CounsellingRelations.Add(relation);

            db.Notifications.Add(new Notification(Guid.NewGuid(), client.UserId, NotificationKind.AppointmentConfirmed, upcoming.Id, true, Now));
            db.Notifications.Add(new Notification(Guid.NewGuid(), client.UserId, NotificationKind.NewMailMessage, null, true, Now, open.Id));
            db.Notifications.Add(new Notification(Guid.NewGuid(), counsellor.UserId, NotificationKind.AppointmentRequested, requested.Id, true, Now));
            db.Notifications.Add(new Notification(Guid.NewGuid(), counsellor.UserId, NotificationKind.NewMailMessage, null, true, Now, open.Id));
            await db.SaveChangesAsync();
        });

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByIdAsync(client.UserId))!;
            Assert.True((await users.AddClaimAsync(user, new System.Security.Claims.Claim("lotse:test", $"Anspruch-{tag}"))).Succeeded);
            Assert.True((await users.AddLoginAsync(user, new UserLoginInfo("TestProvider", $"login-{tag}", "Test"))).Succeeded);
            Assert.True((await users.SetAuthenticationTokenAsync(user, "TestProvider", "refresh", $"token-{tag}")).Succeeded);
        }

        texts.AddRange([$"Anspruch-{tag}", $"login-{tag}", $"token-{tag}"]);
        return new ClientTrace(client, email, texts, threads, conversations, appointments);
    }

    protected Task<ClientDeletion> DeleteThroughHandlerAsync(Guid clientId, DateTime? inactiveBefore = null) =>
        InScopeAsync<DeleteClientData, ClientDeletion>(d => d.DeleteAsync(clientId, inactiveBefore, CancellationToken.None));

    protected Task<RetentionReport> ApplyRetentionAsync() =>
        InScopeAsync<ApplyRetention, RetentionReport>(r => r.ApplyAsync(CancellationToken.None));

    protected Task<bool> ClientExistsAsync(Guid clientId) => WithDbAsync(db => db.Clients.AnyAsync(c => c.Id == clientId));

    protected async Task<TResult> InScopeAsync<THandler, TResult>(Func<THandler, Task<TResult>> work)
        where THandler : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    /// <summary>A mail thread as routing and a few messages leave it, all at the test clock's now; the caller saves.</summary>
    protected async Task<MailThread> ThreadAsync(LotseDb db, Agency agency, Client client, Counsellor? counsellor, RoutingDecision decision, string subject, IReadOnlyList<(MailSide Side, string Text)> messages)
    {
        ArgumentNullException.ThrowIfNull(db);
        var thread = new MailThread(Guid.NewGuid(), agency.Id, client.Id, counsellor?.Id, subject, decision, Guid.NewGuid(), Now);
        db.MailThreads.Add(thread);
        foreach (var (side, text) in messages)
        {
            var message = new MailMessage(thread.Id, side, text, Guid.NewGuid(), Now);
            db.MailMessages.Add(message);
            await db.SaveChangesAsync();
            thread.Wrote(side, message.Id, Now);
        }

        return thread;
    }

    private static Appointment Appointment(Counsellor counsellor, Client client, DateTime startUtc, string? topic, Action<Appointment> state)
    {
        var appointment = new Appointment(Guid.NewGuid(), counsellor.Id, client.Id, AppointmentChannel.Video, DateTime.SpecifyKind(startUtc, DateTimeKind.Utc), DateTime.SpecifyKind(startUtc.AddMinutes(50), DateTimeKind.Utc), topic);
        state(appointment);
        return appointment;
    }
}
