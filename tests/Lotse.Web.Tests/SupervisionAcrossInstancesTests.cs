using System.Net;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Supervision;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Web.Tests;

/// <summary>
/// The supervision signal crosses app instances through the Redis backplane: the admin's page listens on instance A,
/// the client's request is saved on instance B (same database, same Redis, channels of this test's own).
/// </summary>
public abstract class SupervisionAcrossInstancesTests(DatabaseKind kind, RedisServer redis) : MailTestBase(kind)
{
    private const string Admin = "leitung@test.lotse";

    private readonly RedisInstances _instances = new(redis);
    private HubConnection? _admin;

    public override async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        await base.DisposeAsync();
        await _instances.StopAllAsync();
    }

    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => _instances.First(databaseKind);

    [Fact]
    public async Task Hub_RequestSavedOnOtherInstance_AdminOnThisInstanceHearsIt()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        await AddAdminAsync(Admin, agency);
        var b = _instances.StartAnother(App);
        var cookies = new CookieContainer();
        using (var http = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies)))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, http, Admin)).StatusCode);
        }

        _admin = new HubConnectionBuilder()
            .WithUrl(new Uri(App.Server.BaseAddress, SupervisionHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => new CookieContainerHandler(cookies) { InnerHandler = App.Server.CreateHandler() };
            })
            .Build();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _admin.On(SupervisionHub.ChangedEvent, () => changed.TrySetResult());
        await _admin.StartAsync();
        await _admin.InvokeAsync("Watch");

        var sent = await SendThroughHandlerAsync(mond.Id, new MailAddressee(anna.Id, null), "Betreff", "Text", Guid.NewGuid(), b.Services);

        Assert.IsType<MailRequestSent>(sent);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

[Collection(SharedRedis.Name)]
public sealed class SupervisionAcrossInstancesTestsOnSqlite(RedisServer redis) : SupervisionAcrossInstancesTests(DatabaseKind.Sqlite, redis);

[Collection(SharedRedis.Name)]
public sealed class SupervisionAcrossInstancesTestsOnPostgres(RedisServer redis) : SupervisionAcrossInstancesTests(DatabaseKind.Postgres, redis);
