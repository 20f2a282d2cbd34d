using System.Net;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 8, "a platform admin sees all": "/verwaltung/plattform" lists every agency with counts (never content), the
/// platform admin chooses the one the admin pages show, and creates new agencies. Agency admins stay in their agency.
/// </summary>
public abstract class PlatformAdminTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string Platform = "/verwaltung/plattform";
    private const string PlatformAdmin = "plattform@test.lotse";
    private const string AdminA = "leitung-a@test.lotse";
    private const string Subject = "Streng vertraulich";

    [Fact]
    public async Task Overview_PlatformAdmin_SeesEveryAgencyWithItsCountsButNoContent()
    {
        var (agencyA, agencyB, anna, _) = await TwoAgenciesAsync();
        var mond = await LoginAsync(Mond);
        await SendRequestAsync(mond, $"berater={anna.Id}", subject: Subject);
        await SendRequestAsync(mond, $"berater={anna.Id}", subject: Subject);
        var admin = await LoginAsync(PlatformAdmin);

        var html = await admin.GetStringAsync(Platform);

        Assert.Contains($"data-agency=\"{agencyA.Id}\" data-counsellors=\"2\" data-open=\"2\" data-queued=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-agency=\"{agencyB.Id}\" data-counsellors=\"1\" data-open=\"0\" data-queued=\"0\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Subject, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_OtherAgency_EveryAdminPageShowsItAndChangesAreAuditedThere()
    {
        var (agencyA, agencyB, _, dora) = await TwoAgenciesAsync();
        var admin = await LoginAsync(PlatformAdmin);

        var chosen = await PostFormAsync(admin, $"{Platform}?handler=Choose&id={agencyB.Id}", new Dictionary<string, string>(), formPage: Platform);

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal("/verwaltung/aufsicht", chosen.Headers.Location?.OriginalString);
        var settings = WebUtility.HtmlDecode(await admin.GetStringAsync("/verwaltung/beratungsstelle"));
        Assert.Contains("<p class=\"lead\">Leuchtturm</p>", settings, StringComparison.Ordinal);
        Assert.Contains("Sie verwalten als Plattform-Verwaltung: Leuchtturm", settings, StringComparison.Ordinal);
        Assert.Contains(">dora<", await admin.GetStringAsync("/verwaltung/berater"), StringComparison.Ordinal);
        Assert.Contains(">dora<", await admin.GetStringAsync("/abwesenheiten/team"), StringComparison.Ordinal);
        Assert.Contains($"data-counsellor=\"{dora.Id}\"", await admin.GetStringAsync("/verwaltung/aufsicht"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/abwesenheiten?berater={dora.Id}")).StatusCode);

        var reopened = await PostFormAsync(admin, "/verwaltung/beratungsstelle?handler=Close", new Dictionary<string, string>
        {
            ["Closing.Message"] = "Wir ziehen um.",
        }, formPage: "/verwaltung/beratungsstelle");

        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        Assert.True((await AgencyAsync(agencyB.Id)).IsClosedForNewRequests);
        Assert.False((await AgencyAsync(agencyA.Id)).IsClosedForNewRequests);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AgencyClosedForNewRequests);
        Assert.Equal((agencyB.Id, Roles.PlatformAdmin), (entry.AgencyId!.Value, entry.ActorRole));
        Assert.Contains("Plattform-Verwaltung", WebUtility.HtmlDecode(await admin.GetStringAsync("/verwaltung/protokoll")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Choose_NoChoiceYet_FirstAgencyByName_AndUnknownAgencyIs404()
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(PlatformAdmin);

        Assert.Contains("<p class=\"lead\">Leuchtturm</p>", await admin.GetStringAsync("/verwaltung/beratungsstelle"), StringComparison.Ordinal);
        var unknown = await PostFormAsync(admin, $"{Platform}?handler=Choose&id={Guid.NewGuid()}", new Dictionary<string, string>(), formPage: Platform);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("<p class=\"lead\">Leuchtturm</p>", await admin.GetStringAsync("/verwaltung/beratungsstelle"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Valid_AgencyStoredAuditedAndChosenForTheAdminPages()
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(PlatformAdmin);

        var created = await PostFormAsync(admin, $"{Platform}?handler=Create", NewAgency("  Familienberatung Nordstern ", nameof(FederalState.Hamburg)), formPage: Platform);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var agency = await WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Name == "Familienberatung Nordstern"));
        Assert.Equal(FederalState.Hamburg, agency.State);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AgencyCreated);
        Assert.Equal(agency.Id, entry.AgencyId);
        Assert.Equal("Name: Familienberatung Nordstern; Bundesland: Hamburg", entry.Details);
        var settings = WebUtility.HtmlDecode(await admin.GetStringAsync("/verwaltung/beratungsstelle"));
        Assert.Contains("Die Beratungsstelle „Familienberatung Nordstern“ ist angelegt.", settings, StringComparison.Ordinal);
        Assert.Contains("<p class=\"lead\">Familienberatung Nordstern</p>", settings, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Hamburg", "Input.Name", "Bitte füllen Sie das Feld „Name der Beratungsstelle“ aus.")]
    [InlineData("leuchtturm", "Hamburg", "Input.Name", "Eine Beratungsstelle mit diesem Namen gibt es schon.")]
    [InlineData("Nordstern", "", "Input.State", "Bitte wählen Sie im Feld „Bundesland“ ein Bundesland.")]
    public async Task Create_BadInput_GermanMessageAtTheFieldAndNothingCreated(string name, string state, string field, string message)
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(PlatformAdmin);

        var response = await PostFormAsync(admin, $"{Platform}?handler=Create", NewAgency(name, state), formPage: Platform);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches($"data-valmsg-for=\"{field}\"[^>]*>{message}<", html);
        Assert.Equal(2, await WithDbAsync(db => db.Agencies.CountAsync()));
        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.AgencyCreated));
    }

    [Fact]
    public async Task AgencyAdmin_NoPlatformPage_AndAForgedChoiceChangesNothing()
    {
        var (_, agencyB, _, _) = await TwoAgenciesAsync();
        var cookies = new CookieContainer();
        using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, AdminA)).StatusCode);
        cookies.Add(LotseAppFactory.HttpsBase, new Cookie(CookieSecurity.AdminAgency, agencyB.Id.ToString("N"), "/") { Secure = true });

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(Platform)).StatusCode);
        var created = await PostFormAsync(http, $"{Platform}?handler=Create", NewAgency("Übernahme", "Berlin"), formPage: "/verwaltung/beratungsstelle");
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        var settings = WebUtility.HtmlDecode(await http.GetStringAsync("/verwaltung/beratungsstelle"));
        Assert.Contains("<p class=\"lead\">Lotsenhaus</p>", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("Plattform-Verwaltung", settings, StringComparison.Ordinal);
        Assert.Equal(2, await WithDbAsync(db => db.Agencies.CountAsync()));
    }

    [Fact]
    public async Task SignIn_PlatformAdmin_IsStaffWithSecondFactorAndLandsOnTheOverview()
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(PlatformAdmin);

        var home = await admin.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal(Platform, home.Headers.Location?.OriginalString);
        var user = await WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == PlatformAdmin));
        Assert.True(user.TwoFactorEnabled);
    }

    private async Task<(Agency AgencyA, Agency AgencyB, Domain.Accounts.Counsellor Anna, Domain.Accounts.Counsellor Dora)> TwoAgenciesAsync()
    {
        var agencyA = await AddAgencyAsync("Lotsenhaus");
        var agencyB = await AddAgencyAsync("Leuchtturm");
        var anna = await AddCounsellorAsync(Anna, new Domain.Accounts.AccountStatus(false, Domain.Accounts.ChatMode.Online, Domain.Accounts.MailMode.ByCapacity, 1), agencyA);
        await AddCounsellorAsync(Ben, Unlimited, agencyA);
        var dora = await AddCounsellorAsync("dora@test.lotse", Unlimited, agencyB);
        await AddAdminAsync(AdminA, agencyA);
        await AddPlatformAdminAsync(PlatformAdmin);
        await AddClientAsync(Mond);
        return (agencyA, agencyB, anna, dora);
    }

    private Task<Agency> AgencyAsync(Guid id) => WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == id));

    private static Dictionary<string, string> NewAgency(string name, string state) => new()
    {
        ["Input.Name"] = name,
        ["Input.State"] = state,
    };
}

public sealed class PlatformAdminTestsOnSqlite() : PlatformAdminTests(DatabaseKind.Sqlite);

public sealed class PlatformAdminTestsOnPostgres() : PlatformAdminTests(DatabaseKind.Postgres);
