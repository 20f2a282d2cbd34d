using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Lotse.Bench.Generator;
using Lotse.Bench.Infrastructure;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Lotse.Bench;

/// <summary>
/// <c>load</c>: issue 9's page benchmark. Starts PostgreSQL on a generated installation (<c>--reuse</c> the folder of
/// <c>generate</c>, or generates one into the run folder), the app as its own process on it, issues sign-in cookies
/// with the app's key ring (as the chat benchmark does), then drives each scenario from this process: the most
/// requests per second with N closed-loop workers, and latency at a fixed rate in an open loop. The ceiling is a
/// trivial endpoint of the same app through the same middleware; every figure is also given as a ratio to it.
/// With <c>--plans</c> PostgreSQL's auto_explain logs the plan of every statement of a few requests per scenario first.
/// </summary>
public static partial class LoadCommand
{
    private const string Usage = "dotnet run --project bench/Lotse.Bench -c Release -- load [options]";

    private static readonly string[] AllScenarios = ["ceiling", "dashboard", "counsellor", "slots", "booking", "mail"];

    public static async Task<int> RunAsync(string[] args)
    {
        Settings s;
        try
        {
            var o = new Options(args);
            s = new Settings(
                o.OptionalText("reuse", "folder of `generate` (its PostgreSQL cluster in folder/pg); without it an installation is generated into the run folder"),
                o.Number("scale", 0.1, "scale of the installation generated when --reuse is not given"),
                o.WholeNumber("seed", 42, "seed of the generated installation and of the users picked"),
                o.WholeNumber("duration", 15, "seconds of each measured step"),
                o.WholeNumber("warmup", 3, "seconds of closed-loop warm-up per scenario before its steps"),
                o.Number("rate", 500, "requests/s of the fixed-rate step (scenarios that cannot sustain it run at half their maximum)"),
                o.WholeNumber("workers", 16, "concurrent requests of the maximum-throughput step"),
                o.Text("scenarios", string.Join(',', AllScenarios), "which of " + string.Join(", ", AllScenarios)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                o.OptionalText("connection-options", "appended to the app's PostgreSQL connection string, e.g. \"Max Auto Prepare=20\""),
                o.OptionalText("app-env", "extra environment of the app process, NAME=VALUE[;NAME=VALUE], e.g. DOTNET_TieredPGO=0"),
                o.Flag("plans", "log the PostgreSQL plan of every statement of three requests per scenario (auto_explain) and list sequential scans"),
                o.OptionalText("app-dll", "Lotse.Web.dll to start (default: the Release build of this repository)"),
                o.Flag("keep", "keep the run folder (app log, PostgreSQL log with the plans)"));
            if (o.Help)
            {
                o.PrintHelp(Console.Out, Usage);
                return 0;
            }

            o.RejectUnknown();
            if (s.Scenarios.Except(AllScenarios).FirstOrDefault() is { } unknown)
            {
                throw new OptionException($"Unknown scenario '{unknown}'.");
            }
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

        var runDir = Path.Combine(Path.GetTempPath(), "lotse-bench-load-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);
        Directory.CreateDirectory(runDir);
        try
        {
            return await RunAsync(s, runDir, cancel.Token);
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
        var folder = s.Reuse ?? Path.Combine(runDir, "installation");
        var pgSettings = new[]
        {
            // auto_explain stays off (its default) until --plans switches it on with ALTER SYSTEM: a setting given on the
            // command line would take precedence over that.
            "max_connections=200", "shared_preload_libraries=auto_explain",
        };
        await using var postgres = await PostgresServer.StartAsync(Path.Combine(folder, "pg"), pgSettings, cancellationToken);
        var connectionString = postgres.ConnectionString(GenerateCommand.DatabaseName, 100);
        var appConnectionString = s.ConnectionOptions is null ? connectionString : connectionString + ";" + s.ConnectionOptions;
        Console.WriteLine($"Database: PostgreSQL {postgres.Version} on port {postgres.Port} ({string.Join(", ", pgSettings)}), app pool 100{(s.ConnectionOptions is null ? "" : "; " + s.ConnectionOptions)}, durability defaults");

        await using var accounts = BenchAccounts.Create(DataSetup.Postgres, connectionString, AppContext.BaseDirectory);
        if (s.Reuse is null)
        {
            await new Installation(accounts.Services, InstallationSize.At(s.Scale), s.Seed, line => Console.Error.WriteLine(line)).RunAsync(cancellationToken);
        }

        var world = await World.PickAsync(accounts.Services, s.Seed, cancellationToken);
        Console.WriteLine($"Data:     {world.Describe()}");

        var appDll = LotseProcess.FindAppDll(s.AppDll);
        var appSettings = LotseProcess.Settings(DataSetup.Postgres, appConnectionString);
        foreach (var pair in (s.AppEnvironment ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            appSettings[pair.Split('=', 2)[0]] = pair.Split('=', 2).ElementAtOrDefault(1) ?? "";
        }

        await using var app = await LotseProcess.StartAsync(appDll, runDir, appSettings, cancellationToken);
        Console.WriteLine($"App:      {appDll} as pid {app.Pid} on {app.Url} (Production, no demo data, mail and retention jobs off, Warning logs{(s.AppEnvironment is null ? "" : "; " + s.AppEnvironment)})");

        var cookies = await accounts.IssueCookiesAsync(world.UserIds(), null, cancellationToken);
        if (!await BenchAccounts.AppAcceptsAsync(app.Url, cookies[world.Counsellors[0].UserId], Roles.Counsellor, cancellationToken)
            || !await BenchAccounts.AppAcceptsAsync(app.Url, cookies[world.Clients[0].UserId], Roles.Client, cancellationToken))
        {
            await Console.Error.WriteLineAsync("The app did not take the issued cookies; see the app log.");
            return 1;
        }

        using var load = new HttpLoad(app.Url, app.Pid, postgres.PostmasterPid);
        var scenarios = await Scenarios.CreateAsync(load.Http, world, cookies, cancellationToken);
        Console.WriteLine($"Ceiling:  {scenarios.CeilingDescription}");

        if (s.Plans)
        {
            await PlansAsync(postgres, connectionString, load.Http, scenarios, s.Scenarios, cancellationToken);
        }

        var results = new List<(string Name, LoadResult Max, LoadResult Fixed, double Rate)>();
        foreach (var name in s.Scenarios)
        {
            var scenario = scenarios.Get(name);
            // Warm-up: JIT (tiering takes tens of seconds on two busy cores), connection pools, caches; forms are costly
            // to prepare, so a form scenario warms up with a few hundred.
            var warm = scenario.MaxForms == long.MaxValue ? long.MaxValue : Math.Min(scenario.MaxForms, 300);
            await load.ClosedLoopAsync(await scenario.PrepareAsync(warm, cancellationToken), s.Workers, TimeSpan.FromSeconds(s.Warmup), warm, cancellationToken);
            var maxOperation = await scenario.PrepareAsync(scenario.MaxForms, cancellationToken);
            var max = await load.ClosedLoopAsync(maxOperation, s.Workers, TimeSpan.FromSeconds(s.Duration), scenario.MaxForms, cancellationToken);
            Report(name, $"max, {s.Workers} workers", max);
            var rate = max.PerSecond >= s.Rate ? s.Rate : Math.Max(1, Math.Round(max.PerSecond / 2));
            var fixedOperation = await scenario.PrepareAsync((long)(rate * s.Duration), cancellationToken);
            var fixedRate = await load.OpenLoopAsync(fixedOperation, rate, TimeSpan.FromSeconds(s.Duration), 0, cancellationToken);
            Report(name, string.Create(CultureInfo.InvariantCulture, $"{rate:0}/s fixed"), fixedRate);
            results.Add((name, max, fixedRate, rate));
        }

        Console.WriteLine();
        Console.WriteLine("| scenario | what | max req/s | ratio to ceiling | p50 / p99 at max | fixed rate | p50 / p99 / max at fixed rate | failed | app CPU at fixed rate |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var ceiling = results.FirstOrDefault(r => r.Name == "ceiling").Max?.PerSecond;
        foreach (var (name, max, fixedRate, rate) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {scenarios.Get(name).What} | {max.PerSecond:N0} | {(ceiling is { } c ? (max.PerSecond / c).ToString("0.00", CultureInfo.InvariantCulture) : "–")} | " +
                $"{max.Latency.Percentile(50):0.0} / {max.Latency.Percentile(99):0.0} ms | {rate:0}/s | {fixedRate.Latency.Percentile(50):0.0} / {fixedRate.Latency.Percentile(99):0.0} / {fixedRate.Latency.Max:0} ms | " +
                $"{max.Failed + fixedRate.Failed} | {fixedRate.AppCpu / fixedRate.Seconds * 100:0} % |"));
        }

        Console.WriteLine($"Load:     {Machine.LoadAverage()} (1/5/15 min) after the run");
        return results.Any(r => r.Max.Failed + r.Fixed.Failed > 0) ? 1 : 0;
    }

    private static void Report(string name, string step, LoadResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-11} {step,-20} {r.PerSecond,7:0} req/s, {r.Done:N0} done, {r.Failed} failed; {r.Latency.Summary()}; CPU {r.Cpu(Environment.ProcessorCount)}; load {r.LoadAverage}"));

    /// <summary>
    /// Switches auto_explain on for every session (a reload reaches the app's pooled connections too), makes three
    /// requests per scenario one after the other, and reads the plans from the server log: statements per request and
    /// every sequential scan.
    /// </summary>
    private static async Task PlansAsync(PostgresServer postgres, string connectionString, HttpClient http, Scenarios scenarios, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        Console.WriteLine("Plans:    auto_explain of every statement of 3 requests per scenario (full plans in the run folder's pg/server.log with --keep)");
        foreach (var name in names)
        {
            var operation = await scenarios.Get(name).PrepareAsync(3, cancellationToken);
            await SetExplainAsync(connectionString, "0", cancellationToken);
            var offset = new FileInfo(postgres.LogPath).Length;
            for (var n = 0; n < 3; n++)
            {
                await operation(http, n, cancellationToken);
            }

            await SetExplainAsync(connectionString, "-1", cancellationToken);
            string log;
            await using (var stream = new FileStream(postgres.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.Seek(offset, SeekOrigin.Begin);
                log = await new StreamReader(stream).ReadToEndAsync(cancellationToken);
            }

            var plans = PlanPattern().Split(log).Skip(1).Where(p => !p.Contains("auto_explain.log_min_duration", StringComparison.Ordinal)).ToList();
            var scans = plans.SelectMany(p => SeqScanPattern().Matches(p).Select(m => m.Groups[1].Value)).GroupBy(t => t).Select(g => $"{g.Key} ×{g.Count()}").ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-11} {plans.Count / 3.0:0.#} statements per request; sequential scans: {(scans.Count == 0 ? "none" : string.Join(", ", scans))}"));
        }
    }

    private static async Task SetExplainAsync(string connectionString, string value, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var set = new NpgsqlCommand($"ALTER SYSTEM SET auto_explain.log_min_duration = {value}", connection))
        {
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteNonQueryAsync(cancellationToken);
        // The backends take the new setting when they next look at their signals, before their next statement; a
        // moment's grace makes sure none is mid-way through reading it.
        await Task.Delay(200, cancellationToken);
    }

    [GeneratedRegex(@"LOG:\s+duration: [0-9.]+ ms\s+plan:")]
    private static partial Regex PlanPattern();

    [GeneratedRegex(@"Seq Scan on (\S+)")]
    private static partial Regex SeqScanPattern();

    private sealed record Settings(string? Reuse, double Scale, int Seed, int Duration, int Warmup, double Rate, int Workers, string[] Scenarios, string? ConnectionOptions, string? AppEnvironment, bool Plans, string? AppDll, bool Keep);

    public sealed record BenchCounsellor(Guid Id, string UserId, int Upcoming);

    public sealed record BenchClient(Guid Id, string UserId, Guid CounsellorId);

    /// <summary>The users of the run, picked from the installation by the seed.</summary>
    public sealed record World(List<BenchCounsellor> Counsellors, List<BenchClient> Clients, List<Guid> Bookable, int MedianUpcoming)
    {
        public string Describe() =>
            $"{Counsellors.Count} counsellors for the dashboard (upcoming confirmed appointments: median {MedianUpcoming} of them, {Counsellors.Min(c => c.Upcoming)}–{Counsellors.Max(c => c.Upcoming)}), " +
            $"{Clients.Count:N0} clients with their counsellor, {Bookable.Count:N0} counsellors to book with";

        public List<string> UserIds() => [.. Counsellors.Select(c => c.UserId), .. Clients.Select(c => c.UserId)];

        /// <summary>
        /// Counsellors with a realistic caseload: between the median and the 95th percentile of upcoming confirmed
        /// appointments; clients with the counsellor who counsels them; counsellors that take bookings.
        /// </summary>
        public static async Task<World> PickAsync(IServiceProvider services, int seed, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var loads = await db.Counsellors.AsNoTracking()
                .Select(c => new BenchCounsellor(c.Id, c.UserId, db.Appointments.Count(a => a.CounsellorId == c.Id && a.Status == AppointmentStatus.Confirmed && a.EndUtc > now)))
                .ToListAsync(cancellationToken);
            var ordered = loads.OrderBy(c => c.Upcoming).ThenBy(c => c.Id).ToList();
            var busy = ordered.Skip(ordered.Count / 2).Take(Math.Max(1, (ordered.Count * 45) / 100)).ToList();
            var random = new Random(seed);
            var counsellors = busy.OrderBy(_ => random.Next()).Take(200).ToList();
            // 4,000 different clients, each with their first counsellor. (Relations in client order would repeat the
            // clients that earlier runs on a reused installation gave new relations, until their posts hit the
            // per-user message limit.)
            var clients = await db.Clients.AsNoTracking()
                .Where(c => db.CounsellingRelations.Any(r => r.ClientId == c.Id))
                .OrderBy(c => c.Id)
                .Take(4000)
                .Select(c => new BenchClient(c.Id, c.UserId, db.CounsellingRelations
                    .Where(r => r.ClientId == c.Id)
                    .OrderBy(r => r.SinceUtc).ThenBy(r => r.CounsellorId)
                    .Select(r => r.CounsellorId)
                    .First()))
                .ToListAsync(cancellationToken);
            var bookable = await db.Counsellors.AsNoTracking()
                .Where(c => !c.RegularClientsOnly && db.BookingHours.Any(h => h.CounsellorId == c.Id))
                .OrderBy(c => c.Id)
                .Select(c => c.Id)
                .ToListAsync(cancellationToken);
            var upcoming = counsellors.Select(c => c.Upcoming).Order().ToList();
            return new World(counsellors, clients, bookable, upcoming[upcoming.Count / 2]);
        }
    }

    /// <summary>
    /// One scenario: what it does, how many requests a step may make at most (forms: as many as are prepared; GET:
    /// no limit, long.MaxValue) and, for n requests to come, the operation that makes the n-th.
    /// </summary>
    private sealed record Scenario(string What, long MaxForms, Func<long, CancellationToken, Task<HttpOperation>> PrepareAsync);

    private sealed partial class Scenarios
    {
        private readonly Dictionary<string, Scenario> _all = [];

        public string CeilingDescription { get; private set; } = "";

        public Scenario Get(string name) => _all[name];

        public static async Task<Scenarios> CreateAsync(HttpClient http, World world, Dictionary<string, string> cookies, CancellationToken cancellationToken)
        {
            var s = new Scenarios();
            // The other engineer's /health/live, once it exists; until then the language switch: anonymous, through
            // routing, authentication, session check, authorization, rate limiting and antiforgery, then a cookie and a redirect.
            using var probe = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
            var (ceilingPath, ceilingStatus) = probe.StatusCode == HttpStatusCode.OK ? ("/health/live", HttpStatusCode.OK) : ("/sprache/de?zurueck=/", HttpStatusCode.Redirect);
            s.CeilingDescription = ceilingPath == "/health/live"
                ? "GET /health/live (anonymous, the app's whole middleware pipeline, a trivial answer)"
                : "GET /sprache/de?zurueck=/ (no /health/live in this build; the language switch is the app's cheapest anonymous endpoint behind its whole middleware pipeline: sets a cookie, redirects)";
            var ceilingUri = new Uri(ceilingPath, UriKind.Relative);
            s.Add("ceiling", $"GET {ceilingPath}, anonymous", _ => Get(http, ceilingUri, null, ceilingStatus));

            var dashboard = new Uri("/", UriKind.Relative);
            var kept = await KeptCookiesAsync(http, dashboard, "data-testid=\"tile-status\"", world.Counsellors.Select(c => c.UserId), cookies, cancellationToken);
            s.Add("dashboard", "GET / as a counsellor (200 counsellors in turn, with the cookies their browser keeps)", n => Get(http, dashboard, kept[world.Counsellors[(int)(n % world.Counsellors.Count)].UserId], HttpStatusCode.OK));
            s.Add("counsellor", "GET /berater/{id} as a client of that counsellor", n =>
            {
                var c = world.Clients[(int)(n % world.Clients.Count)];
                return Get(http, new Uri($"/berater/{c.CounsellorId}", UriKind.Relative), cookies[c.UserId], HttpStatusCode.OK);
            });
            s.Add("slots", "GET /berater/{id}/termin (free slots) as a client of that counsellor", n =>
            {
                var c = world.Clients[(int)(n % world.Clients.Count)];
                return Get(http, new Uri($"/berater/{c.CounsellorId}/termin", UriKind.Relative), cookies[c.UserId], HttpStatusCode.OK);
            });
            s._all["booking"] = new Scenario("POST /berater/{id}/termin: books a free slot (form fetched beforehand, each a different slot)", 3_000,
                (count, ct) => PrepareFormsAsync(http, world, cookies, count, Booking, ct));
            s._all["mail"] = new Scenario("POST /anfragen/neu?berater={id}: a new mail request (form fetched beforehand, each client at most a few)", 3_000,
                (count, ct) => PrepareFormsAsync(http, world, cookies, count, MailRequest, ct));
            return s;
        }

        /// <summary>
        /// The cookies a browser sends after its first look at <paramref name="page"/>: the sign-in cookie and the
        /// antiforgery cookie that look set (a browser keeps it; without it every page would set a new one). That
        /// look must be the page itself (<paramref name="marker"/>), not the welcome page of a refused cookie.
        /// </summary>
        private static async Task<Dictionary<string, string>> KeptCookiesAsync(HttpClient http, Uri page, string marker, IEnumerable<string> userIds, Dictionary<string, string> cookies, CancellationToken cancellationToken)
        {
            var kept = new ConcurrentDictionary<string, string>();
            await Parallel.ForEachAsync(userIds.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (userId, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, page);
                request.Headers.Add("Cookie", cookies[userId]);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                var html = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode != HttpStatusCode.OK || !html.Contains(marker, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"GET {page} with a bench cookie gave {(int)response.StatusCode} without {marker}: the cookies do not work.");
                }

                kept[userId] = WithAntiforgeryCookie(cookies[userId], response);
            });
            return new Dictionary<string, string>(kept);
        }

        /// <summary>The user's cookie, and the antiforgery cookie <paramref name="response"/> set, as a browser keeps both.</summary>
        private static string WithAntiforgeryCookie(string cookie, HttpResponseMessage response)
        {
            var antiforgery = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';', 2)[0]).FirstOrDefault(c => c.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase)) : null;
            return antiforgery is null ? cookie : cookie + "; " + antiforgery;
        }

        /// <summary>A GET scenario: nothing to prepare, no limit on how many.</summary>
        private void Add(string name, string what, Func<long, Task<bool>> request) =>
            _all[name] = new Scenario(what, long.MaxValue, (_, _) => Task.FromResult<HttpOperation>((_, n, _) => request(n)));

        private static async Task<bool> Get(HttpClient http, Uri uri, string? cookie, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            return response.StatusCode == expected;
        }

        private delegate Form? FormFor(long n, World world, string page);

        private sealed record Form(Uri Action, string Cookie, Dictionary<string, string> Fields, string ExpectedLocation);

        /// <summary>
        /// Fetches the n-th form as a browser would (GET with the user's cookie, keeping the antiforgery cookie and
        /// token), eight at a time, before the step, so that the step measures the POSTs alone.
        /// </summary>
        private static async Task<HttpOperation> PrepareFormsAsync(HttpClient http, World world, Dictionary<string, string> cookies, long count, Func<long, World, (Uri Page, string UserId, FormFor Fill)> which, CancellationToken cancellationToken)
        {
            // Some candidates give no form (a counsellor only for regular clients, no free slot left): try up to twice as many.
            var forms = new ConcurrentDictionary<long, Form>();
            await Parallel.ForEachAsync(LongRange(2 * count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (n, ct) =>
            {
                if (forms.Count >= count)
                {
                    return;
                }

                var (page, userId, fill) = which(n, world);
                using var request = new HttpRequestMessage(HttpMethod.Get, page);
                request.Headers.Add("Cookie", cookies[userId]);
                using var response = await http.SendAsync(request, ct);
                var html = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.OK && TokenPattern().Match(html) is { Success: true } token && fill(n, world, html) is { } form)
                {
                    form.Fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
                    forms[n] = form with { Cookie = WithAntiforgeryCookie(cookies[userId], response) };
                }
            });
            var ready = forms.OrderBy(f => f.Key).Select(f => f.Value).Take((int)count).ToArray();
            if (ready.Length < count)
            {
                Console.Error.WriteLine($"  only {ready.Length:N0} of {count:N0} forms could be prepared (no free slot left, or the page refused)");
            }

            var reported = 0;
            return async (client, n, ct) =>
            {
                if (n >= ready.Length)
                {
                    return false;
                }

                var form = ready[n];
                using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(form.Fields) };
                request.Headers.Add("Cookie", form.Cookie);
                using var response = await client.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.StartsWith(form.ExpectedLocation, StringComparison.Ordinal) == true)
                {
                    return true;
                }

                // Say why the first few failed (status and where it pointed), so a refused post is not a mystery.
                if (Interlocked.Increment(ref reported) <= 5)
                {
                    Console.Error.WriteLine($"  post {n} refused: {(int)response.StatusCode} {response.Headers.Location?.OriginalString.Split('?')[0]}");
                }

                return false;
            };
        }

        /// <summary>Form n books with counsellor n mod B the (n div B)-th free slot its page lists, so no two forms of a step want the same slot.</summary>
        private static (Uri, string, FormFor) Booking(long n, World world)
        {
            var counsellor = world.Bookable[(int)(n % world.Bookable.Count)];
            var client = world.Clients[(int)(n % world.Clients.Count)];
            var page = new Uri($"/berater/{counsellor}/termin", UriKind.Relative);
            return (page, client.UserId, (i, w, html) =>
            {
                var slots = SlotPattern().Matches(html);
                var pick = (int)(i / w.Bookable.Count);
                return pick < slots.Count
                    ? new Form(page, "", new Dictionary<string, string> { ["Slot"] = WebUtility.HtmlDecode(slots[pick].Groups[1].Value), ["Topic"] = "Lastbenchmark" }, "/meine-termine")
                    : null;
            });
        }

        /// <summary>Form n: client n writes to their counsellor; a client writes at most a few requests in a run (the message limit is per user).</summary>
        private static (Uri, string, FormFor) MailRequest(long n, World world)
        {
            var client = world.Clients[(int)(n % world.Clients.Count)];
            var page = new Uri($"/anfragen/neu?berater={client.CounsellorId}", UriKind.Relative);
            return (page, client.UserId, (_, _, html) => RequestKeyPattern().Match(html) is { Success: true } key
                ? new Form(page, "", new Dictionary<string, string>
                {
                    ["Form.Subject"] = "Frage zur Beratung",
                    ["Form.Body"] = "Guten Tag, ich hätte gern einen Rat zu meiner Situation. Können Sie mir schreiben?",
                    ["Form.RequestKey"] = key.Groups[1].Value,
                }, "/anfragen/")
                : null);
        }

        private static IEnumerable<long> LongRange(long count)
        {
            for (long i = 0; i < count; i++)
            {
                yield return i;
            }
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
        private static partial Regex TokenPattern();

        [GeneratedRegex("name=\"Slot\" value=\"([^\"]+)\"")]
        private static partial Regex SlotPattern();

        [GeneratedRegex("name=\"Form.RequestKey\" value=\"([^\"]+)\"")]
        private static partial Regex RequestKeyPattern();
    }
}
