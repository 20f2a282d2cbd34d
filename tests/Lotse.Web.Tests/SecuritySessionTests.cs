using System.Net;
using System.Security.Claims;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 7: server-side sessions with the production timeouts (30 min idle for staff, 60 for clients, 12 h absolute),
/// a new session at every sign-in, logout that ends the session server-side, and live connections that close with it.
/// </summary>
public abstract class SecuritySessionTests(DatabaseKind kind) : ChatTestBase(kind)
{
    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => new(databaseKind) { RealSessionTimeouts = true };

    [Fact]
    public async Task Logout_CopyOfCookieTakenBefore_RefusedAfterwards()
    {
        await AddCounsellorAsync(Anna);
        var cookies = await SignInAsync(App, Anna);
        var copy = cookies.GetCookieHeader(LotseAppFactory.HttpsBase);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(copy, "/posteingang")).StatusCode);

        using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        await PostFormAsync(http, "/abmelden", new Dictionary<string, string>());

        var after = await WithCookieAsync(copy, "/posteingang");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/anmelden", after.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(SessionEnd.LoggedOut, (await SessionsOfAsync(Anna)).Single().EndReason);
    }

    [Fact]
    public async Task Login_EverySignIn_NewSessionIdAndTheBrowsersEarlierOneEnds()
    {
        await AddCounsellorAsync(Anna);
        var http = Browser();

        await SignInThroughFormAsync(App, http, Anna);
        var first = (await SessionsOfAsync(Anna)).Single();
        await SignInThroughFormAsync(App, http, Anna);
        var other = await LoginAsync(Anna);

        var sessions = await SessionsOfAsync(Anna);
        Assert.Equal(3, sessions.Select(s => s.Id).Distinct().Count());
        Assert.Equal(SessionEnd.Replaced, sessions.Single(s => s.Id == first.Id).EndReason);
        Assert.Equal(2, sessions.Count(s => s.EndedUtc is null));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/posteingang")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/posteingang")).StatusCode);
    }

    [Fact]
    public async Task Idle_Staff_RefusedAfter30MinutesWithoutARequest()
    {
        await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);

        App.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/posteingang")).StatusCode);
        App.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/posteingang")).StatusCode);
        App.Clock.Advance(TimeSpan.FromMinutes(30));
        var idle = await http.GetAsync("/posteingang");

        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.Equal(SessionEnd.Idle, (await SessionsOfAsync(Anna)).Single().EndReason);
    }

    [Fact]
    public async Task Idle_Client_AllowedLongerThanStaffRefusedAfter60Minutes()
    {
        await AddClientAsync(Mond);
        var http = await LoginAsync(Mond);

        App.Clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/anfragen")).StatusCode);
        App.Clock.Advance(TimeSpan.FromMinutes(60));

        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/anfragen")).StatusCode);
    }

    [Fact]
    public async Task Absolute_ServerSide_RefusedAfter12HoursEvenWhenActiveAndTheCookieWouldLiveLonger()
    {
        await AddCounsellorAsync(Anna);
        var cookies = await SignInAsync(App, Anna);
        // The same ticket with a cookie expiry a week away: only the server-side session can end it.
        var longLived = await ReissueAsync(cookies, TimeSpan.FromDays(7));

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            App.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(longLived, "/posteingang")).StatusCode);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(longLived, "/posteingang")).StatusCode);
        Assert.Equal(SessionEnd.Expired, (await SessionsOfAsync(Anna)).Single().EndReason);
    }

    [Fact]
    public async Task Absolute_CookieItself_ExpiresAfter12Hours()
    {
        await AddCounsellorAsync(Anna);
        var cookies = await SignInAsync(App, Anna);
        var header = cookies.GetCookieHeader(LotseAppFactory.HttpsBase);
        var ticket = Ticket(header);
        Assert.Equal(App.Clock.GetUtcNow() + TimeSpan.FromHours(12), ticket.Properties.ExpiresUtc);
        Assert.False(ticket.Properties.IsPersistent);

        App.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        // The server-side session is made to look fresh, so that only the cookie's own expiry can refuse it.
        var nowUtc = App.Clock.GetUtcNow().UtcDateTime;
        await WithDbAsync(db => db.UserSessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.CreatedUtc, nowUtc).SetProperty(s => s.LastSeenUtc, nowUtc)));

        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(header, "/posteingang")).StatusCode);
    }

    [Fact]
    public async Task EndedWithoutPush_RefusedOnceTheRememberedCheckIsOlderThanPageRecheck()
    {
        await AddCounsellorAsync(Anna);
        var header = (await SignInAsync(App, Anna)).GetCookieHeader(LotseAppFactory.HttpsBase);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(header, "/posteingang")).StatusCode);

        // Ended past the app, as another instance whose message to this one got lost would have ended it.
        var nowUtc = App.Clock.GetUtcNow().UtcDateTime;
        await WithDbAsync(db => db.UserSessions.ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, nowUtc)));
        App.Clock.Advance(new SessionTimeouts().PageRecheck);

        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(header, "/posteingang")).StatusCode);
    }

    [Fact]
    public async Task Logout_ClosesTheOpenHubConnectionsOfThatSessionOnly()
    {
        await AddCounsellorAsync(Anna);
        var mine = await ConnectAsync(Anna);
        var otherDevice = HubConnection(App, ChatHub.Path, await SignInAsync(App, Anna));
        await otherDevice.StartAsync();
        var closed = ClosedAsync(mine.Hub);

        using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(CookiesOf(Anna)));
        await PostFormAsync(http, "/abmelden", new Dictionary<string, string>());

        await closed.WaitAsync(Patience);
        Assert.Equal(HubConnectionState.Connected, otherDevice.State);
        Assert.Equal(0, await otherDevice.InvokeAsync<int>("Unread"));
        await otherDevice.DisposeAsync();
    }

    [Fact]
    public async Task Idle_OpenHubConnectionWithoutCalls_ClosedBySweep()
    {
        await AddCounsellorAsync(Anna);
        var peer = await ConnectAsync(Anna);
        var availability = HubConnection(App, AvailabilityHub.Path, CookiesOf(Anna));
        await availability.StartAsync();
        var closed = ClosedAsync(peer.Hub);
        var availabilityClosed = ClosedAsync(availability);

        App.Clock.Advance(TimeSpan.FromMinutes(31));
        await App.Services.GetRequiredService<SessionSweeper>().SweepAsync(CancellationToken.None);

        await closed.WaitAsync(Patience);
        await availabilityClosed.WaitAsync(Patience);
        await availability.DisposeAsync();
    }

    [Fact]
    public async Task HubCall_AfterIdleTimeout_RefusedEvenBeforeTheSweep()
    {
        await AddCounsellorAsync(Anna);
        var peer = await ConnectAsync(Anna);
        App.Services.GetRequiredService<SessionRevocations>().Unregister(peer.Hub.ConnectionId!);

        var closed = ClosedAsync(peer.Hub);
        App.Clock.Advance(TimeSpan.FromMinutes(31));

        // The call fails and the connection is closed by the server (the client may see either first).
        await Assert.ThrowsAnyAsync<Exception>(() => peer.Hub.InvokeAsync<int>("Unread"));
        await closed.WaitAsync(Patience);
    }

    internal static Task ClosedAsync(HubConnection hub)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string cookieHeader, string path)
    {
        using var http = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        return await http.SendAsync(request);
    }

    private Task<List<UserSession>> SessionsOfAsync(string userName) =>
        WithDbAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
            return await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedUtc).ToListAsync();
        });

    private ISecureDataFormat<AuthenticationTicket> TicketFormat =>
        App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;

    private AuthenticationTicket Ticket(string cookieHeader) =>
        TicketFormat.Unprotect(cookieHeader.Split(';').Select(c => c.Trim()).Single(c => c.StartsWith("__Host-lotse.auth=", StringComparison.Ordinal))["__Host-lotse.auth=".Length..])!;

    private Task<string> ReissueAsync(CookieContainer cookies, TimeSpan lifetime)
    {
        var ticket = Ticket(cookies.GetCookieHeader(LotseAppFactory.HttpsBase));
        ticket.Properties.ExpiresUtc = App.Clock.GetUtcNow() + lifetime;
        Assert.NotNull(ticket.Principal.FindFirstValue(SessionClaims.SessionId));
        return Task.FromResult("__Host-lotse.auth=" + TicketFormat.Protect(ticket));
    }
}

public sealed class SecuritySessionTestsOnSqlite() : SecuritySessionTests(DatabaseKind.Sqlite);

public sealed class SecuritySessionTestsOnPostgres() : SecuritySessionTests(DatabaseKind.Postgres);
