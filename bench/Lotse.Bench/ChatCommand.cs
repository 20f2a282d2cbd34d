using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Lotse.Bench.Infrastructure;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;

namespace Lotse.Bench;

/// <summary>
/// <c>chat</c>: issue 5's chat benchmark in one command. Prepares a database (a throwaway PostgreSQL cluster or a
/// SQLite file), starts the real app as its own process, creates counsellors and clients, connects each pair over
/// WebSockets to the chat hub, starts their conversations, sends messages at the target rate, and reports
/// throughput, acknowledgement and delivery latency, losses, duplicates and CPU.
/// </summary>
public static class ChatCommand
{
    private const string Usage = "dotnet run --project bench/Lotse.Bench -c Release -- chat [options]";

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            var options = new Options(args);
            settings = Settings.Read(options);
            if (options.Help)
            {
                options.PrintHelp(Console.Out, Usage);
                return 0;
            }

            options.RejectUnknown();
            settings.Check();
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

        var runDir = Path.Combine(Path.GetTempPath(), "lotse-bench-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);
        Directory.CreateDirectory(runDir);
        try
        {
            return await RunAsync(settings, runDir, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        finally
        {
            if (settings.Keep)
            {
                Console.WriteLine($"Run folder kept: {runDir}");
            }
            else
            {
                TryDelete(runDir);
            }
        }
    }

    private static async Task<int> RunAsync(Settings s, string runDir, CancellationToken cancellationToken)
    {
        var files = Machine.OpenFilesLimit();
        // Each connection is a socket in the driver and one in the app (which inherits this limit), plus files and the database.
        if (files < s.Connections + 1024)
        {
            await Console.Error.WriteLineAsync($"Open files limit is {files}; {s.Connections} connections need at least {s.Connections + 1024}. Raise it first, e.g. `ulimit -n 65536`.");
            return 1;
        }

        Console.WriteLine($"Machine:  {Machine.Describe()}");
        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) before the run; open files limit {files}");
        Console.WriteLine($"Load set: {s.Connections} connections ({s.Pairs} counsellor+client pairs), {string.Join(" then ", s.Rates)} messages/s in total " +
                          $"({string.Join(" then ", s.Rates.Select(r => (r / s.Connections).ToString("0.###", CultureInfo.InvariantCulture)))}/s per connection), " +
                          $"each {s.Warmup}s warm-up + {s.Duration}s measured, {s.MessageLength}-character messages");

        // 1. The database.
        await using var postgres = s.Database == DataSetup.Postgres && s.ConnectionString is null
            ? await PostgresServer.StartAsync(Path.Combine(runDir, "pg"), s.PostgresSettings(), cancellationToken)
            : null;
        var connectionString = s.ConnectionString
            ?? (postgres is null ? null : postgres.ConnectionString("lotse_bench", s.PoolSize) + (s.ConnectionOptions is null ? "" : ";" + s.ConnectionOptions))
            ?? $"Data Source={Path.Combine(runDir, "lotse-bench.db")}";
        Console.WriteLine(postgres is not null
            ? $"Database: throwaway PostgreSQL {postgres.Version} cluster on port {postgres.Port} ({string.Join(", ", s.PostgresSettings())}); app pool {s.PoolSize}"
            : $"Database: {s.Database} {ConnectionStrings.Redact(connectionString)}");

        // 2. The app, as its own process.
        var appSettings = LotseProcess.Settings(s.Database, connectionString);
        if (s.MessagesPerWindow is { } limit)
        {
            appSettings["Chat:MessagesPerWindow"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        var clock = Stopwatch.StartNew();
        await using var app = s.AppUrl is null ? await LotseProcess.StartAsync(s.AppDll(), runDir, appSettings, cancellationToken) : null;
        var appUrl = app?.Url ?? s.AppUrl!;
        Console.WriteLine(app is not null
            ? $"App:      {s.AppDll()} as pid {app.Pid} on {appUrl} (Production, Warning logs{(s.MessagesPerWindow is { } l ? $", Chat:MessagesPerWindow={l}" : ", default chat limits")}), ready after {clock.Elapsed.TotalSeconds:0.0}s"
            : $"App:      {appUrl} (started elsewhere: its CPU is not measured)");

        // 3. Accounts and cookies.
        // The app keeps its key ring in the database: the bench, on the same database, issues cookies with the same keys.
        var mint = s.SignIn == "mint";
        await using var accounts = BenchAccounts.Create(s.Database, connectionString, app?.ContentRoot ?? AppContext.BaseDirectory);
        if (await accounts.AnyUsersAsync(cancellationToken))
        {
            await Console.Error.WriteLineAsync("The database already has users: the bench needs a fresh one (its message count is checked at the end).");
            return 1;
        }

        clock.Restart();
        var pairs = await accounts.CreatePairsAsync(s.Pairs, _ => { }, cancellationToken);
        Console.WriteLine($"Accounts: {pairs.Count} counsellors and {pairs.Count} clients inserted in {clock.Elapsed.TotalSeconds:0.0}s (one shared password hash)");

        clock.Restart();
        var cookies = mint
            ? await accounts.IssueCookiesAsync(pairs.SelectMany(p => new[] { p.CounsellorUserId, p.ClientUserId }).ToList(), null, cancellationToken)
            : await SignInAllThroughFormAsync(appUrl, pairs, cancellationToken);
        var first = pairs[0];
        if (!await BenchAccounts.AppAcceptsAsync(appUrl, cookies[first.CounsellorUserId], Roles.Counsellor, cancellationToken)
            || !await BenchAccounts.AppAcceptsAsync(appUrl, cookies[first.ClientUserId], Roles.Client, cancellationToken))
        {
            await Console.Error.WriteLineAsync("The app did not accept the bench's sign-in cookies (is it on another database, so another key ring?). Try --sign-in form.");
            return 1;
        }

        // The shared password really signs in through the form: the accounts are ordinary ones.
        await BenchAccounts.SignInThroughFormAsync(appUrl, first.ClientLogin, cancellationToken);
        Console.WriteLine($"Sign-in:  {cookies.Count} cookies {(mint ? "issued with the app's key ring" : "from the login form")} in {clock.Elapsed.TotalSeconds:0.0}s; checked against the app");

        // 4. Connections and conversations.
        clock.Restart();
        await using var load = new ChatLoad(appUrl, s.Rates, s.Warmup, s.Duration, s.MessageLength);
        await load.ConnectAsync(
            pairs.Select(p => (p, cookies[p.CounsellorUserId], cookies[p.ClientUserId])).ToList(),
            s.ConnectParallel,
            n =>
            {
                if (!Console.IsOutputRedirected)
                {
                    Console.Write($"\rConnect:  {n}/{s.Connections} connections");
                }
            },
            cancellationToken);
        Console.WriteLine($"{(Console.IsOutputRedirected ? "" : "\r")}Connect:  {load.Connections} WebSocket connections, {s.Pairs} conversations started and joined in {clock.Elapsed.TotalSeconds:0.0}s");

        // 5. The load, one step per rate.
        if (s.PostgresStatements)
        {
            await PostgresServer.EnableStatementsAsync(connectionString, cancellationToken);
        }

        // The driver shares the machine and counts from each message's planned send time, so a pause of its own counts
        // as the server's latency: with --gc, a driver collection of 474 ms (blocking, after the connections' set-up)
        // was seen to make a step miss. So the set-up's garbage goes now, and later full collections run in the background.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        var rows = new List<string>();
        var clean = true;
        await using var gc = s.GcPauses ? GcPauses.Start(appUrl) : null;
        foreach (var step in load.Steps)
        {
            var loadBefore = Machine.LoadAverage();
            Console.WriteLine();
            Console.WriteLine($"Step:     {step.Rate} messages/s; load {loadBefore} (1/5/15 min) at its start; sending for {s.Warmup + s.Duration}s…");
            var measuredFromUtc = DateTime.MinValue;
            var stepResult = await load.RunAsync(
                step,
                app?.Pid,
                postgres?.PostmasterPid,
                TimeSpan.FromSeconds(s.Drain),
                () =>
                {
                    measuredFromUtc = TimeProvider.System.GetUtcNow().UtcDateTime;
                    return s.PostgresStatements ? PostgresServer.ResetStatementsAsync(connectionString, cancellationToken) : Task.CompletedTask;
                },
                cancellationToken);
            var loadAfter = Machine.LoadAverage();
            // Acknowledgements first: each comes only after its commit, so the count read afterwards can only be larger. With a
            // backlog the server goes on storing while this runs, so then "at least" is all that can be checked.
            var acknowledgedSoFar = load.AcknowledgedSoFar;
            var settled = load.InFlight == 0;
            var stored = await accounts.CountChatMessagesAsync(cancellationToken);
            rows.Add(Report(s, step, stepResult, stored, acknowledgedSoFar, settled, loadBefore, loadAfter,
                app is null ? null : Machine.PeakMemoryMiB(app.Pid), app is null ? null : Machine.Threads(app.Pid)));
            if (gc is not null)
            {
                // Over the CPU's window; for a slow second, from its start to its slowest delivery.
                Console.WriteLine($"  gc         {gc.Between(measuredFromUtc, measuredFromUtc.AddSeconds(stepResult.Cpu.WallSeconds)).Summary()}");
                foreach (var slow in stepResult.SlowSeconds)
                {
                    Console.WriteLine($"  gc {slow.StartUtc:HH:mm:ss} {gc.Between(slow.StartUtc, slow.StartUtc.AddSeconds(1).AddMilliseconds(slow.MaxMs)).Summary()}");
                }
            }
            if (s.PostgresStatements)
            {
                Console.WriteLine($"  Database time by statement since the warm-up ({stepResult.MeasuredSent:N0} messages sent in that time):");
                foreach (var (calls, mean, total, query) in await PostgresServer.TopStatementsAsync(connectionString, 12, cancellationToken))
                {
                    Console.WriteLine($"  {calls,8:N0} calls {mean,8:0.000} ms mean {total,10:N0} ms total  {(query.Length > 150 ? query[..150] + "…" : query)}");
                }
            }

            clean &= stepResult.Lost == 0 && stepResult.Duplicates == 0 && stepResult.Failed == 0 && stepResult.Unanswered == 0 && stepResult.Misrouted == 0
                     && stepResult.OutOfOrder == 0 && stored == acknowledgedSoFar && settled;
        }

        Console.WriteLine();
        Console.WriteLine("| connections | msg/s acknowledged (offered) | delivery p50 / p99 / max | ack p50 / p99 | lost | dup | server CPU | PostgreSQL CPU | driver CPU | machine busy (others) | target |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return clean ? 0 : 3;
    }

    /// <summary>Prints one step's result and returns its row for the summary table.</summary>
    private static string Report(Settings s, ChatStep step, ChatLoadResult r, int stored, long acknowledgedSoFar, bool settled, string loadBefore, string loadAfter, double? serverMemory, int? serverThreads)
    {
        static string Ms(double v) => v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        static string Pct(double? v) => v is { } x ? x.ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a";
        var c = r.Cpu;
        Console.WriteLine($"  messages   sent {r.Sent:N0}, acknowledged {r.Acknowledged:N0}, failed {r.Failed:N0}, unanswered {r.Unanswered:N0}, delivered {r.Delivered:N0}, " +
                          $"lost {r.Lost}, duplicates {r.Duplicates}, out of order {r.OutOfOrder}, misrouted {r.Misrouted}");
        Console.WriteLine(settled
            ? $"  database   {stored:N0} chat messages stored: {(stored == acknowledgedSoFar ? "equals" : "DIFFERS FROM")} the {acknowledgedSoFar:N0} acknowledged so far"
            : $"  database   {stored:N0} chat messages stored, {(stored >= acknowledgedSoFar ? "at least" : "FEWER THAN")} the {acknowledgedSoFar:N0} acknowledged so far (invocations still queued: the server goes on storing)");
        Console.WriteLine($"  rate       offered {r.OfferedPerSecond:0} msg/s, acknowledged {r.AcknowledgedPerSecond:0} msg/s, delivered {r.DeliveredPerSecond:0} msg/s (measured {r.MeasuredSent:N0} messages); " +
                          $"whole step {r.StepAcknowledgedPerSecond:0} msg/s acknowledged");
        Console.WriteLine($"  ack        {r.Ack.Summary()}");
        Console.WriteLine($"  delivery   {r.Delivery.Summary()}");
        Console.WriteLine($"  pacer lag  {r.PacerLag.Summary()}; most in flight {r.MaxInFlight:N0}");
        Console.WriteLine($"  cpu        server {Pct(c.ServerPercent)}, PostgreSQL {Pct(c.DatabasePercent)}, driver {Pct(c.DriverPercent)}, machine busy {Pct(c.MachineBusyPercent)} " +
                          $"of {Environment.ProcessorCount * 100} % (others {Pct(c.OthersPercent)}) over {c.WallSeconds:0}s; server peak RSS {serverMemory:0} MiB, {serverThreads} threads at the end");
        // CPU per message is the figure that survives a busy machine: latency depends on what else runs, CPU time much less.
        var perMessage = r.AcknowledgedPerSecond > 0 ? 10.0 / r.AcknowledgedPerSecond : double.NaN;
        string PerMessage(double? percent) => percent is { } p ? (p * perMessage).ToString("0.00", CultureInfo.InvariantCulture) + " ms" : "n/a";
        Console.WriteLine($"  cpu/msg    server {PerMessage(c.ServerPercent)}, PostgreSQL {PerMessage(c.DatabasePercent)}, driver {PerMessage(c.DriverPercent)} per acknowledged message");
        Console.WriteLine($"  load       {loadBefore} before, {loadAfter} after; connections dropped {r.ConnectionsDropped}");
        foreach (var (error, count) in r.Errors.OrderByDescending(e => e.Value).Take(10))
        {
            Console.WriteLine($"  error      {count} × {error}");
        }

        Console.WriteLine(r.SlowSeconds.Count == 0
            ? $"  slow       no second with a delivery of {ChatTarget.DeliveryMs:0} ms or more"
            : $"  slow       {r.SlowSeconds.Count} seconds with deliveries of {ChatTarget.DeliveryMs:0} ms or more (sent in the second starting at, UTC): " +
              string.Join(", ", r.SlowSeconds.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.StartUtc:HH:mm:ss} {x.Late}/{x.Messages} max {x.MaxMs:0}"))));
        var met = r.Delivery.Percentile(99) < ChatTarget.DeliveryMs && r.AcknowledgedPerSecond >= step.Rate * 0.98 && r.Lost == 0 && r.Duplicates == 0 && r.Unanswered == 0;
        Console.WriteLine($"  target     p99 delivery < {ChatTarget.DeliveryMs:0} ms at {step.Rate:0} msg/s with nothing lost or doubled: {(met ? "met" : "NOT met")}");
        return $"| {s.Connections:N0} | {r.AcknowledgedPerSecond:0} ({step.Rate:0}) | {Ms(r.Delivery.Percentile(50))} / {Ms(r.Delivery.Percentile(99))} / {Ms(r.Delivery.Max)} ms | " +
               $"{Ms(r.Ack.Percentile(50))} / {Ms(r.Ack.Percentile(99))} ms | {r.Lost} | {r.Duplicates} | {Pct(c.ServerPercent)} | {Pct(c.DatabasePercent)} | {Pct(c.DriverPercent)} | " +
               $"{Pct(c.MachineBusyPercent)} ({Pct(c.OthersPercent)}) | {(met ? "met" : "missed")} |";
    }

    private static async Task<Dictionary<string, string>> SignInAllThroughFormAsync(Uri app, IReadOnlyList<BenchPair> pairs, CancellationToken cancellationToken)
    {
        var cookies = new Dictionary<string, string>();
        var done = 0;
        await Parallel.ForEachAsync(pairs.SelectMany(p => new[] { (p.CounsellorUserId, p.CounsellorLogin), (p.ClientUserId, p.ClientLogin) }),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (user, ct) =>
            {
                var cookie = await BenchAccounts.SignInThroughFormAsync(app, user.Item2, ct);
                lock (cookies)
                {
                    cookies[user.Item1] = cookie;
                    if (++done % 100 == 0 && !Console.IsOutputRedirected)
                    {
                        Console.Write($"\rSign-in:  {done}/{pairs.Count * 2} through the login form");
                    }
                }
            });
        Console.WriteLine();
        return cookies;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not delete {dir}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"Could not delete {dir}: {e.Message}");
        }
    }

    private sealed record Settings(
        int Connections,
        IReadOnlyList<double> Rates,
        double Duration,
        double Warmup,
        double Drain,
        string Database,
        string? ConnectionString,
        int PoolSize,
        string? ConnectionOptions,
        bool PostgresSyncCommit,
        bool PostgresStatements,
        IReadOnlyList<string> PostgresExtra,
        bool GcPauses,
        Uri? AppUrl,
        string? AppDllPath,
        string SignIn,
        int? MessagesPerWindow,
        int MessageLength,
        int ConnectParallel,
        bool Keep)
    {
        public int Pairs => Connections / 2;

        public static Settings Read(Options o)
        {
            var connections = o.WholeNumber("connections", 1000, "chat connections in total: half counsellors, half clients, one conversation per pair");
            var rateText = o.Text("rate", "1000", "messages per second over all connections (both sides send); several, comma-separated (25,50,100), run one after the other on the same connections");
            var rates = rateText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new OptionException($"--rate needs numbers, not '{r}'."))
                .ToList();
            var duration = o.Number("duration", 60, "seconds measured");
            var warmup = o.Number("warmup", 10, "seconds of load before measuring (JIT, pools); its messages are still checked for loss");
            var drain = o.Number("drain", 30, "seconds to wait after the last send for outstanding acknowledgements and deliveries");
            var database = o.Text("database", "postgres", "postgres or sqlite");
            var connectionString = o.OptionalText("connection-string", "database of the app; default: a throwaway PostgreSQL cluster (initdb/pg_ctl) or a SQLite file in the run folder. Must be empty");
            var pool = o.WholeNumber("pool", 100, "PostgreSQL connection pool of the app (Npgsql's default is 100) for the throwaway cluster");
            var connectionOptions = o.OptionalText("connection-options", "extra Npgsql settings for the throwaway cluster's connection string, e.g. \"Max Auto Prepare=20;No Reset On Close=true\"");
            var sync = o.Text("pg-synchronous-commit", "on", "synchronous_commit of the throwaway cluster: on (PostgreSQL's default, durable) or off");
            var statements = o.Flag("pg-statements", "load pg_stat_statements and print the statements that took the most database time (diagnosis)");
            var extra = o.OptionalText("pg-settings", "more settings for the throwaway cluster, name=value, comma-separated (diagnosis, e.g. autovacuum=off)");
            var gcPauses = o.Flag("gc", "sample the app's (its /metrics) and the driver's garbage collections every half second; show them per step and per slow second (diagnosis)");
            var appUrl = o.OptionalText("app-url", "use an app that is already running (with --connection-string of its database) instead of starting one; signs in through the form");
            var appDll = o.OptionalText("app-dll", "the app to start; default src/Lotse.Web/bin/Release/net10.0/Lotse.Web.dll of this repository");
            var signIn = o.Text("sign-in", "mint", "mint: issue cookies with the app's key ring; form: sign every user in through the login form (about 60 ms of server CPU each)");
            var limit = o.OptionalText("messages-per-window", "Chat:MessagesPerWindow for the started app; default: the app's 10 per 10 s, raised to three times the per-connection rate when that would come within half of it");
            var length = o.WholeNumber("message-length", 80, "characters per message");
            var parallel = o.WholeNumber("connect-parallel", 16, "pairs connected at a time while setting up");
            var keep = o.Flag("keep", "keep the run folder (database, app log) afterwards");

            var perConnectionWindow = rates.DefaultIfEmpty(0).Max() / Math.Max(1, connections) * 10;
            int? messagesPerWindow = limit is not null
                ? int.Parse(limit, CultureInfo.InvariantCulture)
                : perConnectionWindow > 5 ? (int)Math.Ceiling(perConnectionWindow * 3) : null;
            return new Settings(connections, rates, duration, warmup, drain,
                database.Equals("sqlite", StringComparison.OrdinalIgnoreCase) ? DataSetup.Sqlite : database.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? DataSetup.Postgres : database,
                connectionString, pool, connectionOptions, sync != "off", statements,
                extra?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [], gcPauses, appUrl is null ? null : new Uri(appUrl), appDll, appUrl is not null ? "form" : signIn, messagesPerWindow, length, parallel, keep);
        }

        public void Check()
        {
            if (Connections < 2 || Connections % 2 != 0)
            {
                throw new OptionException("--connections must be an even number of at least 2 (pairs of counsellor and client).");
            }

            if (Rates.Count == 0 || Rates.Any(r => r <= 0) || Duration <= 0 || Warmup < 0)
            {
                throw new OptionException("--rate and --duration must be positive, --warmup not negative.");
            }

            if (Database is not (DataSetup.Postgres or DataSetup.Sqlite))
            {
                throw new OptionException("--database is postgres or sqlite.");
            }

            if (SignIn is not ("mint" or "form"))
            {
                throw new OptionException("--sign-in is mint or form.");
            }

            if (AppUrl is not null && ConnectionString is null)
            {
                throw new OptionException("--app-url needs --connection-string of the app's (empty) database, to create accounts and count messages.");
            }

            if (MessageLength is < 10 or > 4000)
            {
                throw new OptionException("--message-length is 10 to 4000 (the chat's limit).");
            }
        }

        public IEnumerable<string> PostgresSettings() =>
            new[] { $"max_connections={Math.Max(100, PoolSize + 50)}" }
                .Concat(PostgresSyncCommit ? [] : ["synchronous_commit=off"])
                .Concat(PostgresStatements ? ["shared_preload_libraries=pg_stat_statements"] : [])
                .Concat(PostgresExtra);

        public string AppDll() => LotseProcess.FindAppDll(AppDllPath);
    }
}
