using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Domain.Notifications;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Lotse.Web.Tests;

/// <summary>
/// A mail thread after routing: follow-ups both ways, unread marks, closing, archiving, overdue requests, the agency's
/// queue, repeated submits, bad input, and the content-free notifications.
/// </summary>
public abstract class MailThreadTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task FollowUps_BothWays_StoredInOrderAndUnreadUntilRead()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}", "Schlaflos", "Erste Nachricht der Klientin.");
        Assert.Contains("data-testid=\"mail-unread\"", ListItem(await counsellor.GetStringAsync("/posteingang"), id), StringComparison.Ordinal);

        var page = await counsellor.GetStringAsync($"/posteingang/{id}");
        Assert.Contains("Erste Nachricht der Klientin.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-unread\"", ListItem(await counsellor.GetStringAsync("/posteingang"), id), StringComparison.Ordinal);
        await ReplyAsync(counsellor, $"/posteingang/{id}", "Antwort der Beraterin.");

        Assert.Equal(MailThreadState.InProgress, (await ThreadAsync(id)).State);
        Assert.Contains("data-testid=\"mail-unread\"", ListItem(await client.GetStringAsync("/anfragen"), id), StringComparison.Ordinal);
        var clientPage = await client.GetStringAsync($"/anfragen/{id}");
        Assert.Contains("Antwort der Beraterin.", clientPage, StringComparison.Ordinal);
        Assert.Contains(">in Bearbeitung<", clientPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-unread\"", ListItem(await client.GetStringAsync("/anfragen"), id), StringComparison.Ordinal);

        await ReplyAsync(client, $"/anfragen/{id}", "Danke, noch eine Frage.");

        Assert.Contains("data-testid=\"mail-unread\"", ListItem(await counsellor.GetStringAsync("/posteingang"), id), StringComparison.Ordinal);
        var messages = await MessagesAsync(id);
        Assert.Equal(
            [(MailSide.Client, "Erste Nachricht der Klientin."), (MailSide.Counsellor, "Antwort der Beraterin."), (MailSide.Client, "Danke, noch eine Frage.")],
            messages.Select(m => (m.Sender, m.Body)).ToList());
        Assert.Equal(anna.Id, (await ThreadAsync(id)).CounsellorId);
    }

    [Fact]
    public async Task Inbox_OneUnreadOneRead_UnreadFirstEvenWhenOlder()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var older = await SendRequestAsync(client, $"berater={anna.Id}", "Ältere Anfrage");
        App.Clock.Advance(TimeSpan.FromMinutes(10));
        var newer = await SendRequestAsync(client, $"berater={anna.Id}", "Neuere Anfrage");
        Assert.Equal([newer, older], ListedThreads(await counsellor.GetStringAsync("/posteingang")));

        await counsellor.GetStringAsync($"/posteingang/{newer}");

        var inbox = await counsellor.GetStringAsync("/posteingang");
        Assert.Equal([older, newer], ListedThreads(inbox));
        Assert.Contains("data-testid=\"mail-unread\"", ListItem(inbox, older), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-unread\"", ListItem(inbox, newer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_FullCounsellor_FreesTheSlotForTheVeryNextRequest()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(1), agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var counsellor = await LoginAsync(Anna);
        var first = await SendRequestAsync(client, $"berater={anna.Id}");
        Assert.Equal(ben.Id, (await ThreadAsync(await SendRequestAsync(client, $"berater={anna.Id}"))).CounsellorId);

        var closed = await StepAsync(counsellor, first, "Close");

        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Contains("Ein Platz für eine neue Anfrage ist frei.", await counsellor.GetStringAsync($"/posteingang/{first}"), StringComparison.Ordinal);
        Assert.Equal(MailThreadState.Closed, (await ThreadAsync(first)).State);
        Assert.Equal(anna.Id, (await ThreadAsync(await SendRequestAsync(client, $"berater={anna.Id}"))).CounsellorId);
    }

    [Fact]
    public async Task Closed_Thread_ClientSeesAbgeschlossenAndFollowUpRefusedNothingStored()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}");
        var form = await ReplyFormAsync(client, $"/anfragen/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(counsellor, id, "Close")).StatusCode);

        var page = await client.GetStringAsync($"/anfragen/{id}");
        var response = await PostReplyAsync(client, $"/anfragen/{id}", form, "Noch etwas nach dem Abschluss.");

        Assert.Contains(">abgeschlossen<", page, StringComparison.Ordinal);
        Assert.Contains("Diese Anfrage ist abgeschlossen.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-reply-form\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Es kann nichts mehr hinzugefügt werden.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await MessagesAsync(id));
        Assert.Equal(MailThreadState.Closed, (await ThreadAsync(id)).State);

        // The counsellor cannot add to it either.
        var answer = await PostReplyAsync(counsellor, $"/posteingang/{id}", new ShownForm(await AntiforgeryTokenAsync(counsellor, "/posteingang"), Guid.NewGuid()), "Nachtrag");
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("Es kann nichts mehr hinzugefügt werden.", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await MessagesAsync(id));
    }

    [Fact]
    public async Task Close_WhileClientWrites_ClosedAndEveryFollowUpEitherStoredOrRefused()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await SendRequestAsync(client, $"berater={anna.Id}", $"Anfrage {i}"));
        }

        var forms = new Dictionary<Guid, ShownForm>();
        foreach (var id in ids)
        {
            forms[id] = await ReplyFormAsync(client, $"/anfragen/{id}");
        }

        var token = await AntiforgeryTokenAsync(counsellor, "/posteingang");

        foreach (var id in ids)
        {
            var both = await Task.WhenAll(
                PostAsync(counsellor, $"/posteingang/{id}?handler=Close", token, new Dictionary<string, string>()),
                PostReplyAsync(client, $"/anfragen/{id}", forms[id], "Gerade noch geschrieben."));
            var (close, reply) = (both[0], both[1]);

            // The close is not "taken by a colleague": it closes, whether the follow-up came first or not.
            Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
            Assert.Equal($"/posteingang/{id}", close.Headers.Location!.OriginalString);
            Assert.Equal(MailThreadState.Closed, (await ThreadAsync(id)).State);
            var stored = (await MessagesAsync(id)).Count;
            if (reply.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Equal(2, stored);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, reply.StatusCode);
                Assert.Equal(1, stored);
            }
        }
    }

    [Fact]
    public async Task Archive_OnlyAfterClose()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}", "Zum Archivieren");

        var tooEarly = await StepAsync(counsellor, id, "Archive");

        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Contains("Das geht in diesem Stand der Anfrage nicht.", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(MailThreadState.Open, (await ThreadAsync(id)).State);

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(counsellor, id, "Close")).StatusCode);
        Assert.Equal([id], ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=abgeschlossen")));
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(counsellor, id, "Archive")).StatusCode);

        Assert.Equal(MailThreadState.Archived, (await ThreadAsync(id)).State);
        Assert.Equal([id], ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=archiviert")));
        Assert.Empty(ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=abgeschlossen")));
        Assert.Empty(ListedThreads(await counsellor.GetStringAsync("/posteingang")));
        Assert.Contains(">archiviert<", await client.GetStringAsync("/anfragen"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overdue_UnansweredPastResponseTarget_ShownUntilAnswered()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}", "Wartet lange");
        var other = await SendRequestAsync(client, $"berater={anna.Id}", "Schon beantwortet");
        await ReplyAsync(counsellor, $"/posteingang/{other}", "Gleich beantwortet.");

        App.Clock.Advance(TimeSpan.FromHours(47));
        Assert.Empty(ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=ueberfaellig")));
        App.Clock.Advance(TimeSpan.FromHours(2));

        var inbox = await counsellor.GetStringAsync("/posteingang");
        Assert.Contains("data-testid=\"mail-overdue\"", ListItem(inbox, id), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-overdue\"", ListItem(inbox, other), StringComparison.Ordinal);
        Assert.Equal([id], ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=ueberfaellig")));
        Assert.Contains("überfällig", await counsellor.GetStringAsync($"/posteingang/{id}"), StringComparison.Ordinal);

        await ReplyAsync(counsellor, $"/posteingang/{id}", "Entschuldigung, jetzt die Antwort.");

        Assert.Empty(ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=ueberfaellig")));
        Assert.DoesNotContain("data-testid=\"mail-overdue\"", await counsellor.GetStringAsync("/posteingang"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-overdue\"", await counsellor.GetStringAsync($"/posteingang/{id}"), StringComparison.Ordinal);

        // A follow-up that waits counts too.
        await ReplyAsync(client, $"/anfragen/{id}", "Und was ist hiermit?");
        App.Clock.Advance(TimeSpan.FromHours(49));
        Assert.Equal([id], ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=ueberfaellig")));
    }

    [Fact]
    public async Task Overdue_AgencyResponseTargetSetByAdmin_CountsFromThen()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var agency = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync());
        await AddAdminAsync("admin@test.lotse", agency);
        var admin = await LoginAsync("admin@test.lotse");
        var saved = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
        {
            ["Input.FallbackCounsellorId"] = "",
            ["Input.ResponseTargetHours"] = "4",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = await SendRequestAsync(client, $"berater={anna.Id}");

        App.Clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal([id], ListedThreads(await counsellor.GetStringAsync("/posteingang?filter=ueberfaellig")));
    }

    [Fact]
    public async Task Queue_ColleagueTakes_ThreadMovesToHerInboxOthersAreTold()
    {
        var (_, ben, _, id) = await QueuedRequestAsync();
        var benHttp = await LoginAsync(Ben);
        var carlaHttp = await LoginAsync(Carla);
        Assert.Equal([id], ListedThreads(await benHttp.GetStringAsync("/posteingang/warteschlange")));
        Assert.Equal([id], ListedThreads(await carlaHttp.GetStringAsync("/posteingang/warteschlange")));
        Assert.Contains("data-testid=\"queue-length\">1<", await carlaHttp.GetStringAsync("/posteingang"), StringComparison.Ordinal);
        // A request in the queue tells nobody: there is no one to tell yet.
        Assert.Equal(0, await WithDbAsync(db => db.Notifications.CountAsync()));

        var taken = await TakeFromQueueAsync(benHttp, id);

        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal($"/posteingang/{id}", taken.Headers.Location!.OriginalString);
        var thread = await ThreadAsync(id);
        Assert.Equal((ben.Id, MailThreadState.Open), (thread.CounsellorId!.Value, thread.State));
        Assert.Equal([id], ListedThreads(await benHttp.GetStringAsync("/posteingang")));
        var takenPage = await benHttp.GetStringAsync($"/posteingang/{id}");
        Assert.Contains("Aus der Warteschlange von", takenPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"mail-reply-form\"", takenPage, StringComparison.Ordinal);
        Assert.Empty(ListedThreads(await carlaHttp.GetStringAsync("/posteingang/warteschlange")));
        Assert.Contains("Es antwortet Ihnen ben.", await (await LoginAsync(Mond)).GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);

        var late = await TakeFromQueueAsync(carlaHttp, id);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Diese Anfrage hat gerade eine Kolleg:in übernommen.", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await carlaHttp.GetAsync($"/posteingang/{id}")).StatusCode);
        Assert.Equal(ben.Id, (await ThreadAsync(id)).CounsellorId);
    }

    [Fact]
    public async Task Queue_AnswerBeforeTaking_RefusedWithGermanMessage()
    {
        var (_, _, _, id) = await QueuedRequestAsync();
        var ben = await LoginAsync(Ben);
        var page = await ben.GetStringAsync($"/posteingang/{id}");
        Assert.Contains("data-testid=\"take\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-reply-form\"", page, StringComparison.Ordinal);

        var response = await PostReplyAsync(ben, $"/posteingang/{id}", new ShownForm(await AntiforgeryTokenAsync(ben, "/posteingang"), Guid.NewGuid()), "Ich antworte einfach.");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Bitte übernehmen Sie die Anfrage zuerst", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await MessagesAsync(id));
        Assert.True((await ThreadAsync(id)).IsInQueue);
    }

    [Fact]
    public async Task Queue_TwoTakeAtTheSameInstant_ExactlyOneWinsOtherIsTold()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        var carla = await AddCounsellorAsync(Carla, Unlimited, agency);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SendRequestAsync(client, $"berater={anna.Id}", $"Anfrage {i}"));
        }

        var benHttp = await LoginAsync(Ben);
        var carlaHttp = await LoginAsync(Carla);
        var benToken = await AntiforgeryTokenAsync(benHttp, "/posteingang/warteschlange");
        var carlaToken = await AntiforgeryTokenAsync(carlaHttp, "/posteingang/warteschlange");

        foreach (var id in ids)
        {
            var url = $"/posteingang/warteschlange?handler=Take&id={id}";
            var responses = await Task.WhenAll(
                PostAsync(benHttp, url, benToken, new Dictionary<string, string>()),
                PostAsync(carlaHttp, url, carlaToken, new Dictionary<string, string>()));

            var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
            var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("Diese Anfrage hat gerade eine Kolleg:in übernommen.", await loser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var expected = winner == responses[0] ? ben.Id : carla.Id;
            Assert.Equal(expected, (await ThreadAsync(id)).CounsellorId);
        }
    }

    [Fact]
    public async Task Queue_OneCounsellorTakesSeveralRequestsOfOneClientAtOnce_AllTaken()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await SendRequestAsync(client, $"berater={anna.Id}", $"Anfrage {i}"));
        }

        // Two tabs, quick clicks: each take is the first contact of ben and Mond as far as it can see.
        var benHttp = await LoginAsync(Ben);
        var token = await AntiforgeryTokenAsync(benHttp, "/posteingang/warteschlange");
        var responses = await Task.WhenAll(ids.Select(id =>
            PostAsync(benHttp, $"/posteingang/warteschlange?handler=Take&id={id}", token, new Dictionary<string, string>())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.All(await ThreadsAsync(), t => Assert.Equal(ben.Id, t.CounsellorId));
        Assert.Equal(1, await WithDbAsync(db => db.CounsellingRelations.CountAsync(r => r.CounsellorId == ben.Id)));
    }

    [Fact]
    public async Task Queue_CounsellorOfAnotherAgency_404ForThreadAndTake()
    {
        var (_, _, _, id) = await QueuedRequestAsync();
        var elsewhere = await AddAgencyAsync("Anderswo");
        await AddCounsellorAsync("dora@test.lotse", Unlimited, elsewhere);
        var dora = await LoginAsync("dora@test.lotse");

        Assert.Empty(ListedThreads(await dora.GetStringAsync("/posteingang/warteschlange")));
        Assert.Equal(HttpStatusCode.NotFound, (await dora.GetAsync($"/posteingang/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TakeFromQueueAsync(dora, id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await StepAsync(dora, id, "Take", formPage: "/posteingang")).StatusCode);
        Assert.True((await ThreadAsync(id)).IsInQueue);
    }

    [Fact]
    public async Task Request_SameFormPostedTwice_OneThread()
    {
        var (anna, client, _) = await AnnaAndMondAsync();
        var form = await RequestFormAsync(client, $"berater={anna.Id}");
        var other = await RequestFormAsync(client, $"berater={anna.Id}");

        var first = await PostRequestAsync(client, $"berater={anna.Id}", form, "Doppelt", "Einmal gemeint.");
        var second = await PostRequestAsync(client, $"berater={anna.Id}", form, "Doppelt", "Einmal gemeint.");
        // A double click: both posts at the same instant.
        var both = await Task.WhenAll(
            PostRequestAsync(client, $"berater={anna.Id}", other, "Noch einmal", "Auch einmal gemeint."),
            PostRequestAsync(client, $"berater={anna.Id}", other, "Noch einmal", "Auch einmal gemeint."));

        var id = ThreadIdOf(first, "/anfragen/");
        Assert.Equal(id, ThreadIdOf(second, "/anfragen/"));
        var otherId = ThreadIdOf(both[0], "/anfragen/");
        Assert.Equal(otherId, ThreadIdOf(both[1], "/anfragen/"));
        Assert.NotEqual(id, otherId);
        Assert.Equal(new[] { id, otherId }.Order(), (await ThreadsAsync()).Select(t => t.Id).Order());
        Assert.Equal(2, (await MessagesAsync()).Count);
        Assert.Equal(2, await WithDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task FollowUp_SameFormPostedTwice_OneMessage()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}");
        var clientForm = await ReplyFormAsync(client, $"/anfragen/{id}");
        var counsellorForm = await ReplyFormAsync(counsellor, $"/posteingang/{id}");

        var responses = new List<HttpResponseMessage>
        {
            await PostReplyAsync(client, $"/anfragen/{id}", clientForm, "Nachtrag"),
            await PostReplyAsync(client, $"/anfragen/{id}", clientForm, "Nachtrag"),
        };
        responses.AddRange(await Task.WhenAll(
            PostReplyAsync(counsellor, $"/posteingang/{id}", counsellorForm, "Antwort"),
            PostReplyAsync(counsellor, $"/posteingang/{id}", counsellorForm, "Antwort"),
            PostReplyAsync(client, $"/anfragen/{id}", clientForm, "Nachtrag")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(["Seit Wochen schlafe ich schlecht.", "Nachtrag", "Antwort"], (await MessagesAsync(id)).Select(m => m.Body).ToList());
    }

    [Theory]
    [InlineData(0, 20, "Form.Subject", "Bitte geben Sie einen Betreff ein.")]
    [InlineData(151, 20, "Form.Subject", "Der Betreff darf höchstens 150 Zeichen lang sein.")]
    [InlineData(20, 0, "Form.Body", "Bitte schreiben Sie eine Nachricht.")]
    [InlineData(20, 20_001, "Form.Body", "Die Nachricht darf höchstens 20.000 Zeichen lang sein.")]
    public async Task Request_BadInput_400WithGermanMessageAtTheFieldNothingStored(int subjectLength, int bodyLength, string field, string message)
    {
        var (anna, client, _) = await AnnaAndMondAsync();
        var form = await RequestFormAsync(client, $"berater={anna.Id}");

        var response = await PostRequestAsync(client, $"berater={anna.Id}", form, new string('B', subjectLength), new string('x', bodyLength));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, FieldError(await response.Content.ReadAsStringAsync(), field));
        Assert.Empty(await ThreadsAsync());
        Assert.Empty(await MessagesAsync());
        Assert.Equal(0, await WithDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task Request_WhitespaceOnly_400NothingStored()
    {
        var (anna, client, _) = await AnnaAndMondAsync();

        var response = await PostRequestAsync(client, $"berater={anna.Id}", await RequestFormAsync(client, $"berater={anna.Id}"), "   ", " \r\n ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bitte geben Sie einen Betreff ein.", FieldError(await response.Content.ReadAsStringAsync(), "Form.Subject"));
        Assert.Empty(await ThreadsAsync());
    }

    [Fact]
    public async Task Request_AtTheLimits_Accepted()
    {
        var (anna, client, _) = await AnnaAndMondAsync();
        var subject = new string('B', MailThread.MaxSubjectLength);
        var body = new string('x', MailMessage.MaxLength);

        var id = await SendRequestAsync(client, $"berater={anna.Id}", subject, body);

        Assert.Equal(subject, (await ThreadAsync(id)).Subject);
        Assert.Equal(body, Assert.Single(await MessagesAsync(id)).Body);
    }

    [Theory]
    [InlineData(0, "Bitte schreiben Sie eine Nachricht.")]
    [InlineData(20_001, "Die Nachricht darf höchstens 20.000 Zeichen lang sein.")]
    public async Task FollowUp_BadInput_400WithGermanMessageNothingStored(int bodyLength, string message)
    {
        var (anna, client, _) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}");

        var response = await PostReplyAsync(client, $"/anfragen/{id}", await ReplyFormAsync(client, $"/anfragen/{id}"), new string('x', bodyLength));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, FieldError(await response.Content.ReadAsStringAsync(), "Reply.Body"));
        Assert.Single(await MessagesAsync(id));
    }

    [Fact]
    public async Task Html_InSubjectAndBody_StoredAsTextAndShownEncoded()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        const string body = "<script>alert('x')</script><b>fett</b>";

        var id = await SendRequestAsync(client, $"berater={anna.Id}", "<i>Betreff</i>", body);

        Assert.Equal(body, Assert.Single(await MessagesAsync(id)).Body);
        Assert.Equal("<i>Betreff</i>", (await ThreadAsync(id)).Subject);
        foreach (var html in new[]
        {
            await client.GetStringAsync($"/anfragen/{id}"),
            await counsellor.GetStringAsync($"/posteingang/{id}"),
            await counsellor.GetStringAsync("/posteingang"),
            await client.GetStringAsync("/anfragen"),
        })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>fett</b>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<i>Betreff</i>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;i&gt;Betreff&lt;/i&gt;", html, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;alert(", await counsellor.GetStringAsync($"/posteingang/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NotifiesCounsellorByEmailWithoutContent()
    {
        var (anna, client, _) = await AnnaAndMondAsync();
        await SendRequestAsync(client, $"berater={anna.Id}", "Geheimbetreff Pfaendung", "Geheimtext ueber meine Schulden");

        Assert.Equal(1, await DispatchMailsAsync());

        var file = Assert.Single(MailFiles());
        var raw = await File.ReadAllTextAsync(file);
        using var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(Anna, message.To.Mailboxes.Single().Address);
        Assert.Equal("Lotse: Sie haben eine neue Nachricht", message.Subject);
        Assert.Contains("Sie haben eine neue Nachricht in Ihrer Mailberatung bei Lotse.", message.TextBody, StringComparison.Ordinal);
        foreach (var secret in new[] { "Geheimbetreff", "Pfaendung", "Geheimtext", "Schulden", Mond })
        {
            Assert.DoesNotContain(secret, raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, message.TextBody, StringComparison.OrdinalIgnoreCase);
        }

        var notification = await WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync());
        Assert.Equal((NotificationKind.NewMailMessage, anna.UserId), (notification.Kind, notification.UserId));
    }

    [Fact]
    public async Task Answer_ClientWithEmail_GetsEmailWithoutContent()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        await SetEmailAsync(await WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync()), "mond@example.org");
        var id = await SendRequestAsync(client, $"berater={anna.Id}");
        Assert.Equal(1, await DispatchMailsAsync());

        await ReplyAsync(counsellor, $"/posteingang/{id}", "Geheime Antwort der Beraterin");

        Assert.Equal(1, await DispatchMailsAsync());
        var files = MailFiles();
        Assert.Equal(2, files.Count);
        var toClient = 0;
        foreach (var file in files)
        {
            using var mail = await MimeMessage.LoadAsync(file);
            Assert.Equal("Lotse: Sie haben eine neue Nachricht", mail.Subject);
            Assert.DoesNotContain("Geheime Antwort", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            if (mail.To.Mailboxes.Single().Address == "mond@example.org")
            {
                toClient++;
                Assert.DoesNotContain("Geheime Antwort", mail.TextBody, StringComparison.Ordinal);
                Assert.DoesNotContain("anna", mail.TextBody, StringComparison.Ordinal);
            }
        }

        Assert.Equal(1, toClient);
    }

    [Fact]
    public async Task Answer_AnonymousClient_NoEmailButInAppNoticeWithLinkToThread()
    {
        var (anna, client, counsellor) = await AnnaAndMondAsync();
        var id = await SendRequestAsync(client, $"berater={anna.Id}");
        Assert.Equal(1, await DispatchMailsAsync());

        await ReplyAsync(counsellor, $"/posteingang/{id}", "Geheime Antwort der Beraterin");

        Assert.Equal(0, await DispatchMailsAsync());
        Assert.Single(MailFiles());
        var mond = await WithDbAsync(db => db.Clients.AsNoTracking().SingleAsync());
        var notification = await WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.UserId == mond.UserId));
        Assert.Equal((NotificationKind.NewMailMessage, EmailState.None), (notification.Kind, notification.Email));
        var page = await client.GetStringAsync("/benachrichtigungen");
        Assert.Contains("Sie haben eine neue Nachricht in Ihrer Mailberatung.", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/anfragen/{id}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Geheime Antwort", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/posteingang/{id}\"", await counsellor.GetStringAsync("/benachrichtigungen"), StringComparison.Ordinal);
    }

    private async Task<(Counsellor Anna, HttpClient Client, HttpClient Counsellor)> AnnaAndMondAsync()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        return (anna, await LoginAsync(Mond), await LoginAsync(Anna));
    }

    /// <summary>Anna takes no new requests and nobody stands in: Mond's request waits in the queue of Lotsenhaus.</summary>
    private async Task<(Counsellor Anna, Counsellor Ben, Counsellor Carla, Guid ThreadId)> QueuedRequestAsync()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        var carla = await AddCounsellorAsync(Carla, ByCapacity(1), agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}", "In der Warteschlange");
        Assert.True((await ThreadAsync(id)).IsInQueue);
        return (anna, ben, carla, id);
    }

    private static async Task<HttpResponseMessage> TakeFromQueueAsync(HttpClient http, Guid id) =>
        await PostAsync(http, $"/posteingang/warteschlange?handler=Take&id={id}", await AntiforgeryTokenAsync(http, "/posteingang/warteschlange"), new Dictionary<string, string>());

    /// <summary>The error shown at a field (the element that names it with data-valmsg-for).</summary>
    private static string FieldError(string html, string field)
    {
        var at = html.IndexOf($"data-valmsg-for=\"{field}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"No error place for {field}.");
        var start = html.IndexOf('>', at) + 1;
        return System.Net.WebUtility.HtmlDecode(html[start..html.IndexOf('<', start)]).Trim();
    }
}

public sealed class MailThreadTestsOnSqlite() : MailThreadTests(DatabaseKind.Sqlite);

public sealed class MailThreadTestsOnPostgres() : MailThreadTests(DatabaseKind.Postgres);
