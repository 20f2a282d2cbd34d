using System.Net;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Audit;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 8, agency settings: name, support contact, state, booking rules; closing the agency for new requests on every
/// channel (existing conversations go on) and opening it again; closing days and public holidays without slots.
/// The fake clock starts Tue 24.11.2026, 09:00 Berlin; Anna offers video on Wednesdays and Thursdays 09:00–12:00.
/// </summary>
public abstract class AgencySettingsTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string Settings = "/verwaltung/beratungsstelle";
    private const string ClosingDays = "/verwaltung/schliesstage";
    private const string AdminA = "admin@test.lotse";
    private static readonly DateTime WednesdayNine = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Settings_AdminSaves_StoredAuditedAndContactShownToStaffAndClients()
    {
        var (agency, anna) = await AgencyWithAnnaAsync();
        await AddClientAsync(Mond);
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{Settings}?handler=Settings", SettingsForm(name: "Lotsenhaus Nord", notice: "48", cutoff: "2"), formPage: Settings);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await AgencyAsync(agency.Id);
        Assert.Equal(("Lotsenhaus Nord", FederalState.Bayern, 48, 2), (saved.Name, saved.State, saved.MinimumNoticeHours!.Value, saved.CancelCutoffHours!.Value));
        Assert.Equal(new SupportContactDetails("Team Lotsenhaus", "030 123 45", "Mo–Fr 9–17 Uhr", "team@lotsenhaus.example", "Hafenstraße 1\n20459 Hamburg"), saved.Support);
        var entry = await AuditTestSupport.SingleAsync(App.Services, AuditAction.AgencySettingsChanged);
        Assert.Contains("Name: Lotsenhaus → Lotsenhaus Nord", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("team@lotsenhaus.example", entry.Details, StringComparison.Ordinal);
        // Staff read it in the footer; clients on the counsellor's page.
        Assert.Contains("Kontakt: Lotsenhaus Nord", await (await LoginAsync(Anna)).GetStringAsync("/"), StringComparison.Ordinal);
        var profile = await (await LoginAsync(Mond)).GetStringAsync($"/berater/{anna.Id}");
        Assert.Contains("Telefon: 030 123 45 (Mo–Fr 9–17 Uhr)", System.Net.WebUtility.HtmlDecode(profile), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Input.Name", "", "Bitte füllen Sie das Feld „Name der Beratungsstelle“ aus.")]
    [InlineData("Input.SupportEmail", "kein-at-zeichen", "Bitte geben Sie im Feld „E-Mail“ eine gültige E-Mail-Adresse ein.")]
    [InlineData("Input.SupportPhone", "030 abc", "Im Feld „Telefon“ sind nur Ziffern, Leerzeichen und + ( ) / - erlaubt.")]
    [InlineData("Input.MinimumNoticeHours", "400", "Das Feld „Mindestvorlauf für Buchungen (Stunden)“ muss zwischen 0 und 336 liegen.")]
    [InlineData("Input.State", "Atlantis", "")]
    public async Task Settings_BadInput_GermanMessageNamingTheFieldAndNothingChanged(string field, string value, string message)
    {
        var (agency, _) = await AgencyWithAnnaAsync();
        var admin = await LoginAsync(AdminA);
        var form = SettingsForm(name: "Neuer Name");
        form[field] = value;

        var response = await PostFormAsync(admin, $"{Settings}?handler=Settings", form, formPage: Settings);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Equal("Lotsenhaus", (await AgencyAsync(agency.Id)).Name);
        Assert.Empty(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.AgencySettingsChanged));
    }

    [Fact]
    public async Task Settings_CounsellorOrOtherAgencysAdmin_CannotChangeThisAgency()
    {
        var (agency, _) = await AgencyWithAnnaAsync();
        var other = await AddAgencyAsync("Andere Stelle");
        await AddAdminAsync("admin-b@test.lotse", other);
        var counsellor = await LoginAsync(Anna);
        var adminB = await LoginAsync("admin-b@test.lotse");

        Assert.Equal(HttpStatusCode.Forbidden, (await counsellor.GetAsync(Settings)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await counsellor.GetAsync(ClosingDays)).StatusCode);
        // Admin B's form changes their own agency only: no id in the form can point anywhere else.
        var response = await PostFormAsync(adminB, $"{Settings}?handler=Settings", SettingsForm(name: "Übernommen"), formPage: Settings);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Lotsenhaus", (await AgencyAsync(agency.Id)).Name);
        Assert.Equal("Übernommen", (await AgencyAsync(other.Id)).Name);
    }

    [Fact]
    public async Task Close_AllChannelsRefuseNewRequestsWithTheMessageAndExistingThreadGoesOn()
    {
        var (agency, anna) = await AgencyWithAnnaAsync(withHours: true);
        var pointer = await AddAgencyAsync("Beratungsstelle Süd");
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var thread = await SendRequestAsync(client, $"berater={anna.Id}");
        var admin = await LoginAsync(AdminA);

        var closed = await PostFormAsync(admin, $"{Settings}?handler=Close", new Dictionary<string, string>
        {
            ["Closing.Message"] = "Wir sind bis 4. Januar im Umzug.",
            ["Closing.PointerAgencyId"] = pointer.Id.ToString(),
        }, formPage: Settings);

        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.True((await AgencyAsync(agency.Id)).IsClosedForNewRequests);
        Assert.Contains("verweist auf: Beratungsstelle Süd", (await AuditTestSupport.SingleAsync(App.Services, AuditAction.AgencyClosedForNewRequests)).Details, StringComparison.Ordinal);
        // The counsellor's page says so, with the pointer, and offers nothing new.
        var profile = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync($"/berater/{anna.Id}"));
        Assert.Contains("„Lotsenhaus“ nimmt zurzeit keine neuen Anfragen an.", profile, StringComparison.Ordinal);
        Assert.Contains("Wir sind bis 4. Januar im Umzug.", profile, StringComparison.Ordinal);
        Assert.Contains("Bitte wenden Sie sich an: Beratungsstelle Süd.", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"write-mail\"", profile, StringComparison.Ordinal);
        // Mail: the form is gone, and a form shown before the closing is refused without storing anything.
        Assert.Contains("data-testid=\"agency-closed\"", await client.GetStringAsync($"/anfragen/neu?berater={anna.Id}"), StringComparison.Ordinal);
        Assert.Single(await ThreadsAsync());
        // Chat: a new chat is refused with the message; booking: no slots, and a posted slot is refused.
        var chat = await PostFormAsync(client, $"/chat/neu/{anna.Id}", new Dictionary<string, string>(), formPage: "/chat");
        Assert.Equal(HttpStatusCode.Conflict, chat.StatusCode);
        Assert.Contains("Wir sind bis 4. Januar im Umzug.", System.Net.WebUtility.HtmlDecode(await chat.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Conversations.CountAsync()));
        Assert.DoesNotContain("name=\"Slot\"", await client.GetStringAsync($"/berater/{anna.Id}/termin"), StringComparison.Ordinal);
        var booking = await PostFormAsync(client, $"/berater/{anna.Id}/termin", new Dictionary<string, string> { ["Slot"] = $"{Iso(WednesdayNine)}|Video", ["Topic"] = "" });
        Assert.Equal(HttpStatusCode.OK, booking.StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.Appointments.CountAsync()));
        // The conversation already begun goes on.
        await ReplyAsync(client, $"/anfragen/{thread}", "Noch eine Frage zu meiner Anfrage.");
        Assert.Equal(2, (await MessagesAsync(thread)).Count);
    }

    [Fact]
    public async Task Close_MailFormShownBefore_SentAfterClosing_RefusedAndNothingStored()
    {
        var (agency, anna) = await AgencyWithAnnaAsync();
        await AddClientAsync(Mond);
        var client = await LoginAsync(Mond);
        var form = await RequestFormAsync(client, $"berater={anna.Id}");
        await WithDbAsync(async db =>
        {
            (await db.Agencies.SingleAsync(a => a.Id == agency.Id)).CloseForNewRequests("Geschlossen wegen Umbau.", null, Now);
            await db.SaveChangesAsync();
        });

        var response = await PostRequestAsync(client, $"berater={anna.Id}", form, "Betreff", "Text");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Geschlossen wegen Umbau.", System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(await ThreadsAsync());
    }

    [Fact]
    public async Task Reopen_NewRequestsPossibleAgainAndAudited()
    {
        var (agency, anna) = await AgencyWithAnnaAsync();
        await AddClientAsync(Mond);
        var admin = await LoginAsync(AdminA);
        await PostFormAsync(admin, $"{Settings}?handler=Close", new Dictionary<string, string> { ["Closing.Message"] = "Betriebsferien." }, formPage: Settings);

        var reopened = await PostFormAsync(admin, $"{Settings}?handler=Reopen", new Dictionary<string, string>(), formPage: Settings);

        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        Assert.False((await AgencyAsync(agency.Id)).IsClosedForNewRequests);
        Assert.Single(await AuditTestSupport.EntriesAsync(App.Services, AuditAction.AgencyReopened));
        var thread = await SendRequestAsync(await LoginAsync(Mond), $"berater={anna.Id}");
        Assert.Equal(anna.Id, (await ThreadAsync(thread)).CounsellorId);
    }

    [Theory]
    [InlineData("", "", "Bitte füllen Sie das Feld „Hinweis für Ratsuchende“ aus.")]
    [InlineData("Geschlossen.", "self", "Bitte wählen Sie eine andere Beratungsstelle aus der Liste.")]
    [InlineData("Geschlossen.", "unknown", "Bitte wählen Sie eine andere Beratungsstelle aus der Liste.")]
    public async Task Close_BadInput_GermanMessageAndStillOpen(string message, string pointsTo, string expected)
    {
        var (agency, _) = await AgencyWithAnnaAsync();
        var admin = await LoginAsync(AdminA);
        var pointerId = pointsTo switch { "self" => agency.Id.ToString(), "unknown" => Guid.NewGuid().ToString(), _ => "" };

        var response = await PostFormAsync(admin, $"{Settings}?handler=Close", new Dictionary<string, string>
        {
            ["Closing.Message"] = message,
            ["Closing.PointerAgencyId"] = pointerId,
        }, formPage: Settings);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await AgencyAsync(agency.Id)).IsClosedForNewRequests);
    }

    [Fact]
    public async Task ClosingDays_HolidaysTakenOver_NoSlotsOnThemAndBookingRefused()
    {
        var (agency, anna) = await AgencyWithAnnaAsync(withHours: true);
        await AddClientAsync(Mond);
        var admin = await LoginAsync(AdminA);
        var offer = await admin.GetStringAsync(ClosingDays);
        Assert.Contains("1. Weihnachtstag", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("Neujahr", offer, StringComparison.Ordinal); // 1.1.2026 is past; next year's is on the other tab

        // Christmas 2026 falls on Friday/Saturday: Anna's hours are Wednesdays and Thursdays, so a day of her own is added too.
        var holidays = await PostFormAsync(admin, $"{ClosingDays}?handler=Holidays", [new("Holidays", "2026-12-25"), new("Holidays", "2026-12-26")], ClosingDays);
        var own = await PostFormAsync(admin, $"{ClosingDays}?handler=Add", new Dictionary<string, string> { ["Input.Date"] = "2026-11-25", ["Input.Label"] = "Teamtag" }, formPage: ClosingDays);

        Assert.Equal(HttpStatusCode.Redirect, holidays.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        var days = await WithDbAsync(db => db.AgencyClosingDays.AsNoTracking().Where(d => d.AgencyId == agency.Id).OrderBy(d => d.Date).Select(d => d.Label).ToListAsync());
        Assert.Equal(["Teamtag", "1. Weihnachtstag", "2. Weihnachtstag"], days);
        Assert.Equal(2, (await AuditTestSupport.EntriesAsync(App.Services, AuditAction.AgencyClosingDaysChanged)).Count);
        var client = await LoginAsync(Mond);
        var slots = await client.GetStringAsync($"/berater/{anna.Id}/termin");
        Assert.DoesNotContain($"value=\"{Iso(WednesdayNine)}|Video\"", slots, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Iso(WednesdayNine.AddDays(1))}|Video\"", slots, StringComparison.Ordinal); // Thursday is open
        var booking = await PostFormAsync(client, $"/berater/{anna.Id}/termin", new Dictionary<string, string> { ["Slot"] = $"{Iso(WednesdayNine)}|Video", ["Topic"] = "" });
        Assert.Contains("Termin ist nicht mehr frei.", System.Net.WebUtility.HtmlDecode(await booking.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task ClosingDays_Removed_SlotsBackAndAnotherAgencysDayNotFound()
    {
        var (agency, anna) = await AgencyWithAnnaAsync(withHours: true);
        var other = await AddAgencyAsync("Andere Stelle");
        await AddAdminAsync("admin-b@test.lotse", other);
        var dayId = await WithDbAsync(async db =>
        {
            var day = new AgencyClosingDay(Guid.NewGuid(), agency.Id, new DateOnly(2026, 11, 25), "Teamtag");
            db.AgencyClosingDays.Add(day);
            await db.SaveChangesAsync();
            return day.Id;
        });

        var stranger = await PostFormAsync(await LoginAsync("admin-b@test.lotse"), $"{ClosingDays}?handler=Remove&id={dayId}", new Dictionary<string, string>(), formPage: ClosingDays);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(1, await WithDbAsync(db => db.AgencyClosingDays.CountAsync()));

        var removed = await PostFormAsync(await LoginAsync(AdminA), $"{ClosingDays}?handler=Remove&id={dayId}", new Dictionary<string, string>(), formPage: ClosingDays);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.AgencyClosingDays.CountAsync()));
        await AddClientAsync(Mond);
        Assert.Contains($"value=\"{Iso(WednesdayNine)}|Video\"", await (await LoginAsync(Mond)).GetStringAsync($"/berater/{anna.Id}/termin"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Teamtag", "Bitte füllen Sie das Feld „Datum“ aus.")]
    [InlineData("2026-11-23", "Teamtag", "Bitte wählen Sie im Feld „Datum“ heute oder einen späteren Tag.")]
    [InlineData("2026-12-01", "", "Bitte füllen Sie das Feld „Bezeichnung“ aus.")]
    [InlineData("2026-12-24", "Doppelt", "Der Do, 24.12.2026 ist schon ein Schließtag.")]
    public async Task ClosingDays_BadInput_GermanMessageAndNothingAdded(string date, string label, string message)
    {
        var (agency, _) = await AgencyWithAnnaAsync();
        await WithDbAsync(async db =>
        {
            db.AgencyClosingDays.Add(new AgencyClosingDay(Guid.NewGuid(), agency.Id, new DateOnly(2026, 12, 24), "Heiligabend"));
            await db.SaveChangesAsync();
        });
        var admin = await LoginAsync(AdminA);

        var response = await PostFormAsync(admin, $"{ClosingDays}?handler=Add", new Dictionary<string, string> { ["Input.Date"] = date, ["Input.Label"] = label }, formPage: ClosingDays);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await WithDbAsync(db => db.AgencyClosingDays.CountAsync()));
    }

    [Fact]
    public async Task ClosingDays_HolidayNotOfferedOrNoneTicked_Refused()
    {
        await AgencyWithAnnaAsync();
        var admin = await LoginAsync(AdminA);

        var none = await PostFormAsync(admin, $"{ClosingDays}?handler=Holidays", new Dictionary<string, string>(), formPage: ClosingDays);
        var invented = await PostFormAsync(admin, $"{ClosingDays}?handler=Holidays", [new("Holidays", "2026-12-01")], ClosingDays);

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invented.StatusCode);
        Assert.Contains("Bitte kreuzen Sie mindestens einen Feiertag aus der Liste an.", System.Net.WebUtility.HtmlDecode(await invented.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.AgencyClosingDays.CountAsync()));
    }

    [Fact]
    public async Task BookingRules_AgencyNoticeAndCutoff_ApplyInsteadOfTheInstallationDefaults()
    {
        var (agency, anna) = await AgencyWithAnnaAsync(withHours: true);
        var mond = await AddClientAsync(Mond);
        await WithDbAsync(async db =>
        {
            // 48 h notice: Wednesday 09:00 (in 24 h) is too soon, Thursday 09:00 (in 48 h) is fine. Cancel until 1 h before.
            (await db.Agencies.SingleAsync(a => a.Id == agency.Id)).SetBookingDefaults(48, 1);
            var appointment = new Appointment(Guid.NewGuid(), anna.Id, mond.Id, AppointmentChannel.Video, Now.AddHours(3), Now.AddHours(3).AddMinutes(50), null);
            appointment.Confirm();
            db.Appointments.Add(appointment);
            await db.SaveChangesAsync();
        });
        var client = await LoginAsync(Mond);

        var slots = await client.GetStringAsync($"/berater/{anna.Id}/termin");
        var appointmentId = await WithDbAsync(db => db.Appointments.Select(a => a.Id).SingleAsync());
        var cancelled = await PostFormAsync(client, $"/meine-termine?handler=Cancel&id={appointmentId}", new Dictionary<string, string>(), formPage: "/meine-termine");

        Assert.DoesNotContain($"value=\"{Iso(WednesdayNine)}|Video\"", slots, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Iso(WednesdayNine.AddDays(1))}|Video\"", slots, StringComparison.Ordinal);
        // Three hours before: the installation's 24 h would refuse; the agency's 1 h allows it.
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(AppointmentStatus.Cancelled, await WithDbAsync(db => db.Appointments.Select(a => a.Status).SingleAsync()));
    }

    private async Task<(Agency Agency, Lotse.Domain.Accounts.Counsellor Anna)> AgencyWithAnnaAsync(bool withHours = false)
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddAdminAsync(AdminA, agency);
        if (withHours)
        {
            await WithDbAsync(async db =>
            {
                foreach (var day in new[] { DayOfWeek.Wednesday, DayOfWeek.Thursday })
                {
                    db.BookingHours.Add(new BookingHours(Guid.NewGuid(), anna.Id, day, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));
                }

                (await db.Counsellors.SingleAsync(c => c.Id == anna.Id)).ChangeBookingSettings(50, false);
                await db.SaveChangesAsync();
            });
        }

        return (agency, anna);
    }

    private Task<Agency> AgencyAsync(Guid id) => WithDbAsync(db => db.Agencies.AsNoTracking().SingleAsync(a => a.Id == id));

    private static Dictionary<string, string> SettingsForm(string name, string notice = "", string cutoff = "") => new()
    {
        ["Input.Name"] = name,
        ["Input.State"] = nameof(FederalState.Bayern),
        ["Input.SupportName"] = "Team Lotsenhaus",
        ["Input.SupportPhone"] = "030 123 45",
        ["Input.SupportHours"] = "Mo–Fr 9–17 Uhr",
        ["Input.SupportEmail"] = "team@lotsenhaus.example",
        ["Input.SupportAddress"] = "Hafenstraße 1\n20459 Hamburg",
        ["Input.MinimumNoticeHours"] = notice,
        ["Input.CancelCutoffHours"] = cutoff,
    };

    private static string Iso(DateTime utc) => utc.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class AgencySettingsTestsOnSqlite() : AgencySettingsTests(DatabaseKind.Sqlite);

public sealed class AgencySettingsTestsOnPostgres() : AgencySettingsTests(DatabaseKind.Postgres);
