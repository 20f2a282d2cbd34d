using System.Net;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Who may see and do what in mail counselling (decision 4: foreign ids are 404, wrong roles 403), and the two settings
/// pages: the agency admin's fallback and response target, the counsellor's personal fallback.
/// </summary>
public abstract class MailAccessTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task ClientThread_OtherClient_404ForPageAndFollowUp()
    {
        var (_, thread) = await MondsThreadWithAnnaAsync();
        await AddClientAsync(Wolke);
        var wolke = await LoginAsync(Wolke);

        var page = await wolke.GetAsync($"/anfragen/{thread}");
        var reply = await PostReplyAsync(wolke, $"/anfragen/{thread}", new ShownForm(await AntiforgeryTokenAsync(wolke, "/berater"), Guid.NewGuid()), "Ich mische mich ein.");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Single(await MessagesAsync(thread));
        Assert.DoesNotContain("Ich brauche Rat", await wolke.GetStringAsync("/anfragen"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await wolke.GetAsync($"/anfragen/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task CounsellorThread_ColleagueOfSameAgency_404ForPageFollowUpAndSteps()
    {
        var (anna, thread) = await MondsThreadWithAnnaAsync();
        var ben = await LoginAsync(Ben);
        var token = await AntiforgeryTokenAsync(ben, "/posteingang");

        Assert.Equal(HttpStatusCode.NotFound, (await ben.GetAsync($"/posteingang/{thread}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostReplyAsync(ben, $"/posteingang/{thread}", new ShownForm(token, Guid.NewGuid()), "Fremde Antwort")).StatusCode);
        foreach (var step in new[] { "Close", "Archive", "Take" })
        {
            var response = await StepAsync(ben, thread, step, formPage: "/posteingang");
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{step}: {(int)response.StatusCode} {response.Headers.Location}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ben, $"/posteingang/warteschlange?handler=Take&id={thread}", token, new Dictionary<string, string>())).StatusCode);
        Assert.Empty(ListedThreads(await ben.GetStringAsync("/posteingang")));
        var stored = await ThreadAsync(thread);
        Assert.Equal((anna.Id, Lotse.Domain.Mail.MailThreadState.Open), (stored.CounsellorId!.Value, stored.State));
        Assert.Single(await MessagesAsync(thread));
    }

    [Fact]
    public async Task CounsellorAndAdminPages_AsClient_403()
    {
        var (_, thread) = await MondsThreadWithAnnaAsync();
        var mond = await LoginAsync(Mond);

        foreach (var url in new[] { "/posteingang", "/posteingang?filter=ueberfaellig", "/posteingang/warteschlange", $"/posteingang/{thread}", "/einstellungen/mailberatung", "/verwaltung/mailberatung" })
        {
            var response = await mond.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)response.StatusCode}");
            Assert.Contains("Kein Zugriff", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ClientAndAdminPages_AsCounsellor_403()
    {
        var (anna, thread) = await MondsThreadWithAnnaAsync();
        var counsellor = await LoginAsync(Anna);

        foreach (var url in new[] { $"/anfragen/neu?berater={anna.Id}", "/anfragen", $"/anfragen/{thread}", "/verwaltung/mailberatung" })
        {
            var response = await counsellor.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task NewRequest_PostAsCounsellor_403NothingStored()
    {
        var (anna, _) = await MondsThreadWithAnnaAsync();
        var ben = await LoginAsync(Ben);

        var response = await PostRequestAsync(ben, $"berater={anna.Id}", new ShownForm(await AntiforgeryTokenAsync(ben, "/posteingang"), Guid.NewGuid()), "Von Kollegin", "Text");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(await ThreadsAsync());
    }

    [Fact]
    public async Task MailPages_Anonymous_RedirectedToLogin()
    {
        var (anna, thread) = await MondsThreadWithAnnaAsync();
        var anonymous = Browser();

        foreach (var url in new[]
        {
            "/anfragen", $"/anfragen/neu?berater={anna.Id}", $"/anfragen/{thread}", "/posteingang", "/posteingang/warteschlange", $"/posteingang/{thread}",
            "/verwaltung/mailberatung", "/einstellungen/mailberatung",
        })
        {
            var response = await anonymous.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {(int)response.StatusCode}");
            Assert.Contains("/anmelden?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NewRequest_UnknownCounsellorOrAgency_404()
    {
        await MondsThreadWithAnnaAsync();
        var mond = await LoginAsync(Mond);

        Assert.Equal(HttpStatusCode.NotFound, (await mond.GetAsync($"/anfragen/neu?berater={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mond.GetAsync($"/anfragen/neu?stelle={Guid.NewGuid()}")).StatusCode);
        var response = await PostRequestAsync(mond, $"berater={Guid.NewGuid()}", new ShownForm(await AntiforgeryTokenAsync(mond, "/berater"), Guid.NewGuid()), "Betreff", "Text");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(await ThreadsAsync());
    }

    [Fact]
    public async Task AgencyAdmin_SetsOwnCounsellorAsFallback_NextRequestGoesThere()
    {
        var (anna, _) = await MondsThreadWithAnnaAsync();
        var agency = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Name == "Lotsenhaus"));
        var ben = await WithDbAsync(db => db.Counsellors.AsNoTracking().SingleAsync(c => c.DisplayName == "ben"));
        await AddAdminAsync("admin@test.lotse", agency);
        var admin = await LoginAsync("admin@test.lotse");
        var page = await admin.GetStringAsync("/verwaltung/mailberatung");
        Assert.Contains("Lotsenhaus", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{ben.Id}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("dora", page, StringComparison.Ordinal);

        var response = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
        {
            ["Input.FallbackCounsellorId"] = ben.Id.ToString(),
            ["Input.ResponseTargetHours"] = "24",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id));
        Assert.Equal((ben.Id, 24), (saved.FallbackCounsellorId!.Value, saved.ResponseTargetHours));
        await SetCounsellorNoNewRequestsAsync(anna.Id);
        Assert.Equal(ben.Id, (await ThreadAsync(await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}"))).CounsellorId);

        // An admin sees no counselling content.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/posteingang")).StatusCode);
    }

    [Fact]
    public async Task AgencyAdmin_CounsellorOfAnotherAgencyAsFallback_400NothingChanges()
    {
        await MondsThreadWithAnnaAsync();
        var agency = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Name == "Lotsenhaus"));
        var dora = await WithDbAsync(db => db.Counsellors.AsNoTracking().SingleAsync(c => c.DisplayName == "dora"));
        await AddAdminAsync("admin@test.lotse", agency);
        var admin = await LoginAsync("admin@test.lotse");

        var response = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
        {
            ["Input.FallbackCounsellorId"] = dora.Id.ToString(),
            ["Input.ResponseTargetHours"] = "24",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bitte wählen Sie eine Berater:in Ihrer Beratungsstelle.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id));
        Assert.Equal((null, 48), (saved.FallbackCounsellorId, saved.ResponseTargetHours));
    }

    [Fact]
    public async Task AgencyAdmin_ResponseTargetOutOfRange_400NamingFieldNothingChanges()
    {
        await MondsThreadWithAnnaAsync();
        var agency = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Name == "Lotsenhaus"));
        var ben = await WithDbAsync(db => db.Counsellors.AsNoTracking().SingleAsync(c => c.DisplayName == "ben"));
        await AddAdminAsync("admin@test.lotse", agency);
        var admin = await LoginAsync("admin@test.lotse");

        foreach (var (hours, message) in new[]
        {
            ("0", "muss eine ganze Zahl von 1 bis 336 sein"),
            ("337", "muss eine ganze Zahl von 1 bis 336 sein"),
            ("-5", "muss eine ganze Zahl von 1 bis 336 sein"),
            ("", "Bitte füllen Sie das Feld „Antwortziel in Stunden“ aus."),
        })
        {
            var response = await PostFormAsync(admin, "/verwaltung/mailberatung", new Dictionary<string, string>
            {
                ["Input.FallbackCounsellorId"] = ben.Id.ToString(),
                ["Input.ResponseTargetHours"] = hours,
            });

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{hours}: {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(message, html, StringComparison.Ordinal);
            Assert.Contains("Antwortziel in Stunden", html, StringComparison.Ordinal);
            var saved = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == agency.Id));
            Assert.Equal((null, 48), (saved.FallbackCounsellorId, saved.ResponseTargetHours));
        }
    }

    [Fact]
    public async Task PersonalFallback_CounsellorOfAnotherAgency_400NothingChanges()
    {
        var (anna, _) = await MondsThreadWithAnnaAsync();
        var dora = await WithDbAsync(db => db.Counsellors.AsNoTracking().SingleAsync(c => c.DisplayName == "dora"));
        var counsellor = await LoginAsync(Anna);
        Assert.DoesNotContain("dora", await counsellor.GetStringAsync("/einstellungen/mailberatung"), StringComparison.Ordinal);

        var response = await PostFormAsync(counsellor, "/einstellungen/mailberatung", new Dictionary<string, string>
        {
            ["Input.MailCapacity"] = "3",
            ["Input.PersonalFallbackId"] = dora.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bitte wählen Sie eine Person aus Ihrer Beratungsstelle.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await ReloadCounsellorAsync(anna.Id);
        Assert.Equal((null, 10), (saved.PersonalFallbackId, saved.MailCapacity));
    }

    [Fact]
    public async Task PersonalFallback_Herself_400NothingChanges()
    {
        var (anna, _) = await MondsThreadWithAnnaAsync();
        var counsellor = await LoginAsync(Anna);

        var response = await PostFormAsync(counsellor, "/einstellungen/mailberatung", new Dictionary<string, string>
        {
            ["Input.MailCapacity"] = "3",
            ["Input.PersonalFallbackId"] = anna.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await ReloadCounsellorAsync(anna.Id)).PersonalFallbackId);
    }

    /// <summary>
    /// Lotsenhaus with anna (takes everything) and ben; Anderswo with dora. Mond has written to anna: the thread's id.
    /// </summary>
    private async Task<(Lotse.Domain.Accounts.Counsellor Anna, Guid Thread)> MondsThreadWithAnnaAsync()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddCounsellorAsync(Ben, Unlimited, agency);
        await AddCounsellorAsync("dora@test.lotse", Unlimited, await AddAgencyAsync("Anderswo"));
        await AddClientAsync(Mond);
        var thread = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        return (anna, thread);
    }

    private Task SetCounsellorNoNewRequestsAsync(Guid id) =>
        WithDbAsync(async db =>
        {
            var tracked = await db.Counsellors.SingleAsync(c => c.Id == id);
            tracked.ChangeStatus(NoNewRequests);
            await db.SaveChangesAsync();
        });
}

public sealed class MailAccessTestsOnSqlite() : MailAccessTests(DatabaseKind.Sqlite);

public sealed class MailAccessTestsOnPostgres() : MailAccessTests(DatabaseKind.Postgres);
