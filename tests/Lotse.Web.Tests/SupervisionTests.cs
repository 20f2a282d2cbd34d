using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Features.Supervision;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>
/// Supervision and statistics of an agency admin (issue 8): "/verwaltung/aufsicht" with its live board,
/// "/verwaltung/statistik" with its CSV export, and the supervision hub. Only the admin's own agency, never content.
/// </summary>
public abstract partial class SupervisionTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string Live = "/verwaltung/aufsicht";
    private const string Board = "/verwaltung/aufsicht?handler=Board";
    private const string Statistics = "/verwaltung/statistik";
    private const string AdminA = "leitung-a@test.lotse";
    private const string AdminB = "leitung-b@test.lotse";
    private const string Secret = "Mein Geheimnis";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<HubConnection> _connections = [];
    private Client _mond = null!;

    public override async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    // ---- who may see what ----

    [Theory]
    [InlineData(Live)]
    [InlineData(Board)]
    [InlineData(Statistics)]
    [InlineData(Statistics + "?handler=Csv")]
    public async Task Pages_Anonymous_RedirectedToLogin(string url)
    {
        var response = await Browser().GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/anmelden", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Live)]
    [InlineData(Board)]
    [InlineData(Statistics)]
    [InlineData(Statistics + "?handler=Csv")]
    public async Task Pages_ClientOrCounsellor_Forbidden(string url)
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);

        Assert.Equal(HttpStatusCode.Forbidden, (await (await LoginAsync(Anna)).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await LoginAsync(Mond)).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Live_AdminWithoutAgency_Forbidden()
    {
        await AddAdminWithoutAgencyAsync("leitung-ohne@test.lotse");

        Assert.Equal(HttpStatusCode.Forbidden, (await (await LoginAsync("leitung-ohne@test.lotse")).GetAsync(Live)).StatusCode);
    }

    [Fact]
    public async Task Layout_Admin_LinksToSupervision()
    {
        await TwoAgenciesAsync();

        var html = await (await LoginAsync(AdminA)).GetStringAsync("/verwaltung/protokoll");

        Assert.Contains("href=\"/verwaltung/aufsicht\"", html, StringComparison.Ordinal);
    }

    // ---- the live board ----

    [Fact]
    public async Task Live_Admin_SeesAvailabilityOpenRequestsAgainstNQueueAndTodaysForwardings()
    {
        var (agencyA, anna, ben, _) = await TwoAgenciesAsync();
        var mond = await LoginAsync(Mond);
        await SendRequestAsync(mond, $"berater={anna.Id}", Secret, "Niemand darf das lesen.");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        // Anna's one place is taken: the next request goes to the queue (no fallback named) …
        await SendRequestAsync(mond, $"berater={anna.Id}", Secret, "Niemand darf das lesen.");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        // … and, once the agency names Ben as its fallback, to Ben.
        await SetAgencyFallbackAsync(agencyA, ben);
        await SendRequestAsync(mond, $"berater={anna.Id}", Secret, "Niemand darf das lesen.");
        await AddAppointmentAsync(ben, await ClientAsync(), Now.AddHours(3), AppointmentStatus.Confirmed);
        await AddAbsenceAsync(ben, Now.AddHours(-1), Now.AddDays(3), "Urlaub");

        var html = await (await LoginAsync(AdminA)).GetStringAsync(Live);

        var annaRow = Row(html, anna.Id);
        Assert.Contains("data-open=\"1\"", annaRow, StringComparison.Ordinal);
        Assert.Contains("1 von 1", annaRow, StringComparison.Ordinal);
        Assert.Contains("voll", annaRow, StringComparison.Ordinal);
        Assert.Contains("nach Ressourcen", annaRow, StringComparison.Ordinal);
        // Anna is "Online" but has no live connection, so clients do not see her online.
        Assert.Contains("data-online=\"false\"", annaRow, StringComparison.Ordinal);
        var benRow = Row(html, ben.Id);
        Assert.Contains("data-open=\"1\"", benRow, StringComparison.Ordinal);
        Assert.Contains("ja, bis", benRow, StringComparison.Ordinal);
        Assert.Contains($"datetime=\"{Lotse.Web.Infrastructure.BerlinTime.Iso(Now.AddHours(3))}\"", benRow, StringComparison.Ordinal);
        Assert.Equal("1", TestId(html, "queue-length"));
        Assert.Equal("2", TestId(html, "forwarded-today"));
        var forwarded = Forwarded(html);
        Assert.Equal(2, forwarded.Count);
        Assert.Contains("Fallback-Berater:in der Stelle", forwarded[0], StringComparison.Ordinal);
        Assert.Contains("Kapazität erreicht", forwarded[0], StringComparison.Ordinal);
        Assert.Contains("Warteschlange", forwarded[1], StringComparison.Ordinal);
        Assert.Contains("keine Fallback-Berater:in benannt", forwarded[1], StringComparison.Ordinal);
        // Counts and times only: no subject, no text, no client nickname.
        Assert.DoesNotContain(Secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Niemand darf das lesen", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Mond, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_RequestsUnansweredLongerThanTarget_ShownOverduePerCounsellorAndInQueue()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        var mond = await LoginAsync(Mond);
        var answered = await SendRequestAsync(mond, $"berater={anna.Id}");
        await SendRequestAsync(mond, $"berater={anna.Id}");
        await ReplyAsync(await LoginAsync(Anna), $"/posteingang/{answered}", "Danke für Ihre Nachricht.");
        await WithDbAsync(async db =>
        {
            // A second place for Anna, so that the next request reaches her and not the queue.
            var counsellor = await db.Counsellors.FindAsync(anna.Id);
            counsellor!.ChangeStatus(ByCapacity(2));
            await db.SaveChangesAsync();
        });
        await SendRequestAsync(mond, $"berater={anna.Id}");
        App.Clock.Advance(TimeSpan.FromHours(49));

        var html = await (await LoginAsync(AdminA)).GetStringAsync(Board);

        Assert.Contains("data-overdue=\"1\"", Row(html, anna.Id), StringComparison.Ordinal);
        Assert.Equal("1", TestId(html, "queue-overdue").Split(' ')[0]);
        Assert.Equal("2", TestId(html, "overdue-total"));
        Assert.Contains("Älteste wartet seit 2 Tg. 1 Std.", html, StringComparison.Ordinal);
        // The board partial is the fragment only: no layout around it.
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_AdminOfOtherAgency_SeesNothingOfThisOne()
    {
        var (_, anna, ben, dora) = await TwoAgenciesAsync();
        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        var html = await (await LoginAsync(AdminB)).GetStringAsync(Live);

        Assert.Contains($"data-counsellor=\"{dora.Id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(anna.Id.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(ben.Id.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(">anna<", html, StringComparison.Ordinal);
        Assert.Equal("0", TestId(html, "queue-length"));
    }

    // ---- live over SignalR ----

    [Fact]
    public async Task Hub_ClientSendsMailRequest_AdminOfTheAgencyHearsIt()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        var admin = await WatchAsync(AdminA);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        admin.On(SupervisionHub.ChangedEvent, () => changed.TrySetResult());

        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        await changed.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Hub_CounsellorTakesRepliesAndCloses_AdminHearsEachStep()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        var mond = await LoginAsync(Mond);
        var first = await SendRequestAsync(mond, $"berater={anna.Id}");
        var queued = await SendRequestAsync(mond, $"berater={anna.Id}");
        var admin = await WatchAsync(AdminA);
        var heard = 0;
        var signals = new SemaphoreSlim(0);
        admin.On(SupervisionHub.ChangedEvent, () =>
        {
            Interlocked.Increment(ref heard);
            signals.Release();
        });
        var annaHttp = await LoginAsync(Anna);

        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(annaHttp, first, "Close")).StatusCode);
        Assert.True(await signals.WaitAsync(Patience), "No signal after the close.");
        Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(annaHttp, queued, "Take", "/posteingang/warteschlange")).StatusCode);
        Assert.True(await signals.WaitAsync(Patience), "No signal after the take.");
        await ReplyAsync(annaHttp, $"/posteingang/{queued}", "Ich bin für Sie da.");
        Assert.True(await signals.WaitAsync(Patience), "No signal after the reply.");
    }

    [Fact]
    public async Task Hub_RequestToOtherAgency_AdminHearsNothing()
    {
        var (_, anna, _, dora) = await TwoAgenciesAsync();
        var adminA = await WatchAsync(AdminA);
        var heardA = 0;
        adminA.On(SupervisionHub.ChangedEvent, () => Interlocked.Increment(ref heardA));
        // Agency B's admin hearing the request proves it was announced before agency A's admin is checked.
        var adminB = await WatchAsync(AdminB);
        var heardB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        adminB.On(SupervisionHub.ChangedEvent, () => heardB.TrySetResult());

        await SendRequestAsync(await LoginAsync(Mond), $"berater={dora.Id}");
        await heardB.Task.WaitAsync(Patience);

        Assert.Equal(0, Volatile.Read(ref heardA));
        _ = anna;
    }

    [Fact]
    public async Task Hub_PlatformAdminChoseAgencyA_HearsAgencyANotAgencyB()
    {
        var (agencyA, anna, _, dora) = await TwoAgenciesAsync();
        const string platform = "plattform@test.lotse";
        await AddPlatformAdminAsync(platform);
        var cookies = await CookiesAsync(platform);
        using (var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies)))
        {
            // Without a choice they would administer "Leuchtturm" (agency B, first by name).
            var chosen = await PostFormAsync(http, $"/verwaltung/plattform?handler=Choose&id={agencyA.Id}", new Dictionary<string, string>(), formPage: "/verwaltung/plattform");
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        }

        var watcher = Connection(cookies);
        await watcher.StartAsync();
        await watcher.InvokeAsync("Watch");
        var heard = 0;
        var heardA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On(SupervisionHub.ChangedEvent, () =>
        {
            Interlocked.Increment(ref heard);
            heardA.TrySetResult();
        });
        var adminB = await WatchAsync(AdminB);
        var heardB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        adminB.On(SupervisionHub.ChangedEvent, () => heardB.TrySetResult());
        var mond = await LoginAsync(Mond);

        // Agency B's admin hearing it proves the request to B was announced before the platform admin is checked.
        await SendRequestAsync(mond, $"berater={dora.Id}");
        await heardB.Task.WaitAsync(Patience);
        Assert.Equal(0, Volatile.Read(ref heard));
        await SendRequestAsync(mond, $"berater={anna.Id}");
        await heardA.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Hub_Counsellor_CannotConnect()
    {
        await TwoAgenciesAsync();
        var connection = Connection(await CookiesAsync(Anna));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    // ---- statistics ----

    [Fact]
    public async Task Statistics_Admin_SeesMonthFiguresAndChart()
    {
        var (agencyA, anna, ben, _) = await TwoAgenciesAsync();
        var mond = await LoginAsync(Mond);
        var first = await SendRequestAsync(mond, $"berater={anna.Id}");
        await SetAgencyFallbackAsync(agencyA, ben);
        var forwarded = await SendRequestAsync(mond, $"berater={anna.Id}");
        await SetAgencyFallbackAsync(agencyA, null);
        await SendRequestAsync(mond, $"berater={anna.Id}");
        App.Clock.Advance(TimeSpan.FromHours(2));
        await ReplyAsync(await LoginAsync(Anna), $"/posteingang/{first}", "Danke.");
        App.Clock.Advance(TimeSpan.FromHours(4));
        await ReplyAsync(await LoginAsync(Ben), $"/posteingang/{forwarded}", "Ich übernehme.");
        var client = await ClientAsync();
        await AddAppointmentAsync(anna, client, Now.AddHours(-30), AppointmentStatus.Confirmed);
        await AddAppointmentAsync(anna, client, Now.AddHours(-20), AppointmentStatus.Cancelled);

        var html = await (await LoginAsync(AdminA)).GetStringAsync(Statistics + "?monat=2026-11");

        Assert.Contains("November 2026", TestId(html, "statistics-month"), StringComparison.Ordinal);
        Assert.Equal("3", TestId(html, "figure-channel-Mail"));
        Assert.Equal("2", TestId(html, "figure-channel-Video"));
        Assert.Equal("5", TestId(html, "figure-requests"));
        Assert.Equal("1", TestId(html, "figure-routed"));
        Assert.Equal("1", TestId(html, "figure-forwarded"));
        Assert.Equal("1", TestId(html, "figure-queued"));
        Assert.Equal("2 Std. 0 Min.", TestId(html, "figure-p50"));
        Assert.Equal("6 Std. 0 Min.", TestId(html, "figure-p90"));
        Assert.Equal("1", TestId(html, "figure-held"));
        Assert.Equal("1", TestId(html, "figure-cancelled"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"3\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/verwaltung/statistik?handler=Csv&amp;monat=2026-11\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_OtherMonth_CountsNothingOfThisOne()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        var html = await (await LoginAsync(AdminA)).GetStringAsync(Statistics + "?monat=2026-10");

        Assert.Equal("0", TestId(html, "figure-requests"));
        Assert.Equal("keine Antwort", TestId(html, "figure-p50"));
    }

    [Fact]
    public async Task Statistics_WithoutMonth_ShowsTheCurrentBerlinMonth()
    {
        await TwoAgenciesAsync();

        var html = await (await LoginAsync(AdminA)).GetStringAsync(Statistics);

        Assert.Contains("November 2026", TestId(html, "statistics-month"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?handler=Csv&")]
    public async Task Statistics_BadMonth_400NamingTheField(string handler)
    {
        await TwoAgenciesAsync();
        var admin = await LoginAsync(AdminA);

        var response = await admin.GetAsync(Statistics + (handler.Length == 0 ? "?" : handler) + "monat=November");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Das Feld „Monat“ braucht einen Monat", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_Admin_GermanExcelFileOfTheMonth()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        var first = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}", Secret);
        App.Clock.Advance(TimeSpan.FromMinutes(90));
        await ReplyAsync(await LoginAsync(Anna), $"/posteingang/{first}", "Danke.");

        var response = await (await LoginAsync(AdminA)).GetAsync(Statistics + "?handler=Csv&monat=2026-11");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Contains("lotse-statistik-2026-11.csv", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Monat;Kennzahl;Wert", lines[0]);
        Assert.Contains("2026-11;Anfragen Mail;1", lines);
        Assert.Contains("2026-11;Mailanfragen zugeteilt;1", lines);
        Assert.Contains("2026-11;Antwortzeit p50 (Stunden);1,5", lines);
        Assert.Contains("2026-11;Termine abgesagt;0", lines);
        Assert.All(lines, l => Assert.Equal(2, l.Count(c => c == ';')));
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_AdminOfOtherAgency_GetsOnlyTheirOwnZeros()
    {
        var (_, anna, _, _) = await TwoAgenciesAsync();
        await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");

        var csv = await (await LoginAsync(AdminB)).GetStringAsync(Statistics + "?handler=Csv&monat=2026-11");

        Assert.Contains("2026-11;Anfragen Mail;0", csv, StringComparison.Ordinal);
        Assert.Contains("2026-11;Anfragen gesamt;0", csv, StringComparison.Ordinal);
    }

    // ---- helpers ----

    /// <summary>
    /// Agency A ("Lotsenhaus": Anna "nach Ressourcen" with N = 1 and online, Ben) with admin A; agency B with Dora and
    /// admin B; client Mond.
    /// </summary>
    private async Task<(Agency AgencyA, Counsellor Anna, Counsellor Ben, Counsellor Dora)> TwoAgenciesAsync()
    {
        var agencyA = await AddAgencyAsync("Lotsenhaus");
        var agencyB = await AddAgencyAsync("Leuchtturm");
        var anna = await AddCounsellorAsync(Anna, new AccountStatus(false, ChatMode.Online, MailMode.ByCapacity, 1), agencyA);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agencyA);
        var dora = await AddCounsellorAsync("dora@test.lotse", Unlimited, agencyB);
        await AddAdminAsync(AdminA, agencyA);
        await AddAdminAsync(AdminB, agencyB);
        _mond = await AddClientAsync(Mond);
        return (agencyA, anna, ben, dora);
    }

    private Task<Client> ClientAsync() => Task.FromResult(_mond);

    private async Task AddAdminWithoutAgencyAsync(string email)
    {
        var agency = await AddAgencyAsync("Vorübergehend");
        await AddAdminAsync(email, agency);
        await WithDbAsync(async db =>
        {
            db.AgencyMemberships.RemoveRange(db.AgencyMemberships.Where(m => m.AgencyId == agency.Id));
            await db.SaveChangesAsync();
        });
    }

    private async Task<CookieContainer> CookiesAsync(string userName)
    {
        var cookies = new CookieContainer();
        using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, userName)).StatusCode);
        return cookies;
    }

    private HubConnection Connection(CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(App.Server.BaseAddress, SupervisionHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => new CookieContainerHandler(cookies) { InnerHandler = App.Server.CreateHandler() };
            })
            .Build();
        _connections.Add(connection);
        return connection;
    }

    /// <summary>The admin's supervision page connection, started and watching their agency.</summary>
    private async Task<HubConnection> WatchAsync(string admin)
    {
        var connection = Connection(await CookiesAsync(admin));
        await connection.StartAsync();
        await connection.InvokeAsync("Watch");
        return connection;
    }

    private static string Row(string html, Guid counsellorId)
    {
        var start = html.IndexOf($"data-counsellor=\"{counsellorId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Counsellor {counsellorId} is not on the board.");
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)]);
    }

    private static string TestId(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>(.*?)</", RegexOptions.Singleline);
        Assert.True(match.Success, $"No element {testId}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }

    private static List<string> Forwarded(string html) =>
        ForwardedPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [GeneratedRegex("<tr data-testid=\"supervision-forwarded\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex ForwardedPattern();
}

public sealed class SupervisionTestsOnSqlite() : SupervisionTests(DatabaseKind.Sqlite);

public sealed class SupervisionTestsOnPostgres() : SupervisionTests(DatabaseKind.Postgres);
