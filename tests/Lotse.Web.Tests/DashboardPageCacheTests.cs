using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Features.Dashboard;
using Lotse.Web.Features.Privacy;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Tests;

/// <summary>
/// Decision 16: the dashboard is shown again from memory while nothing on it changed. Each test first looks at the
/// page twice (the second look is the remembered one), changes one thing the way the app does, and expects the next
/// look to show it at once: the cache may make the page fast, never old.
/// </summary>
public abstract partial class DashboardPageCacheTests(DatabaseKind kind) : WebTest(kind)
{
    private const string Anna = "anna@test.lotse";

    [Fact]
    public async Task Unchanged_ShownAgain_SameAsRendered()
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync("Mond");
        await AddAppointmentAsync(anna, mond, Now.AddDays(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync(Anna);

        var first = await http.GetAsync("/");
        var second = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("text/html; charset=utf-8", second.Content.Headers.ContentType?.ToString());
        Assert.Contains("no-store", second.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Contains("Mond", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RememberedPage_ItsFormStillPosts()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        var remembered = await http.GetStringAsync("/");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/?handler=Status")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Status.RegularClientsOnly"] = "false",
                ["Status.Chat"] = "NotReachable",
                ["Status.Mail"] = "Unlimited",
                ["__RequestVerificationToken"] = AntiforgeryTokenIn(remembered, "/"),
            }),
        };
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ChatMode.NotReachable, (await ReloadCounsellorAsync(anna.Id)).ChatMode);
    }

    [Fact]
    public async Task StatusChanged_NextLookShowsItAndTheNotice()
    {
        await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        Assert.Equal("NotOnline", CheckedChat(await http.GetStringAsync("/")));

        var saved = await PostFormAsync(http, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "false",
            ["Status.Chat"] = "NotReachable",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var withNotice = await http.GetStringAsync("/");
        Assert.Contains("Gespeichert", withNotice, StringComparison.Ordinal);
        Assert.Equal("NotReachable", CheckedChat(withNotice));
        var again = await http.GetStringAsync("/");
        Assert.DoesNotContain("Gespeichert", again, StringComparison.Ordinal);
        Assert.Equal("NotReachable", CheckedChat(again));
    }

    [Fact]
    public async Task AppointmentConfirmedAndCancelled_NextLookShowsEach()
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddDays(1), AppointmentStatus.Requested);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        Assert.DoesNotContain(appointment.Id.ToString(), await http.GetStringAsync("/"), StringComparison.Ordinal);

        await WithDbAsync(async db =>
        {
            var row = await db.Appointments.SingleAsync(a => a.Id == appointment.Id);
            row.Confirm();
            await db.SaveChangesAsync();
        });
        Assert.Contains(appointment.Id.ToString(), await http.GetStringAsync("/"), StringComparison.Ordinal);
        await http.GetStringAsync("/");

        await WithDbAsync(async db =>
        {
            var row = await db.Appointments.SingleAsync(a => a.Id == appointment.Id);
            row.Cancel();
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain(appointment.Id.ToString(), await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AbsenceSavedInsideATransaction_ShownOnlyOnceCommitted(bool commit)
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);

        await WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Absences.Add(new Lotse.Domain.Absences.Absence(Guid.NewGuid(), anna.Id, Now.AddDays(3), Now.AddDays(4), "Fortbildung", "anna", Now));
            await db.SaveChangesAsync();

            // A look while the transaction is open sees no absence and is remembered; the commit must end that.
            Assert.Contains("Keine Abwesenheit geplant.", await http.GetStringAsync("/"), StringComparison.Ordinal);
            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }
        });

        var html = await http.GetStringAsync("/");
        Assert.Equal(commit, html.Contains("Fortbildung", StringComparison.Ordinal));
        Assert.Equal(!commit, html.Contains("Keine Abwesenheit geplant.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotificationArrivesAndIsRead_BadgeFollows()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        Assert.DoesNotContain("1 ungelesen", await http.GetStringAsync("/"), StringComparison.Ordinal);

        var id = Guid.NewGuid();
        await WithDbAsync(async db =>
        {
            db.Notifications.Add(new Notification(id, anna.UserId, NotificationKind.AppointmentRequested, null, false, Now));
            await db.SaveChangesAsync();
        });
        Assert.Contains("1 ungelesen", await http.GetStringAsync("/"), StringComparison.Ordinal);
        await http.GetStringAsync("/");

        await WithDbAsync(async db =>
        {
            (await db.Notifications.SingleAsync(n => n.Id == id)).MarkRead(Now);
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain("1 ungelesen", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgencyContactChanged_FooterShowsItForEveryCounsellor()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, agency: agency);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);

        await WithDbAsync(async db =>
        {
            var row = await db.Agencies.SingleAsync(a => a.Id == agency.Id);
            row.SetSupport(new SupportContactDetails("Team Lotsenhaus", "030 123456", "Mo–Fr 9–17 Uhr", null, null), FederalState.Berlin);
            await db.SaveChangesAsync();
        });

        Assert.Contains("030 123456", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientDeletesTheirAccount_NameLeavesTheDashboard()
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync("Mondschein");
        await AddAppointmentAsync(anna, mond, Now.AddDays(1), AppointmentStatus.Confirmed);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        Assert.Contains("Mondschein", await http.GetStringAsync("/"), StringComparison.Ordinal);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeleteClientData>().DeleteAsync(mond.Id, inactiveBefore: null, CancellationToken.None);
        }

        Assert.DoesNotContain("Mondschein", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppointmentStartsAndEnds_NoChangeNeeded_PageFollowsTheClock()
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddSeconds(30), AppointmentStatus.Confirmed);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);
        Assert.DoesNotContain("läuft gerade", await http.GetStringAsync("/"), StringComparison.Ordinal);

        App.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains("läuft gerade", await http.GetStringAsync("/"), StringComparison.Ordinal);
        await http.GetStringAsync("/");

        App.Clock.Advance(TimeSpan.FromMinutes(50));
        Assert.DoesNotContain(appointment.Id.ToString(), await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedOut_CopyOfTheCookie_GetsNoRememberedPage()
    {
        var anna = await AddCounsellorAsync(Anna);
        var mond = await AddClientAsync("Mondschein");
        await AddAppointmentAsync(anna, mond, Now.AddDays(1), AppointmentStatus.Confirmed);
        var cookies = new CookieContainer();
        using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, Anna)).StatusCode);
        await WarmAsync(http);
        var copy = cookies.GetCookieHeader(LotseAppFactory.HttpsBase);
        Assert.Contains("Mondschein", await LookWithAsync(copy), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(http, "/abmelden", new Dictionary<string, string>(), formPage: "/")).StatusCode);

        var html = await LookWithAsync(copy);
        Assert.DoesNotContain("Mondschein", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Accountstatus", html, StringComparison.Ordinal);
        Assert.Contains("Willkommen bei Lotse", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoCounsellors_EachSeesOnlyTheirOwnPage()
    {
        var anna = await AddCounsellorAsync(Anna);
        await AddCounsellorAsync("ben@test.lotse");
        var mond = await AddClientAsync("Mondschein");
        await AddAppointmentAsync(anna, mond, Now.AddDays(1), AppointmentStatus.Confirmed);
        var annaHttp = await LoginAsync(Anna);
        await WarmAsync(annaHttp);
        var benHttp = await LoginAsync("ben@test.lotse");

        await WarmAsync(benHttp);
        var ben = await benHttp.GetStringAsync("/");

        Assert.DoesNotContain("Mondschein", ben, StringComparison.Ordinal);
        Assert.Contains("ben@test.lotse", ben, StringComparison.Ordinal);
        Assert.Contains("Mondschein", await annaHttp.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitched_PageInTheNewLanguage()
    {
        await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);

        await http.GetAsync("/sprache/en?zurueck=/");

        Assert.Contains("lang=\"en\"", await http.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchedOff_EveryLookRendered()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        App.Services.GetRequiredService<IOptions<PageCacheOptions>>().Value.Enabled = false;
        await http.GetStringAsync("/");
        await http.GetStringAsync("/");

        // Written past the app (no change tracker, no mark): only a page rendered anew can show it.
        await WithDbAsync(db => db.Counsellors.Where(c => c.Id == anna.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ChatMode, ChatMode.NotReachable)));

        Assert.Equal("NotReachable", CheckedChat(await http.GetStringAsync("/")));
    }

    [Fact]
    public async Task ChangeNobodyAnnounced_ShownAtMostMaxAge()
    {
        var anna = await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);
        await WarmAsync(http);

        // Written past the app, as a change on an instance that could not reach Redis would be.
        await WithDbAsync(db => db.Counsellors.Where(c => c.Id == anna.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ChatMode, ChatMode.NotReachable)));
        App.Clock.Advance(new PageCacheOptions().MaxAge);

        Assert.Equal("NotReachable", CheckedChat(await http.GetStringAsync("/")));
    }

    /// <summary>
    /// Looks until the page is remembered: the first look may set the antiforgery cookie (never remembered); two looks
    /// in a row with the same antiforgery token (new on every rendering) show that the last one came from memory.
    /// </summary>
    private static async Task WarmAsync(HttpClient http)
    {
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        var rendered = await http.GetStringAsync("/");
        var remembered = await http.GetStringAsync("/");
        Assert.Equal(AntiforgeryTokenIn(rendered, "/"), AntiforgeryTokenIn(remembered, "/"));
    }

    private static string CheckedChat(string html) => CheckedChatPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    /// <summary>The dashboard as a browser that sends exactly this Cookie header sees it.</summary>
    private async Task<string> LookWithAsync(string cookieHeader)
    {
        using var browser = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await browser.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"Status.Chat\" value=\"(\\w+)\" checked=\"checked\"")]
    private static partial Regex CheckedChatPattern();
}

public sealed class DashboardPageCacheTestsOnSqlite() : DashboardPageCacheTests(DatabaseKind.Sqlite);

public sealed class DashboardPageCacheTestsOnPostgres() : DashboardPageCacheTests(DatabaseKind.Postgres);
