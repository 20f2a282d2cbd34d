using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Audit;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests;

/// <summary>/verwaltung/protokoll: who may see it, that an admin sees their own agency only, and the filters.</summary>
public abstract partial class AuditPageTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string Page = "/verwaltung/protokoll";
    private const string AdminA = "leitung-a@test.lotse";
    private const string AdminB = "leitung-b@test.lotse";

    [Fact]
    public async Task AuditPage_Anonymous_RedirectedToLogin()
    {
        var response = await Browser().GetAsync(Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/anmelden", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_ClientOrCounsellor_Forbidden()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);

        Assert.Equal(HttpStatusCode.Forbidden, (await (await LoginAsync(Anna)).GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await LoginAsync(Mond)).GetAsync(Page)).StatusCode);
    }

    [Fact]
    public async Task AuditPage_AdminOfAgency_SeesOwnStaffAndThreadsNewestFirst()
    {
        var (anna, threadId, _) = await TwoAgenciesAsync();
        var admin = await LoginAsync(AdminA);

        var html = await admin.GetStringAsync(Page);

        var rows = Rows(html);
        Assert.Contains(rows, r => r.Contains("Mailanfrage zugeteilt", StringComparison.Ordinal) && r.Contains(threadId.ToString()[..8], StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Mailverlauf gelesen", StringComparison.Ordinal) && r.Contains("anna", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Accountstatus geändert", StringComparison.Ordinal));
        // Newest first: the admin's own sign-in happened last.
        Assert.Contains("Anmeldung", rows[0], StringComparison.Ordinal);
        Assert.Contains("leitung-a", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Der Inhalt bleibt geheim", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/verwaltung/protokoll\"", html, StringComparison.Ordinal);
        _ = anna;
    }

    [Fact]
    public async Task AuditPage_AdminOfOtherAgency_SeesNothingOfThisOne()
    {
        var (anna, threadId, dora) = await TwoAgenciesAsync();
        var adminB = await LoginAsync(AdminB);

        var html = await adminB.GetStringAsync(Page);

        var rows = Rows(html);
        Assert.DoesNotContain(threadId.ToString()[..8], html, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains("anna", StringComparison.Ordinal) || r.Contains("Mond", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("Mailverlauf gelesen", StringComparison.Ordinal) || r.Contains("Accountstatus geändert", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("Mailanfrage zugeteilt", StringComparison.Ordinal));
        Assert.DoesNotContain($"value=\"{anna.UserId}\"", html, StringComparison.Ordinal);
        // Its own people are there.
        Assert.Contains(rows, r => r.Contains("dora", StringComparison.Ordinal));
        // Asking for agency A's counsellor by id shows nothing either.
        var asked = await adminB.GetAsync($"{Page}?person={anna.UserId}");
        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        Assert.Empty(Rows(await asked.Content.ReadAsStringAsync()));
        _ = dora;
    }

    [Fact]
    public async Task AuditPage_FilterByPerson_OnlyTheirEntries()
    {
        var (anna, _, _) = await TwoAgenciesAsync();
        var admin = await LoginAsync(AdminA);

        var html = await admin.GetStringAsync($"{Page}?person={anna.UserId}");

        var rows = Rows(html);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("anna", r, StringComparison.Ordinal));
        Assert.Contains($"<option value=\"{anna.UserId}\" selected=\"selected\">anna</option>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_FilterByAction_OnlyThatKind()
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(AdminA);

        var html = await admin.GetStringAsync($"{Page}?aktion={nameof(AuditAction.MailThreadRead)}");

        var rows = Rows(html);
        Assert.Single(rows);
        Assert.Contains("Mailverlauf gelesen", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_FilterByPeriod_BerlinDaysInclusive()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        // Tue 24.11.2026 09:00 Berlin: Anna signs in; 25.11. 23:30 Berlin (22:30 UTC): again; 27.11.: again.
        await LoginAsync(Anna);
        App.Clock.Advance(new DateTime(2026, 11, 25, 22, 30, 0, DateTimeKind.Utc) - Now);
        await LoginAsync(Anna);
        App.Clock.Advance(TimeSpan.FromDays(2));
        await LoginAsync(Anna);
        var admin = await LoginAsync(AdminA);

        var html = await admin.GetStringAsync($"{Page}?von=2026-11-25&bis=2026-11-25&aktion=LoginSucceeded");

        var rows = Rows(html);
        Assert.Single(rows);
        Assert.Contains("25.11.2026, 23:30", rows[0], StringComparison.Ordinal);
        Assert.Equal(3, Rows(await admin.GetStringAsync($"{Page}?von=2026-11-24&aktion=LoginSucceeded&person=" + await UserIdAsync(Anna))).Count);
    }

    [Fact]
    public async Task AuditPage_PeriodEndBeforeStart_GermanMessageAndBadRequest()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddAdminAsync(AdminA, agency);
        var admin = await LoginAsync(AdminA);

        var response = await admin.GetAsync($"{Page}?von=2026-11-25&bis=2026-11-20");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Das Datum im Feld „Bis“ liegt vor dem im Feld „Von“.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Empty(Rows(html));
    }

    [Fact]
    public async Task AuditPage_ManyEntries_PagedFiftyAtATime()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        for (var i = 0; i < 55; i++)
        {
            await PostFormAsync(Browser(), "/anmelden", new Dictionary<string, string> { ["Input.Login"] = Anna, ["Input.Password"] = "falsch-" + i });
            await WithDbAsync(async db =>
            {
                // Keep the account open: this test is about paging, not lockout.
                var user = db.Users.Single(u => u.UserName == Anna);
                user.AccessFailedCount = 0;
                await db.SaveChangesAsync();
            });
        }

        var admin = await LoginAsync(AdminA);

        var first = await admin.GetStringAsync($"{Page}?aktion=LoginFailed");
        Assert.Equal(50, Rows(first).Count);
        Assert.Contains("Seite 1 von 2", first, StringComparison.Ordinal);
        Assert.Contains("seite=2&amp;aktion=LoginFailed", first, StringComparison.Ordinal);
        Assert.Equal(5, Rows(await admin.GetStringAsync($"{Page}?seite=2&aktion=LoginFailed")).Count);
    }

    /// <summary>
    /// Agency A ("Lotsenhaus": Anna, admin A) where Mond's request is routed, read and Anna changes her status; agency B
    /// ("Leuchtturm": Dora, admin B) where Dora signs in.
    /// </summary>
    private async Task<(Lotse.Domain.Accounts.Counsellor Anna, Guid ThreadId, Lotse.Domain.Accounts.Counsellor Dora)> TwoAgenciesAsync()
    {
        var a = await AddAgencyAsync("Lotsenhaus");
        var b = await AddAgencyAsync("Leuchtturm");
        var anna = await AddCounsellorAsync(Anna, Unlimited, a);
        var dora = await AddCounsellorAsync("dora@test.lotse", Unlimited, b);
        await AddAdminAsync(AdminA, a);
        await AddAdminAsync(AdminB, b);
        await AddClientAsync(Mond);
        var threadId = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}", "Der Inhalt bleibt geheim", "Wirklich geheim");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var annaHttp = await LoginAsync(Anna);
        await annaHttp.GetStringAsync($"/posteingang/{threadId}");
        await PostFormAsync(annaHttp, "/einstellungen/mailberatung", new Dictionary<string, string> { ["Input.MailCapacity"] = "4" });
        await LoginAsync("dora@test.lotse");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        return (anna, threadId, dora);
    }

    private Task<string> UserIdAsync(string userName) =>
        WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.UserName == userName).Id));

    private static List<string> Rows(string html) =>
        RowPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [GeneratedRegex("<tr data-testid=\"audit-row\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();
}

public sealed class AuditPageTestsOnSqlite() : AuditPageTests(DatabaseKind.Sqlite);

public sealed class AuditPageTestsOnPostgres() : AuditPageTests(DatabaseKind.Postgres);
