using System.Diagnostics;
using System.Globalization;
using Lotse.Bench.Infrastructure;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Bench.Generator;

/// <summary>The sizes of a generated installation; scale 1.0 is issue 9's "realistic large installation".</summary>
public sealed record InstallationSize(int Agencies, int Counsellors, int Clients, int Messages, int Appointments, int Absences)
{
    public static InstallationSize At(double scale) => new(
        Math.Max(1, (int)Math.Round(100 * scale)),
        Math.Max(2, (int)Math.Round(5_000 * scale)),
        Math.Max(2, (int)Math.Round(500_000 * scale)),
        (int)Math.Round(2_000_000 * scale),
        (int)Math.Round(500_000 * scale),
        (int)Math.Round(20_000 * scale));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Agencies:N0} agencies, {Counsellors:N0} counsellors, {Clients:N0} clients, {Messages:N0} messages, {Appointments:N0} appointments, {Absences:N0} absences");
}

/// <summary>Who signs in for the load benchmark: the login names are fixed by the generator, so a reused database still has them.</summary>
public static class InstallationLogins
{
    public static string Counsellor(int index) => $"berater.{index:D5}@lotse.test";

    public static string Client(int index, string pseudonym) => $"{pseudonym}{index}";
}

/// <summary>
/// Fills the app's schema with a large installation, repeatable from a seed: every id and every choice comes from one
/// <see cref="Random"/> per table family, times are relative to the UTC day of the run. Entities are made through the
/// domain's constructors and methods (so their rules hold: a thread answered is "in Bearbeitung", a counsellor
/// "nach Ressourcen" never holds more than N open requests taken for a free slot, no slot is booked twice) and written
/// with <see cref="BulkTable{T}"/> through the app's own mapping and content encryption.
/// </summary>
public sealed class Installation(IServiceProvider services, InstallationSize size, int seed, Action<string> progress)
{
    private static readonly string[] Pseudonyms =
    [
        "Wolke", "Sonnenblume", "Nordlicht", "Kiesel", "Ahorn", "Möwe", "Laterne", "Himmelblau", "Igel", "Kompass", "Regenbogen", "Fuchs",
        "Tulpe", "Brise", "Sternchen", "Leuchtturm", "Eichhorn", "Mondschein", "Ebbe", "Zaunkönig",
    ];

    private static readonly string[] FirstNames = ["Anna", "Ben", "Clara", "David", "Emine", "Felix", "Greta", "Hannes", "Ines", "Jonas", "Katrin", "Lukas", "Mia", "Noah", "Olga", "Paul", "Rosa", "Samir", "Tanja", "Yusuf"];

    private static readonly string[] LastNames = ["Becker", "Schmidt", "Yılmaz", "Wagner", "Nowak", "Hoffmann", "Schulz", "Krüger", "Lange", "Öztürk", "Fischer", "Weber", "Meyer", "Kowalski", "Braun"];

    private static readonly string[] Cities = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dresden", "Bremen", "Kiel", "Mainz", "Erfurt"];

    private static readonly string[] Topics = ["Erstgespräch", "Schulden", "Trennung", "Schule und Ausbildung", "Wohnung", "Stress im Job", "Familie", "Sucht", "Angst", "Nachgespräch"];

    private static readonly string[] AbsenceNotes = ["Urlaub", "Fortbildung", "Krankheit", "Elternzeit", "Dienstreise"];

    private static readonly string[] Sentences =
    [
        "Ich weiß gerade nicht mehr weiter und brauche Rat.", "Seit Wochen schlafe ich schlecht.", "Danke für Ihre schnelle Antwort.",
        "Können wir das beim nächsten Termin besprechen?", "Meine Eltern verstehen mich nicht.", "Die Rechnungen stapeln sich.",
        "Wie geht es Ihnen heute mit der Situation?", "Das klingt nach einem wichtigen Schritt.", "Ich habe mit meiner Schwester gesprochen.",
        "Schreiben Sie mir gern, wie es weitergeht.", "Es gibt Beratungsstellen in Ihrer Nähe, die helfen können.", "Heute war ein besserer Tag.",
    ];

    private static readonly AppointmentChannel[] Channels = [AppointmentChannel.Video, AppointmentChannel.Phone, AppointmentChannel.OnSite, AppointmentChannel.Chat];

    private readonly DateTime _today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
    private readonly DateTime _now = TimeProvider.System.GetUtcNow().UtcDateTime;

    private LotseDb _db = null!;
    private BulkSession _bulk = null!;
    private GenCounsellor[] _counsellors = [];
    private Guid[] _agencyIds = [];
    private GenClient[] _clients = [];
    private double[] _popularity = [];

    /// <summary>One counsellor as the generator needs to remember them while writing the rest.</summary>
    private sealed record GenCounsellor(int Index, Guid Id, string UserId, int Agency, string Name, MailMode Mail, int Capacity, int SlotMinutes, List<WeeklyHours> Hours)
    {
        public int OpenFreeSlotRequests { get; set; }
    }

    private sealed record GenClient(Guid Id, string UserId, string Nickname, int Home)
    {
        public bool Touched { get; set; }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await Roles.EnsureAsync(scope.ServiceProvider, cancellationToken);
            if (await db.Counsellors.AnyAsync(cancellationToken))
            {
                throw new InvalidOperationException("The database holds counsellors already: generate into an empty database.");
            }
        }

        progress($"schema ready; generating {size} with seed {seed}");
        await using var work = services.CreateAsyncScope();
        _db = work.ServiceProvider.GetRequiredService<LotseDb>();
        _db.ChangeTracker.AutoDetectChangesEnabled = false;
        var content = work.ServiceProvider.GetRequiredService<CounsellingContent>();
        // The first protection creates the key ring's key (saved through LotseDb): before the bulk load holds SQLite's one write lock.
        content.Protect("");
        await using var bulk = await BulkSession.OpenAsync(_db, content, cancellationToken);
        _bulk = bulk;
        await AccountsAsync(work.ServiceProvider, cancellationToken);
        await SchedulesAsync(cancellationToken);
        await AppointmentsAsync(cancellationToken);
        await MailAsync(cancellationToken);
        await ChatAsync(cancellationToken);
        await RelationsAsync(cancellationToken);
        await FinishAsync(cancellationToken);
        progress(string.Create(CultureInfo.InvariantCulture, $"done in {total.Elapsed.TotalSeconds:0}s"));
    }

    private Guid NextGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        // Version 4, variant 1, as Guid.NewGuid() makes them, only from the seeded source.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>Users, roles, agencies (with fallback), counsellors (with status, booking hours), memberships, clients.</summary>
    private async Task AccountsAsync(IServiceProvider scope, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var db = _db;
        var normalizer = scope.GetRequiredService<ILookupNormalizer>();
        var roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
        var hash = scope.GetRequiredService<IPasswordHasher<IdentityUser>>().HashPassword(new IdentityUser("bench"), BenchAccounts.Password);

        // Agencies of skewed size: weight 1/(rank)^0.9, each with at least one counsellor.
        _agencyIds = Enumerable.Range(0, size.Agencies).Select(_ => NextGuid(random)).ToArray();
        var agencyWeights = Enumerable.Range(1, size.Agencies).Select(r => 1 / Math.Pow(r, 0.9)).ToArray();
        var agencyOf = new int[size.Counsellors];
        var pickAgency = new WeightedPick(agencyWeights);
        for (var i = 0; i < size.Counsellors; i++)
        {
            agencyOf[i] = i < size.Agencies ? i : pickAgency.Next(random);
        }

        for (var a = 0; a < size.Agencies; a++)
        {
            var agency = new Agency(_agencyIds[a], $"Beratungsstelle {Cities[a % Cities.Length]} {a + 1}");
            agency.SetSupport(new SupportContactDetails($"Sekretariat {a + 1}", "030 1234567", "Mo–Fr 9–16 Uhr", $"kontakt{a + 1}@lotse.test", null), FederalState.Berlin);
            db.Agencies.Add(agency);
        }

        await db.SaveChangesAsync(cancellationToken);

        var counsellors = new List<GenCounsellor>(size.Counsellors);
        await using (var users = await _bulk.TableAsync<IdentityUser>(cancellationToken))
        await using (var userRoles = await _bulk.TableAsync<IdentityUserRole<string>>(cancellationToken))
        await using (var tokens = await _bulk.TableAsync<IdentityUserToken<string>>(cancellationToken))
        {
            using var meter = new Meter("users", size.Counsellors + size.Clients, progress);
            for (var i = 0; i < size.Counsellors; i++)
            {
                var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
                var login = InstallationLogins.Counsellor(i);
                var user = User(random, login, login, hash, normalizer);
                // Staff sign in with a second factor (issue 7): enrolled as a finished enrolment leaves it.
                user.TwoFactorEnabled = true;
                users.Add(user);
                userRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[Roles.Counsellor] });
                tokens.Add(new IdentityUserToken<string> { UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = BenchAccounts.AuthenticatorSecret });
                // Mail modes: most take everything, a quarter work "nach Ressourcen" with N 5-30, some take nothing new.
                var mailDraw = random.NextDouble();
                var mail = mailDraw < 0.6 ? MailMode.Unlimited : mailDraw < 0.85 ? MailMode.ByCapacity : MailMode.NoNewRequests;
                var slot = random.NextDouble() < 0.7 ? 50 : random.NextDouble() < 0.5 ? 45 : 60;
                counsellors.Add(new GenCounsellor(i, NextGuid(random), user.Id, agencyOf[i], name, mail, random.Next(5, 31), slot, Hours(random, slot)));
                meter.Add();
            }

            _clients = new GenClient[size.Clients];
            _popularity = counsellors.Select(_ => Math.Exp(0.8 * Normal(random))).ToArray();
            var pickHome = new WeightedPick(_popularity);
            for (var i = 0; i < size.Clients; i++)
            {
                // Mostly anonymous: a pseudonym, no e-mail address; a few leave one for notifications.
                var login = InstallationLogins.Client(i, Pseudonyms[random.Next(Pseudonyms.Length)]);
                var user = User(random, login, random.NextDouble() < 0.15 ? $"{login.ToLowerInvariant()}@example.org" : null, hash, normalizer);
                users.Add(user);
                userRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[Roles.Client] });
                _clients[i] = new GenClient(NextGuid(random), user.Id, login, pickHome.Next(random));
                meter.Add();
            }

            await users.CompleteAsync(cancellationToken);
            await userRoles.CompleteAsync(cancellationToken);
            await tokens.CompleteAsync(cancellationToken);
            _counsellors = [.. counsellors];
        }

        await WriteCounsellorsAsync(random, cancellationToken);
        await WriteClientsAsync(random, cancellationToken);
    }

    private async Task WriteCounsellorsAsync(Random random, CancellationToken cancellationToken)
    {
        await using (var table = await _bulk.TableAsync<Counsellor>(cancellationToken))
        await using (var memberships = await _bulk.TableAsync<AgencyMembership>(cancellationToken))
        await using (var hours = await _bulk.TableAsync<BookingHours>(cancellationToken))
        {
            var firstOfAgency = new Dictionary<int, GenCounsellor>();
            foreach (var c in _counsellors)
            {
                var counsellor = new Counsellor(c.Id, c.UserId, c.Name);
                var chatDraw = random.NextDouble();
                var chat = chatDraw < 0.3 ? ChatMode.Online : chatDraw < 0.85 ? ChatMode.NotOnline : ChatMode.NotReachable;
                counsellor.ChangeStatus(new AccountStatus(RegularClientsOnly: random.NextDouble() < 0.05, chat, c.Mail, c.Capacity));
                counsellor.ChangeBookingSettings(c.SlotMinutes, autoConfirm: random.NextDouble() < 0.3);
                // A personal fallback from the same agency, one written before (SQLite checks the key row by row).
                if (firstOfAgency.TryGetValue(c.Agency, out var first) && random.NextDouble() < 0.3)
                {
                    counsellor.SetPersonalFallback(first.Id);
                }

                firstOfAgency.TryAdd(c.Agency, c);
                table.Add(counsellor);
                memberships.Add(new AgencyMembership(_agencyIds[c.Agency], c.UserId));
                foreach (var h in c.Hours)
                {
                    hours.Add(new BookingHours(NextGuid(random), c.Id, h.Day, h.From, h.To, h.Channel));
                }
            }

            await table.CompleteAsync(cancellationToken);
            await memberships.CompleteAsync(cancellationToken);
            await hours.CompleteAsync(cancellationToken);
            progress($"counsellors: {table.Rows:N0}, memberships {memberships.Rows:N0}, booking hours {hours.Rows:N0}");
        }

        // Every agency's first counsellor is its fallback.
        var agencies = await _db.Agencies.AsTracking().ToListAsync(cancellationToken);
        var fallback = _counsellors.GroupBy(c => c.Agency).ToDictionary(g => _agencyIds[g.Key], g => g.First().Id);
        foreach (var agency in agencies)
        {
            agency.SetFallbackCounsellor(fallback[agency.Id]);
        }

        _db.ChangeTracker.DetectChanges();
        await _db.SaveChangesAsync(cancellationToken);
    }

    private async Task WriteClientsAsync(Random random, CancellationToken cancellationToken)
    {
        await using var table = await _bulk.TableAsync<Client>(cancellationToken);
        using var meter = new Meter("clients", _clients.Length, progress);
        for (var i = 0; i < _clients.Length; i++)
        {
            var created = _today.AddDays(-random.Next(1, 730)).AddMinutes(random.Next(8 * 60, 22 * 60));
            table.Add(new Client(_clients[i].Id, _clients[i].UserId, _clients[i].Nickname, created));
            meter.Add();
        }

        await table.CompleteAsync(cancellationToken);
    }

    /// <summary>Absences as whole Berlin days, a few per counsellor over the last ten and the next three months, never overlapping.</summary>
    private async Task SchedulesAsync(CancellationToken cancellationToken)
    {
        var random = new Random(seed + 1);
        await using var table = await _bulk.TableAsync<Absence>(cancellationToken);
        using var meter = new Meter("absences", size.Absences, progress);
        var perCounsellor = (double)size.Absences / _counsellors.Length;
        var written = 0;
        foreach (var c in _counsellors)
        {
            var count = Math.Min(13, (int)Math.Floor(perCounsellor + random.NextDouble()));
            // Thirteen 30-day buckets from -300 to +90 days; each absence lies inside its own bucket.
            var buckets = Enumerable.Range(0, 13).OrderBy(_ => random.Next()).Take(count).Order();
            foreach (var b in buckets)
            {
                if (written == size.Absences)
                {
                    break;
                }

                var startDay = DateOnly.FromDateTime(_today.AddDays(-300 + (b * 30) + random.Next(0, 15)));
                var days = random.NextDouble() < 0.7 ? random.Next(1, 4) : random.Next(5, 15);
                var start = BerlinMidnight(startDay);
                var end = BerlinMidnight(startDay.AddDays(days));
                table.Add(new Absence(NextGuid(random), c.Id, start, end, AbsenceNotes[random.Next(AbsenceNotes.Length)], c.Name, start.AddDays(-random.Next(1, 30))));
                written++;
                meter.Add();
            }
        }

        await table.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Appointments in the counsellor's booking hours over the last six and the next two months, distinct slots per
    /// counsellor; popular counsellors have more. Past ones mostly took place (confirmed), some were declined or cancelled;
    /// future ones are confirmed, requested or cancelled.
    /// </summary>
    private async Task AppointmentsAsync(CancellationToken cancellationToken)
    {
        var random = new Random(seed + 2);
        await using var table = await _bulk.TableAsync<Appointment>(cancellationToken);
        using var meter = new Meter("appointments", size.Appointments, progress);
        var clientsOf = ClientsByCounsellor();
        var from = DateOnly.FromDateTime(_today.AddDays(-180));
        var to = DateOnly.FromDateTime(_today.AddDays(60));
        var slotsOf = _counsellors.Select(c => Slots(c, from, to)).ToArray();
        var wantedOf = ShareByPopularity(size.Appointments, slotsOf.Select(s => (int)(s.Count * 0.7)).ToArray());
        var written = 0;
        foreach (var c in _counsellors)
        {
            var slots = slotsOf[c.Index];
            var wanted = Math.Min(wantedOf[c.Index], size.Appointments - written);
            written += wanted;
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slots));
            foreach (var (start, channel) in slots.Take(wanted).Where(s => s.Start != default))
            {
                var mine = clientsOf[c.Index];
                var client = mine.Count > 0 ? mine[random.Next(mine.Count)] : _clients[random.Next(_clients.Length)];
                client.Touched = true;
                var appointment = new Appointment(NextGuid(random), c.Id, client.Id, channel, start, start.AddMinutes(c.SlotMinutes),
                    random.NextDouble() < 0.5 ? Topics[random.Next(Topics.Length)] : null);
                var draw = random.NextDouble();
                if (start < _now)
                {
                    if (draw < 0.8)
                    {
                        appointment.Confirm();
                    }
                    else if (draw < 0.9)
                    {
                        appointment.Decline(random.NextDouble() < 0.5 ? "Leider passt der Termin doch nicht." : null);
                    }
                    else
                    {
                        appointment.Cancel(random.NextDouble() < 0.5 ? AppointmentParty.Client : AppointmentParty.Counsellor);
                    }
                }
                else if (draw < 0.6)
                {
                    appointment.Confirm();
                }
                else if (draw < 0.85)
                {
                    // Requested: waits for the counsellor's confirmation.
                }
                else
                {
                    appointment.Cancel(AppointmentParty.Client);
                }

                table.Add(appointment);
                meter.Add();
            }
        }

        await table.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Mail threads with a skewed number of messages (most one to four, a few long ones), written in two passes over the
    /// same seeded sequence: threads first, then their messages (the messages' foreign key needs the threads committed).
    /// </summary>
    private async Task MailAsync(CancellationToken cancellationToken)
    {
        var budget = (int)(size.Messages * 0.7);
        await using (var threads = await _bulk.TableAsync<MailThread>(cancellationToken))
        {
            using var meter = new Meter("mail threads", 0, progress);
            MailThreads(budget, t => { threads.Add(t); meter.Add(); }, null);
            await threads.CompleteAsync(cancellationToken);
        }

        foreach (var c in _counsellors)
        {
            c.OpenFreeSlotRequests = 0;
        }

        await using (var messages = await _bulk.TableAsync<MailMessage>(cancellationToken))
        {
            using var meter = new Meter("mail messages", budget, progress);
            MailThreads(budget, null, m => { messages.Add(m); meter.Add(); });
            await messages.CompleteAsync(cancellationToken);
        }
    }

    private void MailThreads(int budget, Action<MailThread>? onThread, Action<MailMessage>? onMessage)
    {
        var random = new Random(seed + 3);
        var pickClient = _clients.Length;
        long messageId = 0;
        var written = 0;
        while (written < budget)
        {
            var client = _clients[random.Next(pickClient)];
            client.Touched = true;
            var home = _counsellors[client.Home];
            var count = Math.Min(budget - written, 1 + (int)Math.Min(60, -Math.Log(1 - random.NextDouble()) * (random.NextDouble() < 0.05 ? 12 : 2.2)));
            var created = _now.AddMinutes(-Math.Pow(random.NextDouble(), 2) * 365 * 24 * 60);
            var queued = random.NextDouble() < 0.02;
            var decision = queued
                ? new RoutingDecision(null, RouteKind.Queue, RouteReason.NobodyFree, null, QueueCause.NoFallback)
                : home.Mail switch
                {
                    MailMode.Unlimited => new RoutingDecision(home.Id, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None),
                    MailMode.ByCapacity => new RoutingDecision(home.Id, RouteKind.Counsellor, RouteReason.FreeSlot, null, QueueCause.None),
                    _ => FallbackFor(home),
                };
            var thread = new MailThread(NextGuid(random), _agencyIds[home.Agency], client.Id, queued ? null : home.Id, Topics[random.Next(Topics.Length)], decision, NextGuid(random), created);
            var sent = created;
            for (var m = 0; m < (queued ? 1 : count); m++)
            {
                var side = m % 2 == 0 ? MailSide.Client : MailSide.Counsellor;
                var message = new MailMessage(thread.Id, side, Body(random, 2, 6), NextGuid(random), sent);
                EntityIds.Set(message, ++messageId);
                thread.Wrote(side, messageId, sent);
                onMessage?.Invoke(message);
                written++;
                var next = sent.AddMinutes(random.Next(20, 3 * 24 * 60));
                if (next > _now)
                {
                    break;
                }

                sent = next;
            }

            thread.MarkRead(MailSide.Client, thread.LastCounsellorMessageId);
            if (sent < _now.AddDays(-14) || random.NextDouble() < 0.3)
            {
                thread.MarkRead(MailSide.Counsellor, thread.LastClientMessageId);
            }

            // Old threads are closed (many archived); so is a "nach Ressourcen" request beyond the counsellor's N.
            var overCapacity = decision.Reason == RouteReason.FreeSlot && home.OpenFreeSlotRequests >= home.Capacity;
            if (!queued && (sent < _now.AddDays(-30) || overCapacity))
            {
                thread.Close(sent.AddHours(random.Next(1, 48)) is var closed && closed < _now ? closed : _now);
                if (random.NextDouble() < 0.4)
                {
                    thread.Archive();
                }
            }
            else if (decision.Reason == RouteReason.FreeSlot)
            {
                home.OpenFreeSlotRequests++;
            }

            onThread?.Invoke(thread);
        }
    }

    private RoutingDecision FallbackFor(GenCounsellor home)
    {
        var fallback = _counsellors.First(c => c.Agency == home.Agency);
        return fallback.Id == home.Id
            ? new RoutingDecision(home.Id, RouteKind.Counsellor, RouteReason.RegularClient, null, QueueCause.None)
            : new RoutingDecision(fallback.Id, RouteKind.AgencyFallback, RouteReason.NoNewRequests, home.Id, QueueCause.None);
    }

    /// <summary>Chat conversations (more messages each, short ones), two passes like mail.</summary>
    private async Task ChatAsync(CancellationToken cancellationToken)
    {
        var budget = size.Messages - (int)(size.Messages * 0.7);
        await using (var conversations = await _bulk.TableAsync<Conversation>(cancellationToken))
        {
            using var meter = new Meter("conversations", 0, progress);
            Conversations(budget, c => { conversations.Add(c); meter.Add(); }, null);
            await conversations.CompleteAsync(cancellationToken);
        }

        await using (var messages = await _bulk.TableAsync<ChatMessage>(cancellationToken))
        {
            using var meter = new Meter("chat messages", budget, progress);
            Conversations(budget, null, m => { messages.Add(m); meter.Add(); });
            await messages.CompleteAsync(cancellationToken);
        }
    }

    private void Conversations(int budget, Action<Conversation>? onConversation, Action<ChatMessage>? onMessage)
    {
        var random = new Random(seed + 4);
        long messageId = 0;
        var written = 0;
        while (written < budget)
        {
            var client = _clients[random.Next(_clients.Length)];
            client.Touched = true;
            var home = _counsellors[client.Home];
            var count = Math.Min(budget - written, 2 + (int)Math.Min(200, -Math.Log(1 - random.NextDouble()) * 10));
            var created = _now.AddMinutes(-Math.Pow(random.NextDouble(), 2) * 365 * 24 * 60);
            var conversation = new Conversation(NextGuid(random), home.Id, client.Id, created);
            var sent = created;
            for (var m = 0; m < count; m++)
            {
                var side = random.NextDouble() < 0.5 ? ChatSide.Client : ChatSide.Counsellor;
                var message = new ChatMessage(conversation.Id, side, NextGuid(random), Body(random, 1, 2), sent);
                EntityIds.Set(message, ++messageId);
                conversation.Touch(sent);
                conversation.MarkRead(side, messageId);
                onMessage?.Invoke(message);
                written++;
                var next = sent.AddSeconds(random.Next(5, 240));
                if (next > _now)
                {
                    break;
                }

                sent = next;
            }

            if (sent < _now.AddDays(-2))
            {
                conversation.MarkRead(ChatSide.Client, messageId);
                conversation.MarkRead(ChatSide.Counsellor, messageId);
                conversation.Close(sent.AddMinutes(10));
            }

            onConversation?.Invoke(conversation);
        }
    }

    /// <summary>"Counsels": every client who wrote, chatted or booked, with their counsellor; a fifth of them regular clients.</summary>
    private async Task RelationsAsync(CancellationToken cancellationToken)
    {
        var random = new Random(seed + 5);
        await using var table = await _bulk.TableAsync<CounsellingRelation>(cancellationToken);
        using var meter = new Meter("relations", _clients.Count(c => c.Touched), progress);
        foreach (var client in _clients.Where(c => c.Touched))
        {
            var relation = new CounsellingRelation(_counsellors[client.Home].Id, client.Id, _today.AddDays(-random.Next(1, 365)));
            if (random.NextDouble() < 0.2)
            {
                relation.MarkAsRegularClient();
            }

            table.Add(relation);
            meter.Add();
        }

        await table.CompleteAsync(cancellationToken);
    }

    /// <summary>Identity columns continue after the ids written here; PostgreSQL gets fresh statistics for its planner.</summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        var db = _db;
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(
                "SELECT setval(pg_get_serial_sequence('\"MailMessages\"', 'Id'), GREATEST(1, (SELECT COALESCE(MAX(\"Id\"), 0) FROM \"MailMessages\")))", cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                "SELECT setval(pg_get_serial_sequence('\"ChatMessages\"', 'Id'), GREATEST(1, (SELECT COALESCE(MAX(\"Id\"), 0) FROM \"ChatMessages\")))", cancellationToken);

            var clock = Stopwatch.StartNew();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE", cancellationToken);
            progress(string.Create(CultureInfo.InvariantCulture, $"VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:0}s"));
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }
    }

    /// <summary>The counsellor's slots in their booking hours between two days (UTC starts; default where the Berlin time does not exist).</summary>
    private static List<(DateTime Start, AppointmentChannel Channel)> Slots(GenCounsellor c, DateOnly from, DateOnly to)
    {
        var slots = new List<(DateTime Start, AppointmentChannel Channel)>();
        for (var day = from; day < to; day = day.AddDays(1))
        {
            foreach (var h in c.Hours.Where(h => h.Day == day.DayOfWeek))
            {
                for (var t = h.From; t.AddMinutes(c.SlotMinutes) <= h.To && t >= h.From; t = t.AddMinutes(c.SlotMinutes))
                {
                    slots.Add((BerlinTime.TryToUtc(day, t, out var utc) ? utc : default, h.Channel));
                }
            }
        }

        return slots;
    }

    /// <summary>
    /// Splits <paramref name="total"/> over the counsellors in proportion to their popularity, but none above their cap:
    /// what a popular counsellor cannot take goes to the others (the factor on the shares is found by bisection).
    /// </summary>
    private int[] ShareByPopularity(int total, int[] caps)
    {
        var weightSum = _popularity.Sum();
        int[] At(double factor) => caps.Select((cap, i) => Math.Min(cap, (int)Math.Round(factor * total * _popularity[i] / weightSum))).ToArray();
        double low = 0, high = 1;
        while (At(high).Sum() < total && high < 1e6)
        {
            high *= 2;
        }

        for (var step = 0; step < 50; step++)
        {
            var middle = (low + high) / 2;
            (low, high) = At(middle).Sum() < total ? (middle, high) : (low, middle);
        }

        return At(high);
    }

    private List<GenClient>[] ClientsByCounsellor()
    {
        var lists = _counsellors.Select(_ => new List<GenClient>()).ToArray();
        foreach (var c in _clients)
        {
            lists[c.Home].Add(c);
        }

        return lists;
    }

    /// <summary>Two or three weekday windows in Berlin working hours, each on one channel.</summary>
    private static List<WeeklyHours> Hours(Random random, int slotMinutes)
    {
        var days = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .OrderBy(_ => random.Next()).Take(random.Next(2, 4));
        return days.Select(d => random.Next(3) switch
        {
            0 => new WeeklyHours(d, new TimeOnly(9, 0), new TimeOnly(9, 0).AddMinutes(slotMinutes * 4), Channels[random.Next(Channels.Length)]),
            1 => new WeeklyHours(d, new TimeOnly(13, 0), new TimeOnly(13, 0).AddMinutes(slotMinutes * 4), Channels[random.Next(Channels.Length)]),
            _ => new WeeklyHours(d, new TimeOnly(10, 0), new TimeOnly(10, 0).AddMinutes(slotMinutes * 6), Channels[random.Next(Channels.Length)]),
        }).OrderBy(h => h.Day).ToList();
    }

    private static DateTime BerlinMidnight(DateOnly day) => BerlinTime.TryToUtc(day, TimeOnly.MinValue, out var utc) ? utc : day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static string Body(Random random, int min, int max) =>
        string.Join(' ', Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Sentences[random.Next(Sentences.Length)]));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private IdentityUser User(Random random, string userName, string? email, string hash, ILookupNormalizer normalizer) => new(userName)
    {
        Id = NextGuid(random).ToString(),
        NormalizedUserName = normalizer.NormalizeName(userName),
        Email = email,
        NormalizedEmail = email is null ? null : normalizer.NormalizeEmail(email),
        EmailConfirmed = email is not null,
        PasswordHash = hash,
        SecurityStamp = NextGuid(random).ToString("N").ToUpperInvariant(),
        ConcurrencyStamp = NextGuid(random).ToString(),
        LockoutEnabled = true,
    };

    /// <summary>Cumulative weights; a draw is a binary search.</summary>
    private sealed class WeightedPick(double[] weights)
    {
        private readonly double[] _cumulative = Cumulate(weights);

        public int Next(Random random)
        {
            var i = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
            return Math.Min(i < 0 ? ~i : i, _cumulative.Length - 1);
        }

        private static double[] Cumulate(double[] weights)
        {
            var sum = 0.0;
            return weights.Select(w => sum += w).ToArray();
        }
    }
}

/// <summary>Rows written, rows/s and time left, on stderr about every two seconds and at the end.</summary>
public sealed class Meter(string what, long expected, Action<string> output) : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _rows;
    private TimeSpan _last;

    public void Add()
    {
        _rows++;
        if ((_rows & 4095) == 0 && _clock.Elapsed - _last > TimeSpan.FromSeconds(2))
        {
            _last = _clock.Elapsed;
            output(Line());
        }
    }

    public void Dispose() => output(Line() + " done");

    private string Line()
    {
        var rate = _rows / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        var eta = expected > _rows ? string.Create(CultureInfo.InvariantCulture, $", ETA {(expected - _rows) / Math.Max(1, rate):0}s") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{what}: {_rows:N0}{(expected > 0 ? $" of {expected:N0}" : "")} in {_clock.Elapsed.TotalSeconds:0.0}s, {rate:N0} rows/s{eta}");
    }
}
