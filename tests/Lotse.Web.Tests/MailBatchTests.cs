using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Mail;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>
/// New mail requests that arrive at the same time are routed and stored as one batch (<see cref="MailRoutingBatcher"/>,
/// issue 6's speed target). A batch must give every request the answer it would have had alone, in the order they came:
/// an earlier request of the batch counts against a capacity, one request's failure fails no other, and the same form
/// twice in one batch is stored once. Each test hands the batcher one batch, as its loop does.
/// </summary>
public abstract class MailBatchTests(DatabaseKind kind) : MailTestBase(kind)
{
    [Fact]
    public async Task RouteTogether_MoreThanCapacityInOneBatch_EarlierRequestsFillTheSlotsLaterOnesGoToFallback()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, ByCapacity(2), agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var clients = new List<Client>();
        for (var i = 0; i < 4; i++)
        {
            clients.Add(await AddClientAsync($"Klient{i}"));
        }

        var results = await RouteTogetherAsync(clients.Select(c => Request(c.Id, anna.Id)).ToList());

        var threads = await ThreadsAsync();
        var ids = results.Select(r => Assert.IsType<MailRequestSent>(r).ThreadId).ToList();
        Assert.Equal(ids.Order(), threads.Select(t => t.Id).Order());
        var routes = ids.Select(id => threads.Single(t => t.Id == id)).Select(t => (t.CounsellorId, t.RouteReason)).ToList();
        Assert.Equal(
            [(anna.Id, RouteReason.FreeSlot), (anna.Id, RouteReason.FreeSlot), (ben.Id, RouteReason.CapacityFull), (ben.Id, RouteReason.CapacityFull)],
            routes.Select(r => (r.CounsellorId!.Value, r.RouteReason)));
        Assert.Equal(4, (await MessagesAsync()).Count);
        // One relation per (counsellor, client) that got a thread, one notice per thread.
        Assert.Equal(4, await WithDbAsync(db => db.CounsellingRelations.CountAsync()));
        Assert.Equal(4, await WithDbAsync(db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task RouteTogether_SameFormTwiceInOneBatch_StoredOnceBothGetTheThread()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        var request = Request(mond.Id, anna.Id);

        var results = await RouteTogetherAsync([request, request]);

        var thread = Assert.Single(await ThreadsAsync());
        Assert.All(results, r => Assert.Equal(thread.Id, Assert.IsType<MailRequestSent>(r).ThreadId));
        Assert.Single(await MessagesAsync());
        Assert.Single(await WithDbAsync(db => db.AuditEntries().Where(e => e.Action == Domain.Audit.AuditAction.MailRequestRouted).ToListAsync()));
    }

    [Fact]
    public async Task RouteTogether_RefusedAndUnknownBesideAValidOne_EachGetsItsOwnAnswerOnlyTheValidOneIsStored()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        // The black toggle: only regular clients may write.
        var ben = await AddCounsellorAsync(Ben, new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10), agency);
        var mond = await AddClientAsync(Mond);

        var results = await RouteTogetherAsync([Request(mond.Id, ben.Id), Request(mond.Id, Guid.NewGuid()), Request(mond.Id, anna.Id)]);

        Assert.IsType<MailRequestNotReachable>(results[0]);
        Assert.IsType<MailAddresseeNotFound>(results[1]);
        var thread = Assert.Single(await ThreadsAsync());
        Assert.Equal(thread.Id, Assert.IsType<MailRequestSent>(results[2]).ThreadId);
        Assert.Equal(anna.Id, thread.CounsellorId);
    }

    [Fact]
    public async Task RouteTogether_OneRequestCannotBeStored_TheOthersAreStoredAndOnlyThatOneFails()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        var mond = await AddClientAsync(Mond);
        var wolke = await AddClientAsync(Wolke);
        // A client id without a client row: its thread breaks a foreign key, so the batch as a whole cannot be saved.
        var batch = new[] { Request(mond.Id, anna.Id), Request(Guid.NewGuid(), anna.Id), Request(wolke.Id, anna.Id) }
            .Select(r => new MailRoutingBatcher.Pending(r)).ToList();

        await App.Services.GetRequiredService<MailRoutingBatcher>().StoreTogetherAsync(batch);

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => batch[1].Result.Task);
        var stored = new[] { await batch[0].Result.Task, await batch[2].Result.Task }.Select(r => Assert.IsType<MailRequestSent>(r).ThreadId);
        var threads = await ThreadsAsync();
        Assert.Equal(stored.Order(), threads.Select(t => t.Id).Order());
        Assert.Equal(new[] { mond.Id, wolke.Id }.Order(), threads.Select(t => t.ClientId).Order());
    }

    protected static PendingMailRequest Request(Guid clientId, Guid counsellorId) =>
        new(clientId, new MailAddressee(counsellorId, null), MailRules.CheckRequest("Anfrage", "Ich brauche Rat."), Guid.NewGuid(), AuditActor.Unknown);

    protected async Task<MailRequestResult[]> RouteTogetherAsync(IReadOnlyList<PendingMailRequest> requests)
    {
        var batch = requests.Select(r => new MailRoutingBatcher.Pending(r)).ToList();
        await App.Services.GetRequiredService<MailRoutingBatcher>().StoreTogetherAsync(batch);
        return await Task.WhenAll(batch.Select(p => p.Result.Task));
    }
}

public sealed class MailBatchTestsOnSqlite() : MailBatchTests(DatabaseKind.Sqlite);

public sealed class MailBatchTestsOnPostgres() : MailBatchTests(DatabaseKind.Postgres)
{
    /// <summary>
    /// Routing locks counsellors to count their open requests, not to keep their row from being referenced: a thread that
    /// names a counsellor as fallback checks its foreign key with a key-share lock, which waited for a <c>FOR UPDATE</c> of
    /// another batch or app instance (and could deadlock with it). <c>FOR NO KEY UPDATE</c> still excludes every other
    /// routing of that counsellor, but lets the fallback's thread be stored at once.
    /// </summary>
    [Fact]
    public async Task RouteTogether_FallbackLockedByAnotherRouting_ThreadToTheFallbackIsStoredWithoutWaiting()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, NoNewRequests, agency);
        var ben = await AddCounsellorAsync(Ben, Unlimited, agency);
        await SetAgencyFallbackAsync(agency, ben);
        var mond = await AddClientAsync(Mond);
        await using var other = App.Services.CreateAsyncScope();
        var otherDb = other.ServiceProvider.GetRequiredService<LotseDb>();
        await using var otherRouting = await otherDb.Database.BeginTransactionAsync();
        await otherDb.LockCounsellorsAsync([ben.Id], CancellationToken.None);

        var routing = RouteTogetherAsync([Request(mond.Id, anna.Id)]);

        // Blocked until the other transaction ends, this would time out; the other routing still holds Ben's lock.
        var result = Assert.IsType<MailRequestSent>(Assert.Single(await routing.WaitAsync(TimeSpan.FromSeconds(20))));
        var thread = await ThreadAsync(result.ThreadId);
        Assert.Equal((ben.Id, RouteKind.AgencyFallback), (thread.CounsellorId!.Value, thread.RouteKind));
        await otherRouting.RollbackAsync();
    }
}
