using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Accounts;

/// <summary>
/// The demo installation: one agency, three counsellors and a fallback counsellor, an admin, clients
/// (some of them regular clients), appointments in every state and absences around "now".
/// </summary>
public static class DemoData
{
    public const string Password = "Lotse-Demo-2026";

    /// <summary>
    /// The authenticator key of every demo staff account, published on purpose (README, start-up output) so that a
    /// reviewer can sign in: `oathtool --totp -b LOTSEDEMOSECRETFORREVIEWERS23456` prints the current code. Staff made
    /// any other way get their own key when they first sign in.
    /// </summary>
    public const string AuthenticatorSecret = "LOTSEDEMOSECRETFORREVIEWERS23456";
    public const string AnnaEmail = "anna.berger@lotse.demo";
    public const string BenEmail = "ben.schulz@lotse.demo";
    public const string ClaraEmail = "clara.weiss@lotse.demo";
    public const string DoraEmail = "dora.vogt@lotse.demo";
    public const string AdminEmail = "admin@lotse.demo";
    public const string PlatformAdminEmail = "plattform@lotse.demo";
    public const string RegularClientNickname = "Mond";
    public const string ClientNickname = "Wolke7";

    public static async Task<bool> SeedIfEmptyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<LotseDb>();
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return false;
        }

        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

        var agency = new Agency(Guid.NewGuid(), "Beratungsstelle Lotsenhaus");
        agency.SetSupport(new SupportContactDetails("Team Lotsenhaus", "030 555 12 34", "Montag bis Freitag 09:00–16:00 Uhr", "kontakt@lotsenhaus.example", "Lotsenweg 1, 10115 Berlin"), FederalState.Berlin);
        db.Agencies.Add(agency);

        var anna = await CounsellorAsync(users, db, agency, AnnaEmail, "Anna Berger", new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        var ben = await CounsellorAsync(users, db, agency, BenEmail, "Ben Schulz", new AccountStatus(false, ChatMode.NotOnline, MailMode.ByCapacity, 5));
        var clara = await CounsellorAsync(users, db, agency, ClaraEmail, "Clara Weiß", new AccountStatus(true, ChatMode.NotReachable, MailMode.NoNewRequests, 10));
        var dora = await CounsellorAsync(users, db, agency, DoraEmail, "Dora Vogt", new AccountStatus(false, ChatMode.Online, MailMode.Unlimited, 10));
        agency.SetFallbackCounsellor(dora.Id);

        var admin = await UserAsync(users, AdminEmail, AdminEmail, Roles.AgencyAdmin);
        db.AgencyMemberships.Add(new AgencyMembership(agency.Id, admin.Id));
        // The platform admin belongs to no agency: they see all of them.
        await UserAsync(users, PlatformAdminEmail, PlatformAdminEmail, Roles.PlatformAdmin);

        var mond = await ClientAsync(users, db, RegularClientNickname, now);
        var wolke = await ClientAsync(users, db, ClientNickname, now);
        var kompass = await ClientAsync(users, db, "Kompass", now);
        var lina = await ClientAsync(users, db, "Lina_23", now);

        Relate(db, anna, mond, now, regular: true);
        Relate(db, anna, wolke, now, regular: false);
        Relate(db, anna, kompass, now, regular: false);
        Relate(db, clara, lina, now, regular: true);
        Relate(db, ben, kompass, now, regular: false);

        var today = BerlinTime.ToLocal(now).Date;
        // Anna: one running, four confirmed ahead (the dashboard shows three), and one of every other state.
        Appoint(db, anna, mond, AppointmentChannel.Video, now.AddMinutes(-10), 50, AppointmentStatus.Confirmed);
        Appoint(db, anna, wolke, AppointmentChannel.Phone, At(today.AddDays(1), 10), 50, AppointmentStatus.Confirmed);
        Appoint(db, anna, kompass, AppointmentChannel.Chat, At(today.AddDays(2), 14), 50, AppointmentStatus.Confirmed);
        Appoint(db, anna, mond, AppointmentChannel.OnSite, At(today.AddDays(4), 9), 50, AppointmentStatus.Confirmed);
        Appoint(db, anna, wolke, AppointmentChannel.Video, At(today.AddDays(1), 16), 50, AppointmentStatus.Requested);
        Appoint(db, anna, kompass, AppointmentChannel.Video, At(today.AddDays(1), 8), 50, AppointmentStatus.Declined);
        Appoint(db, anna, wolke, AppointmentChannel.Phone, At(today.AddDays(1), 12), 50, AppointmentStatus.Cancelled);
        Appoint(db, anna, mond, AppointmentChannel.Video, At(today.AddDays(-2), 11), 50, AppointmentStatus.Confirmed);
        Appoint(db, ben, kompass, AppointmentChannel.Video, At(today.AddDays(6), 15), 50, AppointmentStatus.Confirmed);
        Appoint(db, clara, lina, AppointmentChannel.OnSite, At(today.AddDays(3), 10), 50, AppointmentStatus.Confirmed);

        // Weekly booking hours: Anna offers every channel, the others video and phone.
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            Hours(db, anna, day, 9, 12, AppointmentChannel.Video);
            Hours(db, ben, day, 10, 13, AppointmentChannel.Video);
            Hours(db, dora, day, 13, 16, AppointmentChannel.Phone);
        }

        Hours(db, anna, DayOfWeek.Tuesday, 14, 17, AppointmentChannel.Phone);
        Hours(db, anna, DayOfWeek.Wednesday, 14, 16, AppointmentChannel.Chat);
        Hours(db, anna, DayOfWeek.Thursday, 14, 17, AppointmentChannel.OnSite);
        Hours(db, clara, DayOfWeek.Monday, 9, 12, AppointmentChannel.OnSite);

        // Past, running and future absences.
        Absent(db, anna, At(today.AddDays(-30), 0), At(today.AddDays(-25), 0), "Urlaub", "Anna Berger", now);
        Absent(db, anna, At(today.AddDays(14), 0), At(today.AddDays(21), 0), "Ich bin im Urlaub. In dringenden Fällen schreiben Sie bitte Dora Vogt.", "Anna Berger", now);
        Absent(db, ben, now.AddDays(-1), now.AddDays(2), "Ich bin auf einer Fortbildung. Neue Mailanfragen beantwortet in dieser Zeit Dora Vogt.", "Ben Schulz", now);
        Absent(db, clara, At(today.AddDays(7), 8), At(today.AddDays(7), 18), "Heute ganztägig im Team-Tag.", "Clara Weiß", now);

        await db.SaveChangesAsync(cancellationToken);

        // Mail counselling: an answered request with a new follow-up, an overdue one, and one forwarded because Ben is away.
        await MailAsync(db, agency, wolke, anna, new RoutingDecision(anna.Id, RouteKind.Counsellor, RouteReason.Unlimited, null, QueueCause.None), "Prüfungsangst", now.AddDays(-2), cancellationToken,
            (MailSide.Client, "Hallo, ich habe in drei Wochen meine Abschlussprüfung und kann seit Tagen kaum schlafen. Ist das normal?"),
            (MailSide.Counsellor, "Hallo Wolke7, danke, dass Sie schreiben. Ja, viele Menschen erleben vor Prüfungen genau das. Mögen Sie erzählen, wie Ihre Tage gerade aussehen?"),
            (MailSide.Client, "Morgens geht es, abends kreisen die Gedanken. Ich lerne bis spät in die Nacht."));
        await MailAsync(db, agency, mond, anna, new RoutingDecision(anna.Id, RouteKind.Counsellor, RouteReason.RegularClient, null, QueueCause.None), "Wieder schwierige Wochen", now.AddDays(-3), cancellationToken,
            (MailSide.Client, "Liebe Frau Berger, es ist wieder schwieriger geworden. Können wir schreiben?"));
        await MailAsync(db, agency, kompass, ben, new RoutingDecision(dora.Id, RouteKind.AgencyFallback, RouteReason.Absent, ben.Id, QueueCause.None), "Frage zur Trennung", now.AddHours(-5), cancellationToken,
            (MailSide.Client, "Guten Tag, mein Partner und ich trennen uns. Wie sage ich es unseren Kindern?"));
        return true;
    }

    /// <summary>A thread as routing would have made it, with its messages written at one-hour steps from <paramref name="start"/>.</summary>
    private static async Task MailAsync(LotseDb db, Agency agency, Client client, Counsellor addressed, RoutingDecision decision, string subject, DateTime start, CancellationToken cancellationToken, params (MailSide Side, string Text)[] messages)
    {
        var thread = new MailThread(Guid.NewGuid(), agency.Id, client.Id, addressed.Id, subject, decision, Guid.NewGuid(), start);
        db.MailThreads.Add(thread);
        await db.SaveChangesAsync(cancellationToken);
        var at = start;
        foreach (var (side, text) in messages)
        {
            var message = new MailMessage(thread.Id, side, text, Guid.NewGuid(), at);
            db.MailMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            thread.Wrote(side, message.Id, at);
            at = at.AddHours(1);
        }

        if (decision.CounsellorId is { } counsellorId && !db.CounsellingRelations.Local.Any(r => r.CounsellorId == counsellorId && r.ClientId == client.Id))
        {
            db.CounsellingRelations.Add(new CounsellingRelation(counsellorId, client.Id, start));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public static void PrintLogins(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"""

            Lotse: Demo-Daten angelegt. Passwort für alle Demo-Zugänge: {Password}
            Zwei-Faktor-Anmeldung der Mitarbeitenden: Schlüssel {AuthenticatorSecret} in einer Authenticator-App,
              oder ohne Telefon: oathtool --totp -b {AuthenticatorSecret}   (Debian-Paket oathtool)
              Berater:in             {AnnaEmail}   (Dashboard mit Terminen)
              Berater:in (abwesend)  {BenEmail}
              Berater:in (nur Stammklient:innen) {ClaraEmail}
              Fallback-Berater:in    {DoraEmail}
              Verwaltung             {AdminEmail}
              Plattform-Verwaltung   {PlatformAdminEmail}   (alle Beratungsstellen)
              Ratsuchende Person     {RegularClientNickname} (Stammklientin von Anna Berger), {ClientNickname}

            """);
    }

    private static DateTime At(DateTime berlinDate, int hour) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(berlinDate.AddHours(hour), DateTimeKind.Unspecified), BerlinTime.Zone);

    private static async Task<IdentityUser> UserAsync(UserManager<IdentityUser> users, string userName, string? email, string role)
    {
        var user = new IdentityUser(userName) { Email = email, EmailConfirmed = email is not null };
        Roles.Ensure(await users.CreateAsync(user, Password), userName);
        Roles.Ensure(await users.AddToRoleAsync(user, role), userName);
        if (Roles.Staff.Contains(role))
        {
            // Staff must use a second factor (issue 7); the demo staff share the published demo key.
            // Where Identity's store keeps the authenticator key (UserStoreBase: login provider "[AspNetUserStore]").
            Roles.Ensure(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", AuthenticatorSecret), userName);
            Roles.Ensure(await users.SetTwoFactorEnabledAsync(user, true), userName);
        }

        return user;
    }

    private static async Task<Counsellor> CounsellorAsync(UserManager<IdentityUser> users, LotseDb db, Agency agency, string email, string name, AccountStatus status)
    {
        var user = await UserAsync(users, email, email, Roles.Counsellor);
        var counsellor = new Counsellor(Guid.NewGuid(), user.Id, name);
        counsellor.ChangeStatus(status);
        db.Counsellors.Add(counsellor);
        db.AgencyMemberships.Add(new AgencyMembership(agency.Id, user.Id));
        return counsellor;
    }

    private static async Task<Client> ClientAsync(UserManager<IdentityUser> users, LotseDb db, string nickname, DateTime now)
    {
        var user = await UserAsync(users, nickname, null, Roles.Client);
        var client = new Client(Guid.NewGuid(), user.Id, nickname, now);
        db.Clients.Add(client);
        return client;
    }

    private static void Relate(LotseDb db, Counsellor counsellor, Client client, DateTime now, bool regular)
    {
        var relation = new CounsellingRelation(counsellor.Id, client.Id, now.AddDays(-40));
        if (regular)
        {
            relation.MarkAsRegularClient();
        }

        db.CounsellingRelations.Add(relation);
    }

    private static void Appoint(LotseDb db, Counsellor counsellor, Client client, AppointmentChannel channel, DateTime startUtc, int minutes, AppointmentStatus status)
    {
        var appointment = new Appointment(Guid.NewGuid(), counsellor.Id, client.Id, channel, startUtc, startUtc.AddMinutes(minutes), topic: null);
        switch (status)
        {
            case AppointmentStatus.Confirmed:
                appointment.Confirm();
                break;
            case AppointmentStatus.Declined:
                appointment.Decline();
                break;
            case AppointmentStatus.Cancelled:
                appointment.Cancel();
                break;
            case AppointmentStatus.Requested:
                break;
        }

        db.Appointments.Add(appointment);
    }

    private static void Hours(LotseDb db, Counsellor counsellor, DayOfWeek day, int fromHour, int toHour, AppointmentChannel channel) =>
        db.BookingHours.Add(new BookingHours(Guid.NewGuid(), counsellor.Id, day, new TimeOnly(fromHour, 0), new TimeOnly(toHour, 0), channel));

    private static void Absent(LotseDb db, Counsellor counsellor, DateTime startUtc, DateTime endUtc, string note, string by, DateTime now) =>
        db.Absences.Add(new Absence(Guid.NewGuid(), counsellor.Id, startUtc, endUtc, note, by, now));
}
