using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Web.Features.Mail;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Lotse.Web.Tests;

/// <summary>
/// SPEC "Capacity under concurrency": however many requests arrive at once, a counsellor never gets more than N open
/// requests through routing, and no request is lost or stored twice. Each request runs the real handler in a DI scope
/// of its own (as one HTTP request would), all of them at the same time.
/// </summary>
public abstract class MailCapacityTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const int Requests = 200;
    private const int Capacity = 5;

    [Fact]
    public async Task Send_TwoHundredAtOnceWithAgencyFallback_FiveStayRestGoToFallback()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(Capacity), agency);
        // The fallback takes forwarded requests whatever its own setting (SPEC "Fallback").
        var ben = await AddCounsellorAsync(Ben, NoNewRequests, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var keys = await SendAllAtOnceAsync(anna);

        var threads = await ThreadsAsync();
        var messages = await MessagesAsync();

        AssertNothingLostNothingTwice(keys, threads, messages);
        var kept = threads.Where(t => t.CounsellorId == anna.Id).ToList();
        Assert.Equal(Capacity, kept.Count);
        Assert.All(kept, t => Assert.Equal((RouteKind.Counsellor, RouteReason.FreeSlot), (t.RouteKind, t.RouteReason)));
        var forwarded = threads.Where(t => t.CounsellorId == ben.Id).ToList();
        Assert.Equal(Requests - Capacity, forwarded.Count);
        Assert.All(forwarded, t => Assert.Equal((RouteKind.AgencyFallback, RouteReason.CapacityFull, (Guid?)anna.Id), (t.RouteKind, t.RouteReason, t.ForwardedFromId)));
        Assert.DoesNotContain(threads, t => t.IsInQueue);
        Assert.All(threads, t => Assert.Equal(MailThreadState.Open, t.State));
    }

    [Fact]
    public async Task Send_TwoHundredAtOnceWithoutFallback_FiveStayRestWaitInQueue()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(Capacity), agency);
        await AddCounsellorAsync(Ben, Unlimited, agency);
        var keys = await SendAllAtOnceAsync(anna);

        var threads = await ThreadsAsync();
        var messages = await MessagesAsync();

        AssertNothingLostNothingTwice(keys, threads, messages);
        Assert.Equal(Capacity, threads.Count(t => t.CounsellorId == anna.Id));
        var queued = threads.Where(t => t.IsInQueue).ToList();
        Assert.Equal(Requests - Capacity, queued.Count);
        Assert.All(queued, t => Assert.Equal((RouteReason.CapacityFull, QueueCause.NoFallback, agency.Id), (t.RouteReason, t.QueueCause, t.AgencyId)));

        // The queue is there for the agency's counsellors to see.
        var http = await LoginAsync(Ben);
        Assert.Equal(Requests - Capacity, ListedThreads(await http.GetStringAsync("/posteingang/warteschlange")).Count);
        Assert.Contains($"data-testid=\"queue-length\">{Requests - Capacity}<", await http.GetStringAsync("/posteingang"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SixtyAtOnceToAgency_NobodyAboveCapacityAndRestInQueue()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var counsellors = new[]
        {
            await AddCounsellorAsync(Anna, ByCapacity(2), agency),
            await AddCounsellorAsync(Ben, ByCapacity(3), agency),
            await AddCounsellorAsync(Carla, ByCapacity(4), agency),
        };
        var clients = await ClientsAsync(10);
        var patient = PatientApp().Services;

        var keys = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid()).ToList();
        var results = await AllAtOnceAsync(keys.Select((key, i) => (Func<Task<MailRequestResult>>)(() =>
            SendThroughHandlerAsync(clients[i % clients.Count].Id, new MailAddressee(null, agency.Id), $"Anfrage {i}", $"Text {i}", key, patient))));

        Assert.All(results, r => Assert.IsType<MailRequestSent>(r));
        var threads = await ThreadsAsync();
        AssertNothingLostNothingTwice(keys, threads, await MessagesAsync());
        Assert.Equal(2, threads.Count(t => t.CounsellorId == counsellors[0].Id));
        Assert.Equal(3, threads.Count(t => t.CounsellorId == counsellors[1].Id));
        Assert.Equal(4, threads.Count(t => t.CounsellorId == counsellors[2].Id));
        Assert.Equal(60 - 9, threads.Count(t => t.IsInQueue && t.RouteReason == RouteReason.NobodyFree));
    }

    [Fact]
    public async Task Send_ClientsWriteToSeveralCounsellorsAtOnceAllForwardedToOneFallback_NothingLost()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var addressed = new List<Counsellor>();
        for (var i = 0; i < 8; i++)
        {
            addressed.Add(await AddCounsellorAsync($"berater{i}@test.lotse", NoNewRequests, agency));
        }

        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var clients = await ClientsAsync(5);

        // A client's requests lock different counsellors, so they run side by side, and all end with the same fallback.
        var calls = clients.SelectMany(c => addressed.Select(to => (Client: c, To: to, Key: Guid.NewGuid()))).ToList();
        var results = await AllAtOnceAsync(calls.Select(call => (Func<Task<MailRequestResult>>)(() =>
            SendThroughHandlerAsync(call.Client.Id, new MailAddressee(call.To.Id, null), "Anfrage", "Text", call.Key))));

        Assert.All(results, r => Assert.IsType<MailRequestSent>(r));
        var threads = await ThreadsAsync();
        AssertNothingLostNothingTwice(calls.Select(c => c.Key).ToList(), threads, await MessagesAsync());
        Assert.All(threads, t => Assert.Equal(ben.Id, t.CounsellorId));
        Assert.Equal(clients.Count, await WithDbAsync(db => db.CounsellingRelations.CountAsync(r => r.CounsellorId == ben.Id)));
    }

    [Fact]
    public async Task Send_FortyAtOnceThroughThePage_FiveStayRestGoToFallback()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(Capacity), agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var forms = new List<(HttpClient Http, ShownForm Form)>();
        for (var i = 0; i < 8; i++)
        {
            await AddClientAsync($"Klient{i}");
            var http = await LoginAsync($"Klient{i}");
            for (var j = 0; j < 5; j++)
            {
                forms.Add((http, await RequestFormAsync(http, $"berater={anna.Id}")));
            }
        }

        var responses = await Task.WhenAll(forms.Select((f, i) => PostRequestAsync(f.Http, $"berater={anna.Id}", f.Form, $"Anfrage {i}", $"Text {i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var threads = await ThreadsAsync();
        AssertNothingLostNothingTwice(forms.Select(f => f.Form.RequestKey).ToList(), threads, await MessagesAsync());
        Assert.Equal(Capacity, threads.Count(t => t.CounsellorId == anna.Id));
        Assert.Equal(forms.Count - Capacity, threads.Count(t => t.CounsellorId == ben.Id));
    }

    /// <summary>200 requests from 20 clients, all started before any is awaited.</summary>
    private async Task<List<Guid>> SendAllAtOnceAsync(Counsellor to)
    {
        var clients = await ClientsAsync(20);
        var patient = PatientApp().Services;
        var keys = Enumerable.Range(0, Requests).Select(_ => Guid.NewGuid()).ToList();
        var results = await AllAtOnceAsync(keys.Select((key, i) => (Func<Task<MailRequestResult>>)(() =>
            SendThroughHandlerAsync(clients[i % clients.Count].Id, new MailAddressee(to.Id, null), $"Anfrage {i}", $"Text {i}", key, patient))));
        Assert.All(results, r => Assert.IsType<MailRequestSent>(r));
        return keys;
    }

    /// <summary>
    /// The same app on the same database, only more patient for a database connection. Requests to one counsellor queue
    /// on her lock by design and pass one at a time; with 200 at once on a small shared test machine the last ones would
    /// wait longer than Npgsql's 15 s for a pooled connection (or SQLite's 30 s for the write lock).
    /// Under test is where every request ends up, not how fast the machine is. The caller starts it (takes its services)
    /// before the burst, so that all requests share one host.
    /// </summary>
    private WebApplicationFactory<Program> PatientApp()
    {
        string connectionString;
        if (App.Kind == DatabaseKind.Postgres)
        {
            // Fewer connections than the test pool's 40: the requests pass one at a time anyway, and the cluster is shared
            // with the test classes running in parallel.
            connectionString = new NpgsqlConnectionStringBuilder(App.ConnectionString) { MaxPoolSize = 20, Timeout = 300, CommandTimeout = 300 }.ConnectionString;
            MoreConnectionStrings.Add(connectionString);
        }
        else
        {
            connectionString = new SqliteConnectionStringBuilder(App.ConnectionString) { DefaultTimeout = 300 }.ConnectionString;
        }

        return App.WithWebHostBuilder(builder => builder.UseSetting("ConnectionStrings:Lotse", connectionString));
    }

    /// <summary>Starts every call together: each waits at one gate, which opens when all are queued.</summary>
    private static async Task<T[]> AllAtOnceAsync<T>(IEnumerable<Func<Task<T>>> calls)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = calls.Select(async call =>
        {
            await gate.Task;
            return await call();
        }).ToList();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }

    private async Task<List<Client>> ClientsAsync(int count)
    {
        var clients = new List<Client>();
        for (var i = 0; i < count; i++)
        {
            clients.Add(await AddClientAsync($"Klient{i}"));
        }

        return clients;
    }

    private static void AssertNothingLostNothingTwice(List<Guid> keys, List<MailThread> threads, List<MailMessage> messages)
    {
        Assert.Equal(keys.Count, threads.Count);
        Assert.Equal(keys.Order(), threads.Select(t => t.RequestKey).Order());
        Assert.Equal(keys.Count, messages.Count);
        Assert.Equal(threads.Select(t => t.Id).Order(), messages.Select(m => m.ThreadId).Order());
        Assert.All(messages, m => Assert.Equal(MailSide.Client, m.Sender));
        Assert.All(threads, t => Assert.Equal(t.CreatedUtc, t.AwaitingReplySinceUtc));
    }
}

public sealed class MailCapacityTestsOnSqlite() : MailCapacityTests(DatabaseKind.Sqlite);

public sealed class MailCapacityTestsOnPostgres() : MailCapacityTests(DatabaseKind.Postgres);
