using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using ICalendar = Ical.Net.Calendar;

namespace Lotse.Web.Tests;

/// <summary>
/// Notifications by e-mail and in the app. The tests run the app with its background services off and drive the
/// dispatcher and the reminder scheduler themselves, on a fake clock; mails land as .eml files in a temp folder, or
/// (for the SMTP path) in a tiny SMTP server on 127.0.0.1.
/// </summary>
public abstract partial class NotificationTests(DatabaseKind kind) : WebTest(kind)
{
    private const string Topic = "Schulden und Sucht";
    private const string CounsellorLogin = "anna@test.lotse";
    private const string ClientNickname = "Mondlicht";

    private readonly string _mailFolder = Path.Combine(Path.GetTempPath(), "lotse-mail-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The app's own clock for these tests. A clock of its own (not App.Clock) keeps an app that still runs its
    /// background services on App.Clock from ever ticking while the tests move time.
    /// </summary>
    private readonly FakeTimeProvider _clock = new(LotseAppFactory.DefaultStart);

    private WebApplicationFactory<Program> _mailApp = null!;

    private DateTime ClockNow => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Thursday 26 November 2026, 11:00 in Berlin.</summary>
    private static DateTime AppointmentStart => new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _mailApp = MailApp(new Dictionary<string, string> { ["Mail:PickupDirectory"] = _mailFolder });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_mailFolder))
        {
            Directory.Delete(_mailFolder, recursive: true);
        }
    }

    [Fact]
    public async Task Dispatch_PendingMailForCounsellor_WritesOneEmlWithInviteAndWithoutTopic()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Counsellor);

        var sent = await DispatchAsync();

        Assert.Equal(1, sent);
        var file = Assert.Single(MailFiles());
        var raw = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain(Topic, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientNickname, raw, StringComparison.Ordinal);

        using var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Lotse: Neuigkeiten zu Ihrem Termin", message.Subject);
        Assert.Equal(CounsellorLogin, message.To.Mailboxes.Single().Address);
        Assert.Equal("Lotse", message.From.Mailboxes.Single().Name);
        Assert.Equal("noreply@lotse.example", message.From.Mailboxes.Single().Address);
        Assert.Contains("Ein Termin wurde bestätigt.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5080/benachrichtigungen", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(Topic, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientNickname, message.TextBody, StringComparison.Ordinal);

        var invite = Invite(message);
        Assert.Equal("REQUEST", invite.ContentType.Parameters["method"]);
        Assert.DoesNotContain(Topic, invite.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientNickname, invite.Text, StringComparison.Ordinal);
        Assert.Contains("DTSTART:20261126T100000Z", Unfolded(invite.Text), StringComparison.Ordinal);

        var calendar = ICalendar.Load(invite.Text)!;
        Assert.Equal("REQUEST", calendar.Method);
        var e = Assert.Single(calendar.Events);
        Assert.Equal($"{appointment.Id}@lotse", e.Uid);
        Assert.Equal(1, e.Sequence);
        Assert.True(e.DtStart!.IsUtc);
        Assert.Equal(AppointmentStart, e.DtStart.AsUtc);
        Assert.Equal(AppointmentStart.AddMinutes(50), e.DtEnd!.AsUtc);
        Assert.Equal("CONFIRMED", e.Status);
        Assert.Equal("Beratungstermin (Lotse)", e.Summary);
        Assert.Equal(new Uri($"http://127.0.0.1:5080/termine/{appointment.Id}/raum"), e.Url);
        Assert.Equal(new Uri("mailto:noreply@lotse.example"), e.Organizer!.Value);

        Assert.Equal(EmailState.Sent, (await NotificationsOfAsync(anna.UserId)).Single().Email);
        Assert.Equal(0, await DispatchAsync());
        Assert.Single(MailFiles());
    }

    [Fact]
    public async Task Dispatch_CancelledAppointment_SendsCancelWithSameUidAndHigherSequence()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await WithDbAsync(async db =>
        {
            var tracked = await db.Appointments.SingleAsync(a => a.Id == appointment.Id);
            tracked.Cancel(AppointmentParty.Client);
            await db.SaveChangesAsync();
        });
        await NotifyAsync(appointment, NotificationKind.AppointmentCancelled, AppointmentParty.Counsellor);

        await DispatchAsync();

        using var message = await MimeMessage.LoadAsync(Assert.Single(MailFiles()));
        Assert.Contains("Ein Termin wurde abgesagt.", message.TextBody, StringComparison.Ordinal);
        var invite = Invite(message);
        Assert.Equal("CANCEL", invite.ContentType.Parameters["method"]);
        var calendar = ICalendar.Load(invite.Text)!;
        Assert.Equal("CANCEL", calendar.Method);
        var e = Assert.Single(calendar.Events);
        Assert.Equal($"{appointment.Id}@lotse", e.Uid);
        Assert.Equal(2, e.Sequence);
        Assert.Equal("CANCELLED", e.Status);
        Assert.Equal(AppointmentStart, e.DtStart!.AsUtc);
    }

    [Fact]
    public async Task Dispatch_ClientWithoutEmail_SendsNoMailButClientSeesNotificationInApp()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Client);

        var sent = await DispatchAsync();

        Assert.Equal(0, sent);
        Assert.Empty(MailFiles());
        Assert.Equal(EmailState.None, (await NotificationsOfAsync(mond.UserId)).Single().Email);
        var http = await LoginAsync(_mailApp, ClientNickname);
        var html = await http.GetStringAsync("/benachrichtigungen");
        Assert.Contains("Ihr Termin am Do, 26.11.2026, 11:00–11:50 Uhr mit anna wurde bestätigt.", html, StringComparison.Ordinal);
        Assert.Single(UnreadItems(html));
        Assert.Contains("1 ungelesen", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Topic, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Counsellor_SeesClientNicknameAndNewestFirst()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Requested);
        await NotifyAsync(appointment, NotificationKind.AppointmentRequested, AppointmentParty.Counsellor);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await WithDbAsync(async db =>
        {
            var tracked = await db.Appointments.SingleAsync(a => a.Id == appointment.Id);
            tracked.Cancel(AppointmentParty.Client);
            await db.SaveChangesAsync();
        });
        await NotifyAsync(appointment, NotificationKind.AppointmentCancelled, AppointmentParty.Counsellor);
        var http = await LoginAsync(_mailApp, CounsellorLogin);

        var html = await http.GetStringAsync("/benachrichtigungen");

        var cancelled = html.IndexOf("Der Termin am Do, 26.11.2026, 11:00–11:50 Uhr mit Mondlicht wurde abgesagt.", StringComparison.Ordinal);
        var requested = html.IndexOf("Der Termin am Do, 26.11.2026, 11:00–11:50 Uhr mit Mondlicht wurde angefragt.", StringComparison.Ordinal);
        Assert.True(cancelled >= 0 && requested > cancelled, "The newest notification (cancelled) comes first, the request after it.");
        Assert.Equal(2, UnreadItems(html).Count);
    }

    [Fact]
    public async Task Dispatch_SmtpUnreachable_BacksOffAndSendsOnceClockPassesAndServerIsUp()
    {
        var port = LoopbackSmtpServer.FreePort();
        var smtpApp = MailApp(new Dictionary<string, string>
        {
            ["Mail:PickupDirectory"] = "",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Requested, topic: Topic);
        await NotifyAsync(appointment, NotificationKind.AppointmentRequested, AppointmentParty.Counsellor, smtpApp);
        var createdUtc = ClockNow;

        Assert.Equal(0, await DispatchAsync(smtpApp));

        var failed = (await NotificationsOfAsync(anna.UserId)).Single();
        Assert.Equal(EmailState.Pending, failed.Email);
        Assert.Equal(1, failed.EmailAttempts);
        Assert.Equal(createdUtc.AddMinutes(1), failed.NextAttemptUtc);

        // Not due yet: no new attempt before the back-off has passed.
        Assert.Equal(0, await DispatchAsync(smtpApp));
        Assert.Equal(1, (await NotificationsOfAsync(anna.UserId)).Single().EmailAttempts);

        await using var server = new LoopbackSmtpServer(port);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await DispatchAsync(smtpApp));

        var received = await server.Received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { CounsellorLogin }, received.Recipients);
        Assert.Equal("noreply@lotse.example", received.From);
        Assert.DoesNotContain(Topic, received.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientNickname, received.Data, StringComparison.Ordinal);
        using var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.Latin1.GetBytes(received.Data)));
        Assert.Equal("Lotse: Neuigkeiten zu Ihrem Termin", message.Subject);
        Assert.Contains("Ein Termin wurde angefragt.", message.TextBody, StringComparison.Ordinal);
        var invite = Invite(message);
        Assert.Equal("REQUEST", invite.ContentType.Parameters["method"]);
        var e = Assert.Single(ICalendar.Load(invite.Text)!.Events);
        Assert.Equal("TENTATIVE", e.Status);
        Assert.Equal(0, e.Sequence);
        Assert.DoesNotContain(Topic, invite.Text, StringComparison.Ordinal);

        var delivered = (await NotificationsOfAsync(anna.UserId)).Single();
        Assert.Equal(EmailState.Sent, delivered.Email);
        Assert.Null(delivered.NextAttemptUtc);
    }

    [Fact]
    public async Task Dispatch_SmtpDownForGood_GivesUpAfterMaxAttemptsAndNoticeStaysInApp()
    {
        var smtpApp = MailApp(new Dictionary<string, string>
        {
            ["Mail:PickupDirectory"] = "",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = LoopbackSmtpServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Counsellor, smtpApp);

        for (var attempt = 1; attempt <= Notification.MaxAttempts; attempt++)
        {
            Assert.Equal(0, await DispatchAsync(smtpApp));
            Assert.Equal(attempt, (await NotificationsOfAsync(anna.UserId)).Single().EmailAttempts);
            _clock.Advance(TimeSpan.FromHours(3));
        }

        Assert.Equal(0, await DispatchAsync(smtpApp));
        var notification = (await NotificationsOfAsync(anna.UserId)).Single();
        Assert.Equal(EmailState.Failed, notification.Email);
        Assert.Equal(Notification.MaxAttempts, notification.EmailAttempts);
        var http = await LoginAsync(smtpApp, CounsellorLogin);
        Assert.Contains("mit Mondlicht wurde bestätigt.", await http.GetStringAsync("/benachrichtigungen"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_TwoDispatchersAtOnce_SendEachMailOnce()
    {
        var (anna, mond) = await PeopleAsync();
        for (var i = 0; i < 6; i++)
        {
            var appointment = await AppointmentAsync(anna, mond, AppointmentStart.AddHours(i), AppointmentStatus.Confirmed);
            await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Counsellor);
        }

        var first = ActivatorUtilities.CreateInstance<NotificationDispatcher>(_mailApp.Services);
        var second = ActivatorUtilities.CreateInstance<NotificationDispatcher>(_mailApp.Services);

        var sent = await Task.WhenAll(first.DispatchDueAsync(CancellationToken.None), second.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(6, sent.Sum());
        Assert.Equal(6, MailFiles().Count);
        Assert.All(await NotificationsOfAsync(anna.UserId), n => Assert.Equal(EmailState.Sent, n.Email));
    }

    [Fact]
    public async Task ReminderScheduler_ConfirmedAppointmentWithinADay_RemindsEachSideOnce()
    {
        var (anna, mond) = await PeopleAsync();
        var start = ClockNow.AddHours(30);
        var confirmed = await AppointmentAsync(anna, mond, start, AppointmentStatus.Confirmed);
        await AppointmentAsync(anna, mond, start.AddHours(-8), AppointmentStatus.Requested);
        await AppointmentAsync(anna, mond, start.AddHours(-6), AppointmentStatus.Cancelled);

        Assert.Equal(0, await ScheduleAsync());
        Assert.Empty(await RemindersAsync());

        _clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(1, await ScheduleAsync());
        var twice = await Task.WhenAll(ScheduleAsync(), ScheduleAsync());
        Assert.Equal(0, twice.Sum());
        Assert.Equal(0, await ScheduleAsync());

        var reminders = await RemindersAsync();
        Assert.Equal(2, reminders.Count);
        Assert.Equal(new[] { anna.UserId, mond.UserId }.Order(StringComparer.Ordinal), reminders.Select(n => n.UserId).Order(StringComparer.Ordinal));
        Assert.All(reminders, n => Assert.Equal(confirmed.Id, n.AppointmentId));
        Assert.NotNull((await WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == confirmed.Id))).ReminderSentUtc);

        var http = await LoginAsync(_mailApp, ClientNickname);
        var html = await http.GetStringAsync("/benachrichtigungen");
        Assert.Single(Regex.Matches(html, "Erinnerung: Ihr Termin am [^<]+ mit anna steht bald an\\."));

        // The counsellor's reminder goes out by mail; the client has no address.
        Assert.Equal(1, await DispatchAsync());
        using var message = await MimeMessage.LoadAsync(Assert.Single(MailFiles()));
        Assert.Contains("Erinnerung: Ein Termin steht bald an.", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkAllRead_WithAntiforgeryToken_ClearsUnreadMarks()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Client);
        await NotifyAsync(appointment, NotificationKind.AppointmentReminder, AppointmentParty.Client);
        var http = await LoginAsync(_mailApp, ClientNickname);
        Assert.Equal(2, UnreadItems(await http.GetStringAsync("/benachrichtigungen")).Count);

        var response = await PostFormAsync(http, "/benachrichtigungen?handler=ReadAll", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await http.GetStringAsync("/benachrichtigungen");
        Assert.Empty(UnreadItems(html));
        Assert.Contains("Alle Benachrichtigungen sind als gelesen markiert.", html, StringComparison.Ordinal);
        Assert.Contains("Alles gelesen.", html, StringComparison.Ordinal);
        Assert.Contains("wurde bestätigt.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Alle als gelesen markieren", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkAllRead_WithoutAntiforgeryToken_IsRejectedAndChangesNothing()
    {
        var (anna, mond) = await PeopleAsync();
        var appointment = await AppointmentAsync(anna, mond, AppointmentStart, AppointmentStatus.Confirmed);
        await NotifyAsync(appointment, NotificationKind.AppointmentConfirmed, AppointmentParty.Client);
        var http = await LoginAsync(_mailApp, ClientNickname);

        using var form = new FormUrlEncodedContent([]);
        var response = await http.PostAsync("/benachrichtigungen?handler=ReadAll", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(UnreadItems(await http.GetStringAsync("/benachrichtigungen")));
        Assert.Null((await NotificationsOfAsync(mond.UserId)).Single().ReadUtc);
    }

    [Fact]
    public async Task Index_OtherUsersNotifications_NeverShowAndStayUnread()
    {
        var (anna, mond) = await PeopleAsync();
        var kompass = await AddClientAsync("Kompass");
        var mine = await AppointmentAsync(anna, kompass, AppointmentStart, AppointmentStatus.Confirmed);
        var theirs = await AppointmentAsync(anna, mond, AppointmentStart.AddDays(1).AddHours(3), AppointmentStatus.Confirmed);
        await NotifyAsync(mine, NotificationKind.AppointmentConfirmed, AppointmentParty.Client);
        await NotifyAsync(theirs, NotificationKind.AppointmentConfirmed, AppointmentParty.Client);
        await NotifyAsync(theirs, NotificationKind.AppointmentConfirmed, AppointmentParty.Counsellor);
        var http = await LoginAsync(_mailApp, "Kompass");

        var html = await http.GetStringAsync("/benachrichtigungen");
        var read = await PostFormAsync(http, "/benachrichtigungen?handler=ReadAll", new Dictionary<string, string>());

        Assert.Contains("Ihr Termin am Do, 26.11.2026, 11:00–11:50 Uhr mit anna wurde bestätigt.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("27.11.2026", html, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientNickname, html, StringComparison.Ordinal);
        Assert.Single(UnreadItems(html));
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
        Assert.Null((await NotificationsOfAsync(mond.UserId)).Single().ReadUtc);
        Assert.Null((await NotificationsOfAsync(anna.UserId)).Single().ReadUtc);
    }

    [Fact]
    public async Task Index_NoNotifications_SaysSo()
    {
        await PeopleAsync();
        var http = await LoginAsync(_mailApp, ClientNickname);

        var html = await http.GetStringAsync("/benachrichtigungen");

        Assert.Contains("Sie haben noch keine Benachrichtigungen.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Anonymous_IsSentToLogin()
    {
        using var http = _mailApp.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false });

        var response = await http.GetAsync("/benachrichtigungen");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/anmelden", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The real app with the settings these tests need on top of the test factory's: background services off (the
    /// test drives them), the given mail settings, and <see cref="_clock"/>. It shares the test's database.
    /// </summary>
    private WebApplicationFactory<Program> MailApp(IDictionary<string, string> settings) =>
        App.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Mail:BackgroundServices", "false");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
        });

    private async Task<(Counsellor Anna, Client Mond)> PeopleAsync() =>
        (await AddCounsellorAsync(CounsellorLogin), await AddClientAsync(ClientNickname));

    /// <summary>An appointment with a topic, which must never reach a mail.</summary>
    private Task<Appointment> AppointmentAsync(Counsellor counsellor, Client client, DateTime startUtc, AppointmentStatus status, string topic = Topic) =>
        WithDbAsync(async db =>
        {
            var appointment = new Appointment(Guid.NewGuid(), counsellor.Id, client.Id, AppointmentChannel.Video, startUtc, startUtc.AddMinutes(50), topic);
            if (status is AppointmentStatus.Confirmed or AppointmentStatus.Cancelled)
            {
                appointment.Confirm();
            }

            if (status == AppointmentStatus.Cancelled)
            {
                appointment.Cancel(AppointmentParty.Client);
            }

            db.Appointments.Add(appointment);
            await db.SaveChangesAsync();
            return appointment;
        });

    /// <summary>What the booking code does: an outbox row in the same save as the change.</summary>
    private async Task NotifyAsync(Appointment appointment, NotificationKind kind, AppointmentParty recipient, WebApplicationFactory<Program>? app = null)
    {
        await using var scope = (app ?? _mailApp).Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationOutbox>().AddAsync(appointment, kind, recipient, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<LotseDb>().SaveChangesAsync();
    }

    private Task<int> DispatchAsync(WebApplicationFactory<Program>? app = null) =>
        (app ?? _mailApp).Services.GetRequiredService<NotificationDispatcher>().DispatchDueAsync(CancellationToken.None);

    private Task<int> ScheduleAsync() =>
        _mailApp.Services.GetRequiredService<ReminderScheduler>().ScheduleDueAsync(CancellationToken.None);

    private Task<List<Notification>> NotificationsOfAsync(string userId) =>
        WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.UserId == userId).ToListAsync());

    private Task<List<Notification>> RemindersAsync() =>
        WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.AppointmentReminder).ToListAsync());

    private List<string> MailFiles() =>
        Directory.Exists(_mailFolder) ? Directory.GetFiles(_mailFolder, "*.eml").Order(StringComparer.Ordinal).ToList() : [];

    private static TextPart Invite(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<TextPart>(), p => p.FileName == "termin.ics");
        Assert.Equal("text/calendar", part.ContentType.MimeType);
        return part;
    }

    /// <summary>RFC 5545 folds long lines (CRLF + space); unfolded, each property is one line again.</summary>
    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    private static List<string> UnreadItems(string html) =>
        UnreadPattern().Matches(html).Select(m => m.Value).ToList();

    /// <summary>Signs in through the real login form of <paramref name="app"/>.</summary>
    private static async Task<HttpClient> LoginAsync(WebApplicationFactory<Program> app, string userName)
    {
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false, HandleCookies = true });
        var response = await SignInThroughFormAsync(app, http, userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    [GeneratedRegex("data-testid=\"notification-unread\"")]
    private static partial Regex UnreadPattern();
}

public sealed class NotificationTestsOnSqlite() : NotificationTests(DatabaseKind.Sqlite);

public sealed class NotificationTestsOnPostgres() : NotificationTests(DatabaseKind.Postgres);
