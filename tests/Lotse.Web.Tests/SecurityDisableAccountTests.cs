using System.Net;
using Lotse.Web.Features.Appointments;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>Issue 7: disabling a counsellor ends all their sessions and closes their live connections at once.</summary>
public abstract class SecurityDisableAccountTests(DatabaseKind kind) : ChatTestBase(kind)
{
    [Fact]
    public async Task Disable_Counsellor_ClosesChatAvailabilityAndRoomConnectionsAndRefusesTheCookie()
    {
        var anna = await AddCounsellorAsync(Anna);
        await AddClientAsync(Mond);
        var chat = await ConnectAsync(Anna);
        var cookies = CookiesOf(Anna);
        var secondDevice = await SignInAsync(App, Anna);
        var availability = HubConnection(App, AvailabilityHub.Path, secondDevice);
        var room = HubConnection(App, RoomHub.Path, cookies);
        await availability.StartAsync();
        await room.StartAsync();
        var client = await ConnectAsync(Mond);
        var closed = new[] { chat.Hub, availability, room }.Select(SecuritySessionTests.ClosedAsync).ToList();

        var result = await DisableAsync(anna.UserId);

        Assert.Equal(DisableAccountResult.Disabled, result);
        await Task.WhenAll(closed).WaitAsync(Patience);
        // The client's connection is not touched.
        Assert.Equal(HubConnectionState.Connected, client.Hub.State);
        foreach (var jar in new[] { cookies, secondDevice })
        {
            using var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new RedirectHandler(0), new CookieContainerHandler(jar));
            var response = await http.GetAsync("/posteingang");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.All(await WithDbAsync(db => db.UserSessions.AsNoTracking().Where(s => s.UserId == anna.UserId).ToListAsync()), s => Assert.Equal(SessionEnd.Disabled, s.EndReason));
        await availability.DisposeAsync();
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Disable_Counsellor_AuditedOnceAndSignInRefusedWithTheWrongPasswordMessage()
    {
        var anna = await AddCounsellorAsync(Anna);
        await DisableAsync(anna.UserId);
        await DisableAsync(anna.UserId); // twice: still one entry, the account was disabled once

        var entry = Assert.Single(await AuditTestSupport.EntriesAsync(App.Services, Lotse.Domain.Audit.AuditAction.AccountDisabled));
        Assert.Equal(anna.UserId, entry.TargetId);
        var response = await PostFormAsync(Browser(), "/anmelden", new Dictionary<string, string> { ["Input.Login"] = Anna, ["Input.Password"] = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("E-Mail-Adresse/Nickname oder Passwort stimmen nicht.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_UnknownUser_NotFound() =>
        Assert.Equal(DisableAccountResult.NotFound, await DisableAsync("gibt-es-nicht"));

    private async Task<DisableAccountResult> DisableAsync(string userId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DisableAccount>().HandleAsync(new DisableAccountRequest(userId), CancellationToken.None);
    }
}

public sealed class SecurityDisableAccountTestsOnSqlite() : SecurityDisableAccountTests(DatabaseKind.Sqlite);

public sealed class SecurityDisableAccountTestsOnPostgres() : SecurityDisableAccountTests(DatabaseKind.Postgres);

/// <summary>Two instances on one database and one Redis: disabling on A closes the connection held by B at once.</summary>
public abstract class SecurityAcrossInstancesTests(DatabaseKind kind, RedisServer redis) : ChatTestBase(kind)
{
    private readonly RedisInstances _instances = new(redis);

    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => _instances.First(databaseKind);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _instances.StopAllAsync();
    }

    [Fact]
    public async Task Disable_OnInstanceA_ClosesTheConnectionOnInstanceBAtOnce()
    {
        var anna = await AddCounsellorAsync(Anna);
        var b = _instances.StartAnother(App);
        var onB = await ConnectAsync(Anna, b);
        var closed = SecuritySessionTests.ClosedAsync(onB.Hub);
        await b.Services.GetRequiredService<SessionRevocations>().SubscribedAsync().WaitAsync(Patience);
        await App.Services.GetRequiredService<SessionRevocations>().SubscribedAsync().WaitAsync(Patience);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DisableAccount>().HandleAsync(new DisableAccountRequest(anna.UserId), CancellationToken.None);
        }

        // B's clock does not move, so neither its sweep nor a re-check could have done it: the message through Redis did.
        await closed.WaitAsync(Patience);
    }
}

[Collection(SharedRedis.Name)]
public sealed class SecurityAcrossInstancesTestsOnSqlite(RedisServer redis) : SecurityAcrossInstancesTests(DatabaseKind.Sqlite, redis);

[Collection(SharedRedis.Name)]
public sealed class SecurityAcrossInstancesTestsOnPostgres(RedisServer redis) : SecurityAcrossInstancesTests(DatabaseKind.Postgres, redis);
