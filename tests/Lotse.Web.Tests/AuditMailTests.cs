using System.Net;
using Lotse.Domain.Audit;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Mail;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests;

/// <summary>The audit entries of mail counselling: routing, reads by counsellors, the queue, taking, closing, settings.</summary>
public abstract class AuditMailTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task MailRequest_TakenByAddressee_RecordsAssignment()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        App.Clock.Advance(TimeSpan.FromMinutes(11));

        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailRequestRouted);
        Assert.Equal((mond.UserId, Roles.Client, ""), (entry.ActorUserId, entry.ActorRole, entry.ActorDisplay));
        Assert.Equal((AuditTargetType.MailThread, id.ToString(), agency.Id, Now), (entry.TargetType, entry.TargetId, entry.AgencyId, entry.OccurredUtc));
        Assert.Equal("Zugeteilt an anna, weil unbegrenzte Anfragen", entry.Details);
    }

    [Fact]
    public async Task MailRequest_ForwardedToFallback_RecordsWhereAndWhy()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddClientAsync(Mond);

        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailRequestRouted);
        Assert.Equal("Weitergeleitet an ben (Fallback der Beratungsstelle), von anna, weil keine neuen Anfragen", entry.Details);
    }

    [Fact]
    public async Task MailRequest_SubmittedTwice_OneThreadOneEntry()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var http = await LoginAsync(Mond);
        var form = await RequestFormAsync(http, $"berater={anna.Id}");

        var first = ThreadIdOf(await PostRequestAsync(http, $"berater={anna.Id}", form, "Betreff", "Text"), "/anfragen/");
        var second = ThreadIdOf(await PostRequestAsync(http, $"berater={anna.Id}", form, "Betreff", "Text"), "/anfragen/");

        Assert.Equal(first, second);
        Assert.Single(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.MailRequestRouted));
    }

    [Fact]
    public async Task MailRequest_EntryCannotBeWritten_NoThreadEither()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var http = await LoginAsync(Mond);
        var form = await RequestFormAsync(http, $"berater={anna.Id}");
        await AuditTestSupport.RefuseInsertsAsync(App.Services);

        var response = await PostRequestAsync(http, $"berater={anna.Id}", form, "Betreff", "Text");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await ThreadsAsync());
        Assert.Empty(await MessagesAsync());
    }

    [Fact]
    public async Task CounsellorOpensThread_EntryCannotBeWritten_ContentNotShown()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}", "Betreff", "Nur mit Protokoll zu lesen");
        var counsellor = await LoginAsync(Anna);
        await AuditTestSupport.RefuseInsertsAsync(App.Services);

        var response = await counsellor.GetAsync($"/posteingang/{id}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("Nur mit Protokoll zu lesen", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CounsellorOpensThread_RecordsReadBeforeShowing()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        var counsellor = await LoginAsync(Anna);
        App.Clock.Advance(TimeSpan.FromHours(2));

        var page = await counsellor.GetAsync($"/posteingang/{id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailThreadRead);
        Assert.Equal((anna.UserId, "anna", Roles.Counsellor), (entry.ActorUserId, entry.ActorDisplay, entry.ActorRole));
        Assert.Equal((AuditTargetType.MailThread, id.ToString(), agency.Id, Now), (entry.TargetType, entry.TargetId, entry.AgencyId, entry.OccurredUtc));
    }

    [Fact]
    public async Task ClientOpensOwnThread_NoReadRecorded()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var id = await SendRequestAsync(client, $"berater={anna.Id}");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/anfragen/{id}")).StatusCode);

        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.MailThreadRead));
    }

    [Fact]
    public async Task ForeignCounsellorAsksForThread_NotFoundAndNoRead()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        Assert.Equal(HttpStatusCode.NotFound, (await (await LoginAsync(Ben)).GetAsync($"/posteingang/{id}")).StatusCode);

        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.MailThreadRead));
    }

    [Fact]
    public async Task Queue_ViewedOpenedTaken_RecordsEachStep()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        Assert.Contains("In die Warteschlange, von anna", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailRequestRouted)).Details, StringComparison.Ordinal);
        var benHttp = await LoginAsync(Ben);

        await benHttp.GetStringAsync("/posteingang/warteschlange");
        await benHttp.GetStringAsync($"/posteingang/{id}");
        var taken = await PostAsync(benHttp, $"/posteingang/warteschlange?handler=Take&id={id}", await AntiforgeryTokenAsync(benHttp, "/posteingang/warteschlange"), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        var viewed = await AuditTestSupport.EntriesAsync(App.Services, AuditAction.MailQueueViewed);
        Assert.Equal(2, viewed.Count); // once looked at, once for the form's token
        Assert.All(viewed, e => Assert.Equal((ben.UserId, AuditTargetType.Agency, agency.Id), (e.ActorUserId, e.TargetType, e.AgencyId)));
        var read = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailThreadRead);
        Assert.Equal((ben.UserId, "Anfrage aus der Warteschlange geöffnet"), (read.ActorUserId, read.Details));
        var take = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailRequestTaken);
        Assert.Equal((ben.UserId, AuditTargetType.MailThread, id.ToString(), agency.Id), (take.ActorUserId, take.TargetType, take.TargetId, take.AgencyId));
    }

    [Fact]
    public async Task Queue_SecondTaker_TooLateAndNoEntry()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddCounsellorAsync(Carla, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        var benHttp = await LoginAsync(Ben);
        var carlaHttp = await LoginAsync(Carla);
        var carlaToken = await AntiforgeryTokenAsync(carlaHttp, "/posteingang/warteschlange");

        await PostAsync(benHttp, $"/posteingang/warteschlange?handler=Take&id={id}", await AntiforgeryTokenAsync(benHttp, "/posteingang/warteschlange"), new Dictionary<string, string>());
        var late = await PostAsync(carlaHttp, $"/posteingang/warteschlange?handler=Take&id={id}", carlaToken, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Single(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.MailRequestTaken));
    }

    [Fact]
    public async Task Thread_ClosedAndArchived_RecordsStatusChanges()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var id = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        var counsellor = await LoginAsync(Anna);

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(counsellor, id, "Close")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(counsellor, id, "Archive")).StatusCode);

        var closed = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailThreadClosed);
        Assert.Equal((anna.UserId, id.ToString(), agency.Id, "Status: offen → abgeschlossen"), (closed.ActorUserId, closed.TargetId, closed.AgencyId, closed.Details));
        var archived = await AuditTestSupport.SingleAsync(App.Services, AuditAction.MailThreadArchived);
        Assert.Equal("Status: abgeschlossen → archiviert", archived.Details);
    }

    [Fact]
    public async Task AgencyMailSettings_FallbackChanged_RecordsForAgency()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddAdminAsync("leitung@test.lotse", agency);
        var admin = await LoginAsync("leitung@test.lotse");

        var saved = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
        {
            ["Input.FallbackCounsellorId"] = ben.Id.ToString(),
            ["Input.ResponseTargetHours"] = "48",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AgencyMailSettingsChanged);
        Assert.Equal((Roles.AgencyAdmin, agency.Id, "Fallback-Berater:in: keine → ben"), (entry.ActorRole, entry.AgencyId, entry.Details));
    }

    [Fact]
    public async Task RegularClient_Marked_RecordsRelationChange()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        await RelateAsync(anna, mond, regular: false);
        var http = await LoginAsync(Anna);

        var marked = await PostFormAsync(http, "/stammklienten?handler=Mark", new Dictionary<string, string> { ["clientId"] = mond.Id.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.RegularClientChanged);
        Assert.Equal((anna.UserId, AuditTargetType.Client, mond.Id.ToString(), "Als Stammklient:in markiert"), (entry.ActorUserId, entry.TargetType, entry.TargetId, entry.Details));
    }
}

public sealed class AuditMailTestsOnSqlite() : AuditMailTests(DatabaseKind.Sqlite);

public sealed class AuditMailTestsOnPostgres() : AuditMailTests(DatabaseKind.Postgres);
