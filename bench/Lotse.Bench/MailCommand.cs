using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Lotse.Bench.Infrastructure;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lotse.Bench;

/// <summary>
/// <c>mail</c>: issue 6's routing benchmark. Starts a throwaway PostgreSQL cluster (or a SQLite file), migrates it with
/// the app's own migrations, seeds agencies, counsellors with mixed mail modes, absences, fallbacks and clients, then
/// calls the app's real <see cref="SendMailRequest"/> handler (its DI: LotseDb on the provider, NotificationOutbox,
/// TimeProvider) from N concurrent senders, one DI scope per request, and reports requests/s, latency percentiles and
/// the outcome mix. It measures routing with its real transaction and row locks, not HTTP. At the end it checks in
/// the database that every request was stored exactly once and that no counsellor "nach Ressourcen" holds more open
/// requests taken because of a free slot than their N (decision 11); a violation fails the run.
/// </summary>
public static class MailCommand
{
    private const string Usage = "dotnet run --project bench/Lotse.Bench -c Release -- mail [options]";

    public static async Task<int> RunAsync(string[] args)
    {
        Settings s;
        try
        {
            var options = new Options(args);
            s = Settings.Read(options);
            if (options.Help)
            {
                options.PrintHelp(Console.Out, Usage);
                return 0;
            }

            options.RejectUnknown();
            s.Check();
        }
        catch (OptionException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var runDir = Path.Combine(Path.GetTempPath(), "lotse-bench-mail-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);
        Directory.CreateDirectory(runDir);
        try
        {
            return await RunAsync(s, runDir, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        finally
        {
            if (s.Keep)
            {
                Console.WriteLine($"Run folder kept: {runDir}");
            }
            else
            {
                try
                {
                    Directory.Delete(runDir, recursive: true);
                }
                catch (IOException e)
                {
                    Console.Error.WriteLine($"Could not delete {runDir}: {e.Message}");
                }
            }
        }
    }

    private static async Task<int> RunAsync(Settings s, string runDir, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Machine:  {Machine.Describe()}");
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) before the run");
        Console.WriteLine($"Load set: {s.Requests:N0} new requests to {s.Counsellors:N0} counsellors in {s.Agencies} agencies from {s.Clients:N0} clients, {s.Senders} concurrent senders, seed {s.Seed}");

        var isPostgres = s.Database == DataSetup.Postgres;
        var pgSettings = new[] { $"max_connections={Math.Max(100, s.Senders + 50)}" }.Concat(s.PostgresSyncCommit ? [] : ["synchronous_commit=off"])
            .Concat(s.Statements ? ["shared_preload_libraries=pg_stat_statements"] : []).ToList();
        await using var postgres = isPostgres ? await PostgresServer.StartAsync(Path.Combine(runDir, "pg"), pgSettings, cancellationToken) : null;
        var connectionString = postgres is not null ? postgres.ConnectionString("lotse_bench", s.Senders + 4) + (s.ConnectionOptions is null ? "" : ";" + s.ConnectionOptions) : $"Data Source={Path.Combine(runDir, "lotse-bench.db")}";
        Console.WriteLine(postgres is not null
            ? $"Database: throwaway PostgreSQL {postgres.Version} cluster on port {postgres.Port} ({string.Join(", ", pgSettings)}); pool {s.Senders + 4}{(s.ConnectionOptions is null ? "" : "; " + s.ConnectionOptions)}"
            : $"Database: SQLite {connectionString} (WAL, as the app sets it)");

        await using var app = BuildServices(s.Database, connectionString, runDir);
        var clock = Stopwatch.StartNew();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        // As the app's start-up does (PrepareDatabaseAsync): the key ring's first key is made before any request.
        Lotse.Web.Features.Security.KeyRingSetup.EnsureCurrentKey(app.Services);

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var world = await SeedAsync(app.Services, s, now, cancellationToken);
        Console.WriteLine($"Seeded:   in {clock.Elapsed.TotalSeconds:0.0}s (schema by the app's migrations): {world.Describe()}");

        var requests = Requests(world, world.Clients, regularClients: true, s.Requests, new Random(s.Seed));

        if (postgres is not null && s.Statements)
        {
            await PostgresServer.EnableStatementsAsync(connectionString, cancellationToken);
        }

        // Warm-up outside the measurement: requests from clients of their own through the same handler, so that the pool is
        // open and the JIT has compiled the routing path as it has in an app that has been running for a while (without it
        // the first 15 seconds spend about half of the bench process's CPU on tiered compilation). Then everything the
        // warm-up stored goes (its threads, with their messages and notifications), so the measured requests meet the
        // seeded capacities.
        if (s.Warmup > 0)
        {
            var warmWall = Stopwatch.StartNew();
            var warmResults = new ConcurrentDictionary<string, int>();
            await DriveAsync(app.Services, s.Senders, Requests(world, world.WarmupClients, regularClients: false, s.Warmup, new Random(s.Seed + 2)), new long[s.Warmup], warmResults, new ConcurrentQueue<string>(), cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            var removed = await scope.ServiceProvider.GetRequiredService<LotseDb>().MailThreads.Where(t => world.WarmupClients.Contains(t.ClientId)).ExecuteDeleteAsync(cancellationToken);
            Console.WriteLine($"Warm-up:  {s.Warmup:N0} requests from {world.WarmupClients.Count} clients of their own in {warmWall.Elapsed.TotalSeconds:0.0}s ({string.Join(", ", warmResults.Select(r => $"{r.Key} {r.Value:N0}"))}); their {removed:N0} threads deleted again");
        }

        if (postgres is not null && s.Statements)
        {
            await PostgresServer.ResetStatementsAsync(connectionString, cancellationToken);
        }

        var latencies = new long[requests.Length];
        var results = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentQueue<string>();
        var before = Machine.MachineCpuSeconds();
        var selfBefore = Machine.ProcessCpuSeconds(Environment.ProcessId);
        var pgBefore = postgres?.PostmasterPid is { } pm ? Machine.TreeCpuSeconds(pm) : 0;
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) at the start of the measurement");
        var wall = Stopwatch.StartNew();
        var retried = await DriveAsync(app.Services, s.Senders, requests, latencies, results, errors, cancellationToken);
        wall.Stop();
        var after = Machine.MachineCpuSeconds();
        var selfCpu = Machine.ProcessCpuSeconds(Environment.ProcessId) - selfBefore;
        var pgCpu = postgres?.PostmasterPid is { } pm2 ? Machine.TreeCpuSeconds(pm2) - pgBefore : double.NaN;
        var machineBusy = after.Busy - before.Busy;
        var seconds = wall.Elapsed.TotalSeconds;

        var lat = new Latencies(latencies);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Routed:   {s.Requests:N0} requests in {seconds:0.00}s = {s.Requests / seconds:0} requests/s (target >= 1,000)"));
        Console.WriteLine($"Latency:  {lat.Summary()} per request (handler call, own DI scope, until commit)");
        Console.WriteLine($"Results:  {string.Join(", ", results.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value:N0}"))}; retried once after an error: {retried}");
        foreach (var e in errors.Take(10))
        {
            Console.WriteLine($"  error: {e}");
        }

        var pgPart = isPostgres ? string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {pgCpu:0.0}s = {pgCpu * 1000 / s.Requests:0.00} ms/request; ") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU:      bench process (handler + EF Core{(isPostgres ? "" : " + SQLite")}) {selfCpu:0.0}s = {selfCpu * 1000 / s.Requests:0.00} ms/request; {pgPart}" +
            $"machine busy {machineBusy / seconds * 100:0}% of {Environment.ProcessorCount * 100}%, others {(machineBusy - selfCpu - (double.IsNaN(pgCpu) ? 0 : pgCpu)) / seconds * 100:0}%"));
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) after the run");
        if (postgres is not null)
        {
            // A deadlocked batch stored nothing and was routed again request by request (MailRoutingBatcher): slow, not lost.
            Console.WriteLine($"Deadlocks: {await PostgresServer.DeadlocksAsync(connectionString, cancellationToken)} (pg_stat_database)");
        }

        if (postgres is not null && s.Statements)
        {
            var top = await PostgresServer.TopStatementsAsync(connectionString, 40, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Statements: {top.Sum(t => t.Calls) / (double)s.Requests:0.0} calls per request (top 40 statements, measurement only); by total time:"));
            foreach (var (calls, mean, total, query) in top.Take(20))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {calls,8:N0} calls {mean,7:0.000} ms mean {total,9:0} ms total  {(query.Length > 150 ? query[..150] + "…" : query)}"));
            }
        }

        var ok = await CheckAsync(app.Services, s, requests, cancellationToken);
        Console.WriteLine(ok ? "RESULT:   invariants hold." : "RESULT:   INVARIANT VIOLATED (see above).");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Requests to a random counsellor each, from one of <paramref name="clients"/>, or (measured requests) in one case of ten
    /// from one of the counsellor's regular clients.
    /// </summary>
    private static (Guid Client, Guid Counsellor, Guid Key)[] Requests(World world, List<Guid> clients, bool regularClients, int count, Random random)
    {
        var requests = new (Guid Client, Guid Counsellor, Guid Key)[count];
        var bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        for (var i = 0; i < requests.Length; i++)
        {
            var c = world.Counsellors[random.Next(world.Counsellors.Count)];
            var client = regularClients && c.RegularClients.Count > 0 && random.NextDouble() < 0.1
                ? c.RegularClients[random.Next(c.RegularClients.Count)]
                : clients[random.Next(clients.Count)];
            requests[i] = (client, c.Id, new Guid(random.GetItems(bytes, 16)));
        }

        return requests;
    }

    /// <summary>Sends <paramref name="requests"/> from <paramref name="senders"/> concurrent senders, one DI scope per call; returns how many were retried.</summary>
    private static async Task<int> DriveAsync(
        IServiceProvider services,
        int senders,
        (Guid Client, Guid Counsellor, Guid Key)[] requests,
        long[] latencies,
        ConcurrentDictionary<string, int> results,
        ConcurrentQueue<string> errors,
        CancellationToken cancellationToken)
    {
        var retried = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                var (client, counsellor, key) = requests[i];
                var start = Stopwatch.GetTimestamp();
                MailRequestResult? result = null;
                for (var attempt = 0; attempt < 2 && result is null; attempt++)
                {
                    try
                    {
                        await using var scope = services.CreateAsyncScope();
                        var send = scope.ServiceProvider.GetRequiredService<SendMailRequest>();
                        result = await send.SendAsync(client, new MailAddressee(counsellor, null), $"Anfrage {i}", $"Bench-Anfrage Nummer {i}: Ich brauche bitte Rat.", key, cancellationToken);
                    }
                    catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException && !cancellationToken.IsCancellationRequested)
                    {
                        // As a resubmitted form would: the same request key, so a stored first attempt is returned, not doubled.
                        errors.Enqueue($"request {i} attempt {attempt + 1}: {e.GetType().Name}: {e.GetBaseException().Message}");
                        if (attempt == 0)
                        {
                            Interlocked.Increment(ref retried);
                        }
                    }
                }

                latencies[i] = Stopwatch.GetTimestamp() - start;
                results.AddOrUpdate(result?.GetType().Name ?? "failed", 1, (_, n) => n + 1);
            }
        }, cancellationToken)));
        return retried;
    }

    private static WebApplication BuildServices(string provider, string connectionString, string contentRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Lotse"] = connectionString,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddLotseData();
        // What the handler needs, registered as the app registers it (MailSetup, NotificationsSetup, AgencyAdminSetup): scoped.
        builder.Services.AddScoped<NotificationOutbox>();
        builder.Services.AddScoped<Lotse.Web.Features.AgencyAdmin.CounsellorAgencies>();
        builder.Services.AddScoped<SendMailRequest>();
        builder.Services.AddSingleton<MailRoutingBatcher>();
        builder.Services.AddScoped<RouteMailRequests>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Lotse.Web.Features.Audit.AuditLog>();
        builder.Services.AddSingleton<Lotse.Web.Features.Operations.LotseMetrics>();
        return builder.Build();
    }

    private sealed record BenchCounsellor(Guid Id, MailMode Mode, int Capacity, bool Absent, bool IsAgencyFallback, bool HasPersonalFallback, List<Guid> RegularClients);

    private const int WarmupClients = 200;

    private sealed record World(List<BenchCounsellor> Counsellors, List<Guid> Clients, List<Guid> WarmupClients)
    {
        public string Describe()
        {
            int Count(Func<BenchCounsellor, bool> p) => Counsellors.Count(p);
            return $"{Count(c => c.Mode == MailMode.Unlimited)} unlimited, {Count(c => c.Mode == MailMode.ByCapacity)} by capacity (N 3-20), " +
                   $"{Count(c => c.Mode == MailMode.NoNewRequests)} no new requests; {Count(c => c.Absent)} absent now, {Count(c => c.IsAgencyFallback)} agency fallbacks, " +
                   $"{Count(c => c.HasPersonalFallback)} with a personal fallback; {Clients.Count:N0} clients, {Counsellors.Sum(c => c.RegularClients.Count):N0} regular-client relations";
        }
    }

    /// <summary>
    /// Identity users (no password: nobody signs in), counsellors and clients, then agencies with their members and
    /// fallback, personal fallbacks, running absences and regular-client relations. The first counsellor of each agency
    /// is its fallback: unlimited, and present except in every tenth agency.
    /// </summary>
    private static async Task<World> SeedAsync(IServiceProvider services, Settings s, DateTime now, CancellationToken cancellationToken)
    {
        var random = new Random(s.Seed + 1);
        var counsellors = new List<BenchCounsellor>(s.Counsellors);
        var entities = new List<Counsellor>(s.Counsellors);
        var clients = new List<Guid>(s.Clients);
        var perAgency = (s.Counsellors + s.Agencies - 1) / s.Agencies;

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = 0; i < s.Counsellors; i++)
            {
                var user = User($"bench.mail.berater.{i:D5}@bench.lotse", email: true);
                db.Users.Add(user);
                var c = new Counsellor(Guid.NewGuid(), user.Id, $"Bench Berater:in {i:D5}");
                var isFallback = i % perAgency == 0;
                // One agency in ten has its fallback absent: forwarded requests without a present personal fallback queue there.
                var absentFallback = isFallback && i / perAgency % 10 == 9;
                var roll = random.NextDouble();
                var mode = isFallback || roll < 0.4 ? MailMode.Unlimited : roll < 0.8 ? MailMode.ByCapacity : MailMode.NoNewRequests;
                var capacity = mode == MailMode.ByCapacity ? random.Next(3, 21) : AccountStatus.DefaultMailCapacity;
                c.ChangeStatus(new AccountStatus(RegularClientsOnly: false, ChatMode.NotOnline, mode, capacity));
                db.Counsellors.Add(c);
                entities.Add(c);
                counsellors.Add(new BenchCounsellor(c.Id, mode, capacity, Absent: absentFallback || (!isFallback && random.NextDouble() < 0.05), isFallback, HasPersonalFallback: false, []));
            }

            // The measured clients, then those of the warm-up (without e-mail addresses).
            for (var i = 0; i < s.Clients + WarmupClients; i++)
            {
                var user = User($"bench-mail-{i:D5}", email: i < s.Clients && i % 2 == 0);
                db.Users.Add(user);
                var client = new Client(Guid.NewGuid(), user.Id, $"bench-mail-{i:D5}", now);
                db.Clients.Add(client);
                clients.Add(client.Id);
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);

            // Second pass: references between rows that now exist.
            for (var a = 0; a < s.Agencies; a++)
            {
                var members = Enumerable.Range(a * perAgency, Math.Max(0, Math.Min(perAgency, s.Counsellors - (a * perAgency)))).ToList();
                if (members.Count == 0)
                {
                    continue;
                }

                var agency = new Agency(Guid.NewGuid(), $"Bench-Beratungsstelle {a:D2}");
                agency.SetFallbackCounsellor(entities[members[0]].Id);
                db.Agencies.Add(agency);
                foreach (var m in members)
                {
                    db.AgencyMemberships.Add(new AgencyMembership(agency.Id, entities[m].UserId));
                    // 30 %: a personal fallback, another counsellor of the same agency (who may be absent too).
                    if (members.Count > 1 && random.NextDouble() < 0.3)
                    {
                        int other;
                        do
                        {
                            other = members[random.Next(members.Count)];
                        }
                        while (other == m);
                        entities[m].SetPersonalFallback(entities[other].Id);
                        db.Counsellors.Update(entities[m]);
                        counsellors[m] = counsellors[m] with { HasPersonalFallback = true };
                    }

                    if (counsellors[m].Absent)
                    {
                        db.Absences.Add(new Absence(Guid.NewGuid(), entities[m].Id, now.AddDays(-1), now.AddDays(14), "Urlaub (Bench)", "Bench", now));
                    }
                }
            }

            // Regular clients: about one per counsellor, each a random pair.
            var pairs = new HashSet<(int, int)>();
            for (var r = 0; r < s.Counsellors; r++)
            {
                var pair = (random.Next(s.Counsellors), random.Next(s.Clients));
                if (pairs.Add(pair))
                {
                    var relation = new CounsellingRelation(counsellors[pair.Item1].Id, clients[pair.Item2], now.AddDays(-30));
                    relation.MarkAsRegularClient();
                    db.CounsellingRelations.Add(relation);
                    counsellors[pair.Item1].RegularClients.Add(clients[pair.Item2]);
                }
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }

        return new World(counsellors, clients[..s.Clients], clients[s.Clients..]);

        static IdentityUser User(string name, bool email) => new(name)
        {
            NormalizedUserName = name.ToUpperInvariant(),
            Email = email ? name.Contains('@', StringComparison.Ordinal) ? name : name + "@bench.lotse" : null,
            NormalizedEmail = email ? (name.Contains('@', StringComparison.Ordinal) ? name : name + "@bench.lotse").ToUpperInvariant() : null,
            SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
        };
    }

    /// <summary>
    /// (a) every request is stored exactly once, with exactly one first message; (b) no counsellor "nach Ressourcen"
    /// holds more open requests taken because of a free slot than their N. Prints the outcome mix on the way.
    /// </summary>
    private static async Task<bool> CheckAsync(IServiceProvider services, Settings s, (Guid Client, Guid Counsellor, Guid Key)[] requests, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var ok = true;

        var mix = await db.MailThreads.AsNoTracking().GroupBy(t => new { t.RouteKind, t.RouteReason }).Select(g => new { g.Key.RouteKind, g.Key.RouteReason, Count = g.Count() }).ToListAsync(cancellationToken);
        Console.WriteLine("Outcomes: " + string.Join(", ", mix.GroupBy(m => m.RouteKind).OrderBy(g => g.Key).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(x => x.Count):N0} ({g.Sum(x => x.Count) * 100.0 / s.Requests:0.0}%: {string.Join(" ", g.OrderBy(x => x.RouteReason).Select(x => $"{x.RouteReason} {x.Count}"))})"))));

        // (a) Nothing lost, nothing twice.
        var stored = await db.MailThreads.AsNoTracking().Select(t => new { t.ClientId, t.RequestKey, t.AddressedCounsellorId, t.Id }).ToListAsync(cancellationToken);
        var messagesPerThread = await db.MailMessages.AsNoTracking().GroupBy(m => m.ThreadId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var byKey = stored.GroupBy(t => (t.ClientId, t.RequestKey)).ToDictionary(g => g.Key, g => g.ToList());
        var missing = requests.Count(r => !byKey.TryGetValue((r.Client, r.Key), out var t) || t[0].AddressedCounsellorId != r.Counsellor);
        var doubled = byKey.Values.Count(v => v.Count > 1);
        var extra = stored.Count - requests.Length;
        var badMessages = stored.Count(t => messagesPerThread.GetValueOrDefault(t.Id) != 1);
        var messages = messagesPerThread.Values.Sum();
        Console.WriteLine($"Check a:  {stored.Count:N0} threads, {messages:N0} messages for {requests.Length:N0} requests; missing {missing}, stored twice {doubled}, threads without exactly one message {badMessages}");
        if (missing != 0 || doubled != 0 || extra != 0 || badMessages != 0 || messages != requests.Length)
        {
            Console.WriteLine("!!! VIOLATION (a): requests lost, stored twice, or messages not one per request.");
            ok = false;
        }

        // (b) Capacity: open requests routed with reason FreeSlot never exceed N.
        var capacities = await db.Counsellors.AsNoTracking().Where(c => c.MailMode == MailMode.ByCapacity).Select(c => new { c.Id, c.MailCapacity }).ToListAsync(cancellationToken);
        var freeSlot = await db.MailThreads.AsNoTracking().OpenRequests().Where(t => t.RouteReason == RouteReason.FreeSlot)
            .GroupBy(t => t.CounsellorId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var allOpen = await db.MailThreads.AsNoTracking().OpenRequests()
            .GroupBy(t => t.CounsellorId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var over = capacities.Where(c => freeSlot.GetValueOrDefault(c.Id) > c.MailCapacity).ToList();
        var full = capacities.Count(c => freeSlot.GetValueOrDefault(c.Id) == c.MailCapacity);
        var aboveByOther = capacities.Count(c => allOpen.GetValueOrDefault(c.Id) > c.MailCapacity);
        Console.WriteLine($"Check b:  {capacities.Count} counsellors by capacity: {full} filled exactly to N by free slots, {over.Count} above N by free slots; " +
                          $"{aboveByOther} above N counting all open requests (regular clients and forwarded requests they took as fallback, allowed by SPEC)");
        foreach (var o in over.Take(20))
        {
            Console.WriteLine($"!!! VIOLATION (b): counsellor {o.Id} has N = {o.MailCapacity} but {freeSlot[o.Id]} open requests taken because of a free slot.");
        }

        if (over.Count > 0)
        {
            ok = false;
        }

        return ok;
    }

    private sealed record Settings(int Requests, int Warmup, int Counsellors, int Senders, int Clients, int Agencies, string Database, int Seed, bool PostgresSyncCommit, string? ConnectionOptions, bool Statements, bool Keep)
    {
        public static Settings Read(Options o)
        {
            var database = o.Text("database", "postgres", "postgres (a throwaway cluster) or sqlite (a file in the run folder)");
            return new Settings(
                o.WholeNumber("requests", 10_000, "new mail requests to route"),
                o.WholeNumber("warmup", 5_000, "requests routed before the measurement from clients of their own, then deleted again (0: none)"),
                o.WholeNumber("counsellors", 1_000, "counsellors (40 % unlimited, 40 % by capacity N 3-20, 20 % no new requests, 5 % absent)"),
                o.WholeNumber("senders", 32, "concurrent senders, each calling the handler in its own DI scope"),
                o.WholeNumber("clients", 2_000, "clients writing"),
                o.WholeNumber("agencies", 10, "agencies; the first counsellor of each is its fallback"),
                database.ToLowerInvariant() switch
                {
                    "postgres" or "postgresql" => DataSetup.Postgres,
                    "sqlite" => DataSetup.Sqlite,
                    _ => throw new OptionException($"--database is postgres or sqlite, not '{database}'."),
                },
                o.WholeNumber("seed", 6, "seed of the data and the request sequence (the same seed repeats the same run)"),
                !o.Flag("no-sync-commit", "PostgreSQL synchronous_commit=off (default: on, as in production)"),
                o.OptionalText("connection-options", "appended to the PostgreSQL connection string, e.g. \"Max Auto Prepare=20;No Reset On Close=true\""),
                o.Flag("statements", "PostgreSQL: load pg_stat_statements and print calls per request and the statements that took the most time"),
                o.Flag("keep", "keep the run folder (database, server log)"));
        }

        public void Check()
        {
            if (Requests < 1 || Warmup < 0 || Counsellors < 2 || Senders < 1 || Clients < 1 || Agencies < 1 || Agencies > Counsellors)
            {
                throw new OptionException("--requests, --senders and --clients need at least 1, --counsellors at least 2 and at least as many as --agencies.");
            }
        }
    }
}
