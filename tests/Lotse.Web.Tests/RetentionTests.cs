using System.Diagnostics;
using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Retention on the fake clock: anonymous accounts unused for their period and conversations closed for longer than
/// theirs disappear, nothing else does; the agency admin sets the periods; and the background job runs on its own when
/// the clock moves.
/// </summary>
public abstract class RetentionTests(DatabaseKind kind) : PrivacyTestBase(kind)
{
    [Fact]
    public async Task ApplyRetention_AnonymousAccountUnusedLongerThanPeriod_DeletedOthersStay()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await SetPeriodsAsync(agency, inactiveDays: 60, closedDays: 30);
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var gone = await AddClientAsync("Vergessen");
        var active = await AddClientAsync("Aktiv");
        var withEmail = await AddClientAsync("MitAdresse");
        await SetEmailAsync(withEmail, "mitadresse@example.org");
        foreach (var client in new[] { gone, active, withEmail })
        {
            await RelateAsync(anna, client, regular: false);
        }

        await WithDbAsync(async db =>
        {
            db.Conversations.Add(new Conversation(Guid.NewGuid(), anna.Id, gone.Id, Now));
            await db.SaveChangesAsync();
        });

        App.Clock.Advance(TimeSpan.FromDays(59));
        await (await LoginAsync("Aktiv")).GetAsync("/");
        App.Clock.Advance(TimeSpan.FromDays(2));

        var report = await ApplyRetentionAsync();

        Assert.Equal(1, report.Accounts);
        Assert.False(await ClientExistsAsync(gone.Id));
        Assert.False(await WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == "Vergessen")));
        Assert.Empty(await WithDbAsync(db => db.Conversations.Where(c => c.ClientId == gone.Id).ToListAsync()));
        Assert.True(await ClientExistsAsync(active.Id));
        Assert.True(await ClientExistsAsync(withEmail.Id));
    }

    [Fact]
    public async Task ApplyRetention_ClientOfSeveralAgencies_LongestPeriodApplies()
    {
        var shortAgency = await AddAgencyAsync("Kurz");
        await SetPeriodsAsync(shortAgency, inactiveDays: 30, closedDays: 30);
        var longAgency = await AddAgencyAsync("Lang");
        await SetPeriodsAsync(longAgency, inactiveDays: 200, closedDays: 30);
        var anna = await AddCounsellorAsync(Anna, Unlimited, shortAgency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, longAgency);
        var both = await AddClientAsync("Beide");
        var onlyShort = await AddClientAsync("NurKurz");
        var none = await AddClientAsync("Niemand");
        await RelateAsync(anna, both, regular: false);
        await RelateAsync(ben, both, regular: false);
        await RelateAsync(anna, onlyShort, regular: false);

        App.Clock.Advance(TimeSpan.FromDays(100));
        await ApplyRetentionAsync();

        Assert.True(await ClientExistsAsync(both.Id));
        Assert.False(await ClientExistsAsync(onlyShort.Id));
        Assert.True(await ClientExistsAsync(none.Id)); // no agency: the installation default, 180 days

        App.Clock.Advance(TimeSpan.FromDays(81));
        await ApplyRetentionAsync();

        Assert.False(await ClientExistsAsync(none.Id));
        Assert.True(await ClientExistsAsync(both.Id));

        App.Clock.Advance(TimeSpan.FromDays(20));
        await ApplyRetentionAsync();

        Assert.False(await ClientExistsAsync(both.Id));
    }

    [Fact]
    public async Task ApplyRetention_ConversationsClosedLongerThanPeriod_DeletedOpenAndRecentStay()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await SetPeriodsAsync(agency, inactiveDays: 365, closedDays: 30);
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        await SetEmailAsync(mond, "mond@example.org"); // the account itself stays whatever happens
        var routed = new RoutingDecision(anna.Id, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None);

        var (oldThread, oldArchived, oldChat) = await WithDbAsync(async db =>
        {
            var closed = await ThreadAsync(db, agency, mond, anna, routed, "Alt", [(MailSide.Client, "Alte Nachricht")]);
            closed.Close(Now);
            var archived = await ThreadAsync(db, agency, mond, anna, routed, "Archiviert", [(MailSide.Client, "Archivierte Nachricht")]);
            archived.Close(Now);
            archived.Archive();
            var chat = new Conversation(Guid.NewGuid(), anna.Id, mond.Id, Now);
            chat.Close(Now);
            db.Conversations.Add(chat);
            db.ChatMessages.Add(new ChatMessage(chat.Id, ChatSide.Client, Guid.NewGuid(), "Alter Chat", Now));
            await db.SaveChangesAsync();
            return (closed.Id, archived.Id, chat.Id);
        });
        var (openThread, openChat) = await WithDbAsync(async db =>
        {
            var open = await ThreadAsync(db, agency, mond, anna, routed, "Offen", [(MailSide.Client, "Offene Nachricht")]);
            var chat = new Conversation(Guid.NewGuid(), anna.Id, mond.Id, Now);
            db.Conversations.Add(chat);
            await db.SaveChangesAsync();
            return (open.Id, chat.Id);
        });

        App.Clock.Advance(TimeSpan.FromDays(20));
        var (recentThread, recentChat) = await WithDbAsync(async db =>
        {
            var closed = await ThreadAsync(db, agency, mond, anna, routed, "Neu", [(MailSide.Client, "Neue Nachricht")]);
            closed.Close(Now);
            var chat = new Conversation(Guid.NewGuid(), anna.Id, mond.Id, Now);
            chat.Close(Now);
            db.Conversations.Add(chat);
            await db.SaveChangesAsync();
            return (closed.Id, chat.Id);
        });
        App.Clock.Advance(TimeSpan.FromDays(11));

        var report = await ApplyRetentionAsync();

        Assert.Equal((0, 2, 1), (report.Accounts, report.MailThreads, report.ChatConversations));
        var threads = await WithDbAsync(db => db.MailThreads.AsNoTracking().Select(t => t.Id).ToListAsync());
        Assert.Equal(new[] { openThread, recentThread }.Order(), threads.Order());
        Assert.DoesNotContain(oldArchived, threads);
        Assert.DoesNotContain(oldThread, threads);
        // Whole entities, sorted here: the database holds the bodies encrypted, and only entities are decrypted.
        Assert.Equal(["Neue Nachricht", "Offene Nachricht"], (await MessagesAsync()).Select(m => m.Body).Order(StringComparer.Ordinal));
        var chats = await WithDbAsync(db => db.Conversations.AsNoTracking().Select(c => c.Id).ToListAsync());
        Assert.Equal(new[] { openChat, recentChat }.Order(), chats.Order());
        Assert.DoesNotContain(oldChat, chats);
        Assert.Equal(0, await WithDbAsync(db => db.ChatMessages.CountAsync()));
        Assert.True(await ClientExistsAsync(mond.Id));
    }

    [Fact]
    public async Task ApplyRetention_ChatOfCounsellorInNoAgency_InstallationDefaultApplies()
    {
        var loner = await AddCounsellorAsync(Anna, Unlimited);
        var mond = await AddClientAsync(Mond);
        await SetEmailAsync(mond, "mond@example.org");
        var chatId = await WithDbAsync(async db =>
        {
            var chat = new Conversation(Guid.NewGuid(), loner.Id, mond.Id, Now);
            chat.Close(Now);
            db.Conversations.Add(chat);
            await db.SaveChangesAsync();
            return chat.Id;
        });

        App.Clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, (await ApplyRetentionAsync()).ChatConversations);
        App.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await ApplyRetentionAsync()).ChatConversations);
        Assert.False(await WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == chatId)));
    }

    [Fact]
    public async Task RetentionSettings_Admin_SavesPeriods()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync("admin@test.lotse", agency);
        var http = await LoginAsync("admin@test.lotse");
        var page = await http.GetStringAsync("/verwaltung/datenschutz");
        Assert.Contains("value=\"180\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"90\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/verwaltung/datenschutz\"", page, StringComparison.Ordinal);

        var response = await PostFormAsync(http, "/verwaltung/datenschutz", new Dictionary<string, string>
        {
            ["Input.InactiveClientDays"] = "365",
            ["Input.ClosedConversationDays"] = "60",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Die Löschfristen sind gespeichert.", await http.GetStringAsync("/verwaltung/datenschutz"), StringComparison.Ordinal);
        Assert.Equal((365, 60), await PeriodsAsync(agency));
    }

    [Theory]
    [InlineData("29", "60", "Das Feld „Unbenutzte anonyme Konten löschen nach (Tagen)“ muss eine ganze Zahl von 30 bis 3650 sein.")]
    [InlineData("3651", "60", "Das Feld „Unbenutzte anonyme Konten löschen nach (Tagen)“ muss eine ganze Zahl von 30 bis 3650 sein.")]
    [InlineData("", "60", "Bitte füllen Sie das Feld „Unbenutzte anonyme Konten löschen nach (Tagen)“ aus.")]
    [InlineData("365", "13", "Das Feld „Abgeschlossene Gespräche löschen nach (Tagen)“ muss eine ganze Zahl von 14 bis 3650 sein.")]
    [InlineData("365", "viele", "Der Wert im Feld „Abgeschlossene Gespräche löschen nach (Tagen)“ ist ungültig.")]
    public async Task RetentionSettings_BadInput_400WithGermanMessageNamingFieldAndNothingChanged(string inactive, string closed, string message)
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync("admin@test.lotse", agency);
        var http = await LoginAsync("admin@test.lotse");

        var response = await PostFormAsync(http, "/verwaltung/datenschutz", new Dictionary<string, string>
        {
            ["Input.InactiveClientDays"] = inactive,
            ["Input.ClosedConversationDays"] = closed,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((180, 90), await PeriodsAsync(agency));
    }

    [Fact]
    public async Task RetentionSettings_CounsellorOrClient_403()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);

        foreach (var login in new[] { Anna, Mond })
        {
            var http = await LoginAsync(login);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/verwaltung/datenschutz")).StatusCode);
        }
    }

    protected Task SetPeriodsAsync(Agency agency, int inactiveDays, int closedDays) =>
        WithDbAsync(async db =>
        {
            var tracked = await db.Agencies.SingleAsync(a => a.Id == agency.Id);
            tracked.SetRetention(inactiveDays, closedDays);
            await db.SaveChangesAsync();
        });

    private Task<(int, int)> PeriodsAsync(Agency agency) =>
        WithDbAsync(async db =>
        {
            var stored = await db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id);
            return (stored.InactiveClientDays, stored.ClosedConversationDays);
        });
}

public sealed class RetentionTestsOnSqlite() : RetentionTests(DatabaseKind.Sqlite);

public sealed class RetentionTestsOnPostgres() : RetentionTests(DatabaseKind.Postgres);

/// <summary>The retention job as the app runs it: started with the app, on the app's (fake) clock.</summary>
public abstract class RetentionServiceTests(DatabaseKind kind) : PrivacyTestBase(kind)
{
    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) =>
        new(databaseKind, settings: new Dictionary<string, string> { ["Retention:BackgroundService"] = "true" });

    [Fact]
    public async Task RetentionService_FakeClockMovesPastPeriod_DeletesWithoutBeingCalled()
    {
        var forgotten = await AddClientAsync("Vergessen");
        var kept = await AddClientAsync("Bleibt");
        await SetEmailAsync(kept, "bleibt@example.org");
        App.Clock.Advance(TimeSpan.FromDays(181));

        // The job ticks every hour of the fake clock; nudge the clock until it has run (no sleeping, no call of our own).
        var watch = Stopwatch.StartNew();
        while (await ClientExistsAsync(forgotten.Id))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "The retention job did not run.");
            App.Clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(TimeSpan.FromMilliseconds(20)); // polling interval, not a wait for time to pass
        }

        Assert.True(await ClientExistsAsync(kept.Id));
    }
}

public sealed class RetentionServiceTestsOnSqlite() : RetentionServiceTests(DatabaseKind.Sqlite);

public sealed class RetentionServiceTestsOnPostgres() : RetentionServiceTests(DatabaseKind.Postgres);
