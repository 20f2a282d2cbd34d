using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Where a new mail request goes, through the real pages: the mail modes, capacity, fallbacks, requests to an agency,
/// absences (issue 3) and regular clients; and what client and counsellor are told about it.
/// </summary>
public abstract class MailRoutingTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task Request_ToCounsellorWhoTakesIt_RedirectsToThreadThatNamesHer()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);

        var id = await SendRequestAsync(client, $"berater={anna.Id}", "Schlaflos", "Seit Wochen schlafe ich schlecht.");
        var page = await client.GetStringAsync($"/anfragen/{id}");

        Assert.Contains("Ihre Anfrage ist angekommen.", page, StringComparison.Ordinal);
        Assert.Contains("Es antwortet Ihnen anna.", page, StringComparison.Ordinal);
        Assert.Contains("Seit Wochen schlafe ich schlecht.", page, StringComparison.Ordinal);
        Assert.Contains(">offen<", page, StringComparison.Ordinal);
        var thread = await ThreadAsync(id);
        Assert.Equal((anna.Id, RouteKind.Counsellor, RouteReason.Unlimited), (thread.CounsellorId!.Value, thread.RouteKind, thread.RouteReason));
        var inbox = await (await LoginAsync(Anna)).GetStringAsync("/posteingang");
        Assert.Equal([id], ListedThreads(inbox));
        Assert.Contains("Schlaflos", inbox, StringComparison.Ordinal);
        Assert.DoesNotContain("Seit Wochen schlafe ich schlecht.", inbox, StringComparison.Ordinal);
        Assert.Contains("Schlaflos", await client.GetStringAsync("/anfragen"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToFullCounsellor_GoesToAgencyFallbackAndBothSidesAreTold()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(1), agency);
        var ben = await AddCounsellorAsync(Ben, NoNewRequests, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddClientAsync(Wolke);
        await AddClientAsync(Mond);
        var first = await SendRequestAsync(await LoginAsync(Wolke), $"berater={anna.Id}");
        var client = await LoginAsync(Mond);

        var id = await SendRequestAsync(client, $"berater={anna.Id}", "Streit zu Hause");

        Assert.Equal(anna.Id, (await ThreadAsync(first)).CounsellorId);
        var thread = await ThreadAsync(id);
        Assert.Equal((ben.Id, RouteKind.AgencyFallback, RouteReason.CapacityFull, anna.Id), (thread.CounsellorId!.Value, thread.RouteKind, thread.RouteReason, thread.ForwardedFromId!.Value));
        Assert.Contains("anna nimmt gerade keine neuen Anfragen an. Damit Sie nicht warten müssen, antwortet Ihnen ben.", await client.GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);
        var fallback = await LoginAsync(Ben);
        var page = await fallback.GetStringAsync($"/posteingang/{id}");
        Assert.Contains("Weitergeleitet von anna, weil", page, StringComparison.Ordinal);
        Assert.Contains("die Höchstzahl offener Anfragen erreicht hat", page, StringComparison.Ordinal);
        Assert.Contains("Sie sind die Fallback-Berater:in der Beratungsstelle.", page, StringComparison.Ordinal);
        Assert.Equal([id], ListedThreads(await fallback.GetStringAsync("/posteingang?filter=weitergeleitet")));
        Assert.Contains("data-testid=\"mail-forwarded\"", ListItem(await fallback.GetStringAsync("/posteingang"), id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_PersonalFallbackNamed_TakesPrecedenceOverAgencyFallback()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        var carla = await AddCounsellorAsync(Carla, NoNewRequests, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var counsellor = await LoginAsync(Anna);
        var saved = await PostFormAsync(counsellor, "/einstellungen/mailberatung", new Dictionary<string, string>
        {
            ["Input.MailCapacity"] = "10",
            ["Input.PersonalFallbackId"] = carla.Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);

        var id = await SendRequestAsync(client, $"berater={anna.Id}");

        var thread = await ThreadAsync(id);
        Assert.Equal((carla.Id, RouteKind.PersonalFallback, RouteReason.NoNewRequests), (thread.CounsellorId!.Value, thread.RouteKind, thread.RouteReason));
        Assert.Contains("antwortet Ihnen carla.", await client.GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);
        var page = await (await LoginAsync(Carla)).GetStringAsync($"/posteingang/{id}");
        Assert.Contains("Weitergeleitet von anna, weil", page, StringComparison.Ordinal);
        Assert.Contains("Sie sind die persönliche Fallback-Berater:in.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToAgency_GoesToCounsellorWithFewestOpenRequestsWhoTakesNewOnes()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        // Carla has the fewest open requests (none) but takes no new ones.
        await AddCounsellorAsync(Carla, NoNewRequests, agency);
        await AddClientAsync(Wolke);
        var wolke = await LoginAsync(Wolke);
        await SendRequestAsync(wolke, $"berater={anna.Id}");
        await SendRequestAsync(wolke, $"berater={anna.Id}");
        await SendRequestAsync(wolke, $"berater={ben.Id}");
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        Assert.Contains("Anfrage an Lotsenhaus", await client.GetStringAsync($"/anfragen/neu?stelle={agency.Id}"), StringComparison.Ordinal);

        var id = await SendRequestAsync(client, $"stelle={agency.Id}");

        var thread = await ThreadAsync(id);
        Assert.Equal((ben.Id, RouteKind.Counsellor, RouteReason.LeastLoaded), (thread.CounsellorId!.Value, thread.RouteKind, thread.RouteReason));
        Assert.Null(thread.AddressedCounsellorId);
        Assert.Contains("Es antwortet Ihnen ben.", await client.GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);
        Assert.Contains(
            "gerichtet; Ihnen zugeteilt, weil Sie die wenigsten offenen Anfragen hatten.",
            await (await LoginAsync(Ben)).GetStringAsync($"/posteingang/{id}"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToAgencyNobodyTakesAndNoFallback_WaitsInQueueAndClientIsTold()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, NoNewRequests, agency);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);

        var id = await SendRequestAsync(client, $"stelle={agency.Id}");

        var thread = await ThreadAsync(id);
        Assert.Equal((RouteKind.Queue, RouteReason.NobodyFree, QueueCause.NoFallback), (thread.RouteKind, thread.RouteReason, thread.QueueCause));
        Assert.Null(thread.CounsellorId);
        Assert.Contains("Die nächste freie Berater:in übernimmt sie und antwortet Ihnen hier.", await client.GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_FallbackAbsent_WaitsInQueueWithThatCause()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddAbsenceAsync(ben, Now.AddMinutes(-5), Now.AddDays(3), "Fortbildung");
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);

        var id = await SendRequestAsync(client, $"berater={anna.Id}");

        var thread = await ThreadAsync(id);
        Assert.Equal((RouteKind.Queue, RouteReason.NoNewRequests, QueueCause.FallbackAbsent, anna.Id), (thread.RouteKind, thread.RouteReason, thread.QueueCause, thread.ForwardedFromId!.Value));
        Assert.Contains("Die nächste freie Berater:in übernimmt sie und antwortet Ihnen hier.", await client.GetStringAsync($"/anfragen/{id}"), StringComparison.Ordinal);
        var queued = await (await LoginAsync(Anna)).GetStringAsync($"/posteingang/{id}");
        Assert.Contains("Wartet in der Warteschlange", queued, StringComparison.Ordinal);
        Assert.Contains("die Fallback-Berater:in ist abwesend", queued, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModeOrCapacityChange_AppliesToTheVeryNextRequest()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(1), agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var counsellor = await LoginAsync(Anna);
        var to = $"berater={anna.Id}";

        Assert.Equal(anna.Id, (await ThreadAsync(await SendRequestAsync(client, to))).CounsellorId);
        Assert.Equal(ben.Id, (await ThreadAsync(await SendRequestAsync(client, to))).CounsellorId);

        var capacity = await PostFormAsync(counsellor, "/einstellungen/mailberatung", new Dictionary<string, string> { ["Input.MailCapacity"] = "2" });
        Assert.Equal(HttpStatusCode.Redirect, capacity.StatusCode);
        Assert.Equal(anna.Id, (await ThreadAsync(await SendRequestAsync(client, to))).CounsellorId);

        await ChangeMailModeAsync(counsellor, "NoNewRequests");
        var forwarded = await ThreadAsync(await SendRequestAsync(client, to));
        Assert.Equal((ben.Id, RouteReason.NoNewRequests), (forwarded.CounsellorId!.Value, forwarded.RouteReason));

        await ChangeMailModeAsync(counsellor, "Unlimited");
        var kept = await ThreadAsync(await SendRequestAsync(client, to));
        Assert.Equal((anna.Id, RouteReason.Unlimited), (kept.CounsellorId!.Value, kept.RouteReason));
    }

    [Fact]
    public async Task Absence_Starts_NextRequestGoesToFallbackButFollowUpStillReachesHer()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        await AddClientAsync(Mond);
        await AddClientAsync(Wolke);
        var mond = await LoginAsync(Mond);
        var wolke = await LoginAsync(Wolke);
        var counsellor = await LoginAsync(Anna);
        var existing = await SendRequestAsync(mond, $"berater={anna.Id}", "Meine Anfrage");
        await counsellor.GetStringAsync($"/posteingang/{existing}");
        Assert.DoesNotContain("data-testid=\"mail-unread\"", ListItem(await counsellor.GetStringAsync("/posteingang"), existing), StringComparison.Ordinal);
        await AddAbsenceAsync(anna, Now.AddHours(1), Now.AddDays(7), "Ich bin im Urlaub.");

        // Not yet begun: the request is still hers.
        Assert.Equal(anna.Id, (await ThreadAsync(await SendRequestAsync(wolke, $"berater={anna.Id}"))).CounsellorId);

        App.Clock.Advance(TimeSpan.FromHours(1));
        var form = await wolke.GetStringAsync($"/anfragen/neu?berater={anna.Id}");
        Assert.Contains("anna ist abwesend bis", form, StringComparison.Ordinal);
        Assert.Contains("Ich bin im Urlaub.", form, StringComparison.Ordinal);
        var during = await SendRequestAsync(wolke, $"berater={anna.Id}");
        var forwarded = await ThreadAsync(during);
        Assert.Equal((ben.Id, RouteKind.AgencyFallback, RouteReason.Absent), (forwarded.CounsellorId!.Value, forwarded.RouteKind, forwarded.RouteReason));
        Assert.Contains("anna ist abwesend. Damit Sie nicht warten müssen, antwortet Ihnen ben.", await wolke.GetStringAsync($"/anfragen/{during}"), StringComparison.Ordinal);
        Assert.Contains("Weitergeleitet von anna, weil anna abwesend ist.", await (await LoginAsync(Ben)).GetStringAsync($"/posteingang/{during}"), StringComparison.Ordinal);

        // A follow-up is never routed: it reaches her, unread in her inbox.
        await ReplyAsync(mond, $"/anfragen/{existing}", "Noch eine Frage zu meiner Anfrage.");

        Assert.Equal(anna.Id, (await ThreadAsync(existing)).CounsellorId);
        Assert.Equal(2, (await MessagesAsync(existing)).Count);
        var inbox = await counsellor.GetStringAsync("/posteingang");
        Assert.Equal(existing, ListedThreads(inbox)[0]);
        Assert.Contains("data-testid=\"mail-unread\"", ListItem(inbox, existing), StringComparison.Ordinal);
        var page = await mond.GetStringAsync($"/anfragen/{existing}");
        Assert.Contains("data-testid=\"absence-note\"", page, StringComparison.Ordinal);
        Assert.Contains("anna ist abwesend bis", page, StringComparison.Ordinal);
        Assert.Contains("Ich bin im Urlaub.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_RegularClientToStammberaterin_StaysUnderNoNewRequestsAndFullCapacity()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var mondClient = await AddClientAsync(Mond);
        await RelateAsync(anna, mondClient, regular: true);
        await AddClientAsync(Wolke);
        var mond = await LoginAsync(Mond);
        var to = $"berater={anna.Id}";

        var underNoNew = await ThreadAsync(await SendRequestAsync(mond, to));
        await ChangeStatusAsync(anna, ByCapacity(1));
        var underFull = await ThreadAsync(await SendRequestAsync(mond, to));
        var other = await ThreadAsync(await SendRequestAsync(await LoginAsync(Wolke), to));

        Assert.Equal((anna.Id, RouteReason.RegularClient), (underNoNew.CounsellorId!.Value, underNoNew.RouteReason));
        Assert.Equal((anna.Id, RouteReason.RegularClient), (underFull.CounsellorId!.Value, underFull.RouteReason));
        Assert.Equal((ben.Id, RouteReason.CapacityFull), (other.CounsellorId!.Value, other.RouteReason));
        Assert.Contains("Von Ihrer Stammklient:in", await (await LoginAsync(Anna)).GetStringAsync($"/posteingang/{underFull.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NonRegularClientToRegularClientsOnlyCounsellor_Refused409NothingStored()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10), agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var mondClient = await AddClientAsync(Mond);
        await RelateAsync(anna, mondClient, regular: true);
        await AddClientAsync(Wolke);
        var wolke = await LoginAsync(Wolke);
        var page = await wolke.GetStringAsync($"/anfragen/neu?berater={anna.Id}");
        Assert.Contains("anna nimmt derzeit nur Stammklient:innen an.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"mail-request-form\"", page, StringComparison.Ordinal);

        // A post made anyway (an old tab, a script) is refused, not forwarded.
        var response = await PostRequestAsync(wolke, $"berater={anna.Id}", new ShownForm(await AntiforgeryTokenAsync(wolke, "/berater"), Guid.NewGuid()), "Bitte", "Darf ich trotzdem schreiben?");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("anna nimmt derzeit nur Stammklient:innen an. Eine Anfrage ist deshalb nicht möglich.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await ThreadsAsync());
        Assert.Empty(await MessagesAsync());
        Assert.Equal(0, await WithDbAsync(db => db.Notifications.CountAsync()));

        // Her regular client may write.
        Assert.Equal(anna.Id, (await ThreadAsync(await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}"))).CounsellorId);
    }

    private static async Task ChangeMailModeAsync(HttpClient counsellor, string mode)
    {
        var response = await PostFormAsync(counsellor, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "false",
            ["Status.Chat"] = "Online",
            ["Status.Mail"] = mode,
        }, formPage: "/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private Task ChangeStatusAsync(Counsellor counsellor, AccountStatus status) =>
        WithDbAsync(async db =>
        {
            var tracked = await db.Counsellors.SingleAsync(c => c.Id == counsellor.Id);
            tracked.ChangeStatus(status);
            await db.SaveChangesAsync();
        });
}

public sealed class MailRoutingTestsOnSqlite() : MailRoutingTests(DatabaseKind.Sqlite);

public sealed class MailRoutingTestsOnPostgres() : MailRoutingTests(DatabaseKind.Postgres);
