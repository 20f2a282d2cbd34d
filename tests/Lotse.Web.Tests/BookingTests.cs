using System.Net;
using Lotse.Domain.Accounts;
using Lotse.Domain.Appointments;
using Lotse.Domain.Notifications;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Tests;

/// <summary>
/// Booking over HTTP. The fake clock starts Tue 24.11.2026, 09:00 Berlin (08:00 UTC); minimum notice 12 h,
/// cancel cut-off 24 h. Anna offers video on Wednesdays and Thursdays 09:00–12:00 with 50-minute slots.
/// </summary>
public abstract class BookingTests(DatabaseKind kind) : WebTest(kind)
{
    private static readonly DateTime WednesdayNine = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task BookingPage_WithHours_ListsFreeSlotsInBerlinTime()
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var html = await http.GetStringAsync($"/berater/{anna.Id}/termin");

        Assert.Contains("Mittwoch, 25.11.2026", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Iso(WednesdayNine)}|Video\"", html, StringComparison.Ordinal);
        Assert.Contains(">09:00 <small>Video</small>", html, StringComparison.Ordinal);
        Assert.Contains(">10:40 <small>Video</small>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">11:30 ", html, StringComparison.Ordinal); // 11:30 + 50 min would end after 12:00
    }

    [Fact]
    public async Task Book_FreeSlot_RequestedAndBothSidesNotified()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await BookAsync(http, anna, WednesdayNine, "Video", "Schulden");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/meine-termine", response.Headers.Location?.OriginalString);
        var booked = await WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync());
        Assert.Equal((AppointmentStatus.Requested, WednesdayNine, WednesdayNine.AddMinutes(50), "Schulden", mond.Id), (booked.Status, booked.StartUtc, booked.EndUtc, booked.Topic, booked.ClientId));
        var kinds = await WithDbAsync(db => db.Notifications.AsNoTracking().Select(n => n.Kind).ToListAsync());
        Assert.Equal([NotificationKind.AppointmentRequested, NotificationKind.AppointmentRequested], kinds);
        Assert.True(await WithDbAsync(db => db.CounsellingRelations.AnyAsync(r => r.CounsellorId == anna.Id && r.ClientId == mond.Id)));
        var mine = await http.GetStringAsync("/meine-termine");
        Assert.Contains("Ihre Terminanfrage ist verschickt.", mine, StringComparison.Ordinal);
        Assert.Contains("Mi, 25.11.2026, 09:00–09:50 Uhr", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_AutoConfirm_ConfirmedAtOnce()
    {
        var anna = await AnnaWithHoursAsync(autoConfirm: true);
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        await BookAsync(http, anna, WednesdayNine, "Video", "");

        Assert.Equal(AppointmentStatus.Confirmed, await WithDbAsync(db => db.Appointments.Select(a => a.Status).SingleAsync()));
        Assert.Contains("Ihr Termin ist gebucht und bestätigt.", await http.GetStringAsync("/meine-termine"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-25T08:10:00.0000000Z|Video")] // not on the slot grid
    [InlineData("2026-11-25T08:00:00.0000000Z|Phone")] // no phone hours
    [InlineData("2026-11-24T14:00:00.0000000Z|Video")] // Tuesday: no hours
    [InlineData("2026-11-23T08:00:00.0000000Z|Video")] // in the past
    [InlineData("2027-06-02T07:00:00.0000000Z|Video")] // beyond the weeks ahead
    public async Task Book_SlotNotOffered_TerminIstNichtMehrFreiAndNothingSaved(string slot)
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await PostFormAsync(http, $"/berater/{anna.Id}/termin", new Dictionary<string, string> { ["Slot"] = slot, ["Topic"] = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Termin ist nicht mehr frei.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Theory]
    [InlineData("kaputt")]
    [InlineData("2026-11-25T08:00:00Z|Teleport")]
    [InlineData("")]
    public async Task Book_MalformedSlot_GermanMessageAndNothingSaved(string slot)
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var response = await PostFormAsync(http, $"/berater/{anna.Id}/termin", new Dictionary<string, string> { ["Slot"] = slot });

        Assert.Contains("Bitte wählen Sie einen Termin aus der Liste.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task Book_TooSoon_Refused()
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");
        App.Clock.Advance(TimeSpan.FromHours(13)); // Wednesday 09:00 is now 11 h away

        var response = await BookAsync(http, anna, WednesdayNine, "Video", "");

        Assert.Contains("Termin ist nicht mehr frei.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_DuringAbsence_SlotNotOfferedAndRefused()
    {
        var anna = await AnnaWithHoursAsync();
        await AddAbsenceAsync(anna, WednesdayNine.AddHours(-1), WednesdayNine.AddHours(4), "Fortbildung");
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");

        var page = await http.GetStringAsync($"/berater/{anna.Id}/termin");
        var response = await BookAsync(http, anna, WednesdayNine, "Video", "");

        Assert.DoesNotContain("Mittwoch, 25.11.2026", page, StringComparison.Ordinal);
        Assert.Contains("Donnerstag, 26.11.2026", page, StringComparison.Ordinal);
        Assert.Contains("Termin ist nicht mehr frei.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_ToggleOn_NoBookingEvenForRegularClient()
    {
        var anna = await AnnaWithHoursAsync(status: new AccountStatus(true, ChatMode.Online, MailMode.Unlimited, 10));
        var mond = await AddClientAsync("Mond");
        await RelateAsync(anna, mond, regular: true);
        var http = await LoginAsync("Mond");

        var page = await http.GetStringAsync($"/berater/{anna.Id}/termin");
        var response = await BookAsync(http, anna, WednesdayNine, "Video", "");

        Assert.Contains("ist gerade keine Terminbuchung möglich", page, StringComparison.Ordinal);
        Assert.Contains("ist gerade keine Terminbuchung möglich", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task Book_TakenSlot_SecondClientHearsNotFree()
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        await AddClientAsync("Wolke7");
        var first = await LoginAsync("Mond");
        var second = await LoginAsync("Wolke7");

        await BookAsync(first, anna, WednesdayNine, "Video", "");
        var response = await BookAsync(second, anna, WednesdayNine, "Video", "");

        Assert.Contains("Termin ist nicht mehr frei.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task Book_FiftyAtTheSameInstant_ExactlyOneWins()
    {
        var anna = await AnnaWithHoursAsync();
        var clients = new List<(HttpClient Http, string Token)>();
        for (var i = 0; i < 10; i++)
        {
            await AddClientAsync($"Klient{i}");
            var http = await LoginAsync($"Klient{i}");
            clients.Add((http, await AntiforgeryTokenAsync(http, $"/berater/{anna.Id}/termin")));
        }

        var attempts = Enumerable.Range(0, 50).Select(i =>
        {
            var (http, token) = clients[i % clients.Count];
            return http.PostAsync($"/berater/{anna.Id}/termin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Slot"] = $"{Iso(WednesdayNine)}|Video",
                ["__RequestVerificationToken"] = token,
            }));
        });
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(49, refused.Count);
        foreach (var r in refused)
        {
            Assert.Contains("Termin ist nicht mehr frei.", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, await WithDbAsync(db => db.Appointments.CountAsync()));
    }

    [Fact]
    public async Task Counsellor_ConfirmsRequest_ClientSeesConfirmedAndIsNotified()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine, AppointmentStatus.Requested);
        var counsellor = await LoginAsync("anna@test.lotse");

        var list = await counsellor.GetStringAsync("/termine");
        var response = await PostFormAsync(counsellor, $"/termine?handler=Confirm&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/termine");

        Assert.Contains("Mi, 25.11.2026, 09:00–09:50 Uhr", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AppointmentStatus.Confirmed, await StatusOfAsync(appointment.Id));
        Assert.Equal(NotificationKind.AppointmentConfirmed, await WithDbAsync(db => db.Notifications.Select(n => n.Kind).SingleAsync()));
        var client = await LoginAsync("Mond");
        Assert.Contains("bestätigt", await client.GetStringAsync("/meine-termine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counsellor_DeclinesWithReason_ClientSeesReason()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine, AppointmentStatus.Requested);
        var counsellor = await LoginAsync("anna@test.lotse");

        await PostFormAsync(counsellor, $"/termine?handler=Decline&id={appointment.Id}", new Dictionary<string, string> { ["Reason"] = "Bitte nehmen Sie den Donnerstag" }, formPage: "/termine");

        Assert.Equal(AppointmentStatus.Declined, await StatusOfAsync(appointment.Id));
        var client = await LoginAsync("Mond");
        Assert.Contains("Begründung: Bitte nehmen Sie den Donnerstag", await client.GetStringAsync("/meine-termine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counsellor_ConfirmsCancelledAppointment_GermanMessageNothingChanges()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine, AppointmentStatus.Cancelled);
        var counsellor = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(counsellor, $"/termine?handler=Confirm&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/termine");

        Assert.Contains("kann in seinem jetzigen Zustand nicht mehr so geändert werden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Cancelled, await StatusOfAsync(appointment.Id));
    }

    [Fact]
    public async Task OtherCounsellor_ConfirmOrCancel_404AndUnchanged()
    {
        var anna = await AnnaWithHoursAsync();
        await AddCounsellorAsync("ben@test.lotse");
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine.AddDays(3), AppointmentStatus.Requested);
        var ben = await LoginAsync("ben@test.lotse");

        var confirm = await PostFormAsync(ben, $"/termine?handler=Confirm&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/termine");
        var cancel = await PostFormAsync(ben, $"/termine?handler=Cancel&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/termine");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (confirm.StatusCode, cancel.StatusCode));
        Assert.Equal(AppointmentStatus.Requested, await StatusOfAsync(appointment.Id));
        Assert.DoesNotContain("Mond", await ben.GetStringAsync("/termine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_CancelsBeforeCutoff_CounsellorNotified()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine.AddDays(7), AppointmentStatus.Confirmed);
        var client = await LoginAsync("Mond");

        var response = await PostFormAsync(client, $"/meine-termine?handler=Cancel&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/meine-termine");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await WithDbAsync(db => db.Appointments.AsNoTracking().SingleAsync());
        Assert.Equal((AppointmentStatus.Cancelled, AppointmentParty.Client), (saved.Status, saved.CancelledBy));
        var notice = await WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync());
        Assert.Equal(NotificationKind.AppointmentCancelled, notice.Kind);
        Assert.Equal(await WithDbAsync(db => db.Counsellors.Where(c => c.Id == anna.Id).Select(c => c.UserId).SingleAsync()), notice.UserId);
    }

    [Fact]
    public async Task Client_CancelsAfterCutoff_RefusedWithGermanMessage()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        var appointment = await AddAppointmentAsync(anna, mond, Now.AddHours(20), AppointmentStatus.Confirmed);
        var client = await LoginAsync("Mond");

        var response = await PostFormAsync(client, $"/meine-termine?handler=Cancel&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/meine-termine");

        Assert.Contains("So kurz vor Beginn kann der Termin nicht mehr abgesagt werden.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Confirmed, await StatusOfAsync(appointment.Id));
    }

    [Fact]
    public async Task Client_CancelsSomeoneElsesAppointment_404()
    {
        var anna = await AnnaWithHoursAsync();
        var mond = await AddClientAsync("Mond");
        await AddClientAsync("Wolke7");
        var appointment = await AddAppointmentAsync(anna, mond, WednesdayNine.AddDays(7), AppointmentStatus.Confirmed);
        var other = await LoginAsync("Wolke7");

        var response = await PostFormAsync(other, $"/meine-termine?handler=Cancel&id={appointment.Id}", new Dictionary<string, string>(), formPage: "/meine-termine");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(AppointmentStatus.Confirmed, await StatusOfAsync(appointment.Id));
    }

    [Fact]
    public async Task Hours_AddWindow_SlotsAppearAndOverlapIsRefused()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var counsellor = await LoginAsync("anna@test.lotse");

        var added = await PostFormAsync(counsellor, "/termine/buchungszeiten?handler=AddWindow", new Dictionary<string, string>
        {
            ["Window.Day"] = "Friday", ["Window.From"] = "14:00", ["Window.To"] = "16:00", ["Window.Channel"] = "Phone",
        }, formPage: "/termine/buchungszeiten");
        var overlapping = await PostFormAsync(counsellor, "/termine/buchungszeiten?handler=AddWindow", new Dictionary<string, string>
        {
            ["Window.Day"] = "Friday", ["Window.From"] = "15:00", ["Window.To"] = "17:00", ["Window.Channel"] = "Phone",
        }, formPage: "/termine/buchungszeiten");
        var reversed = await PostFormAsync(counsellor, "/termine/buchungszeiten?handler=AddWindow", new Dictionary<string, string>
        {
            ["Window.Day"] = "Monday", ["Window.From"] = "15:00", ["Window.To"] = "14:00", ["Window.Channel"] = "Video",
        }, formPage: "/termine/buchungszeiten");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Überschneidet sich mit 14:00 bis 16:00 Uhr", await overlapping.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Das Ende muss nach dem Beginn liegen.", await reversed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await WithDbAsync(db => db.BookingHours.CountAsync(h => h.CounsellorId == anna.Id)));
        await AddClientAsync("Mond");
        var client = await LoginAsync("Mond");
        Assert.Contains("Freitag, 27.11.2026", await client.GetStringAsync($"/berater/{anna.Id}/termin?kanal=Phone"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Settings", "Dauer eines Termins (Minuten)")]
    [InlineData("AddWindow", "Wochentag")]
    [InlineData("AddBlock", "Datum")]
    public async Task Hours_FormPostedWithoutFields_NamesTheMissingFieldAndChangesNothing(string handler, string field)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var counsellor = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(counsellor, $"/termine/buchungszeiten?handler={handler}", new Dictionary<string, string>(), formPage: "/termine/buchungszeiten");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Bitte füllen Sie das Feld „{field}“ aus.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((0, 0, 50), await WithDbAsync(async db => (
            await db.BookingHours.CountAsync(h => h.CounsellorId == anna.Id),
            await db.BookingBlocks.CountAsync(b => b.CounsellorId == anna.Id),
            (await db.Counsellors.SingleAsync(c => c.Id == anna.Id)).SlotMinutes)));
    }

    [Fact]
    public async Task Hours_BlockWholeDay_NoSlotsThatDay()
    {
        var anna = await AnnaWithHoursAsync();
        var counsellor = await LoginAsync("anna@test.lotse");

        await PostFormAsync(counsellor, "/termine/buchungszeiten?handler=AddBlock", new Dictionary<string, string>
        {
            ["Block.Date"] = "2026-11-25", ["Block.WholeDay"] = "true",
        }, formPage: "/termine/buchungszeiten");

        await AddClientAsync("Mond");
        var page = await (await LoginAsync("Mond")).GetStringAsync($"/berater/{anna.Id}/termin");
        Assert.DoesNotContain("Mittwoch, 25.11.2026", page, StringComparison.Ordinal);
        Assert.Contains("Donnerstag, 26.11.2026", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("500")]
    [InlineData("viel")]
    public async Task Hours_BadSlotLength_GermanMessageAndUnchanged(string minutes)
    {
        var anna = await AnnaWithHoursAsync();
        var counsellor = await LoginAsync("anna@test.lotse");

        var response = await PostFormAsync(counsellor, "/termine/buchungszeiten?handler=Settings", new Dictionary<string, string>
        {
            ["Settings.SlotMinutes"] = minutes, ["Settings.AutoConfirm"] = "true",
        }, formPage: "/termine/buchungszeiten");

        Assert.Contains("Dauer eines Termins (Minuten)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await ReloadCounsellorAsync(anna.Id);
        Assert.Equal((50, false), (saved.SlotMinutes, saved.AutoConfirm));
    }

    [Fact]
    public async Task BookingPages_WrongRole_Refused()
    {
        var anna = await AnnaWithHoursAsync();
        await AddClientAsync("Mond");
        var client = await LoginAsync("Mond");
        var counsellor = await LoginAsync("anna@test.lotse");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/termine")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/termine/buchungszeiten")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await counsellor.GetAsync($"/berater/{anna.Id}/termin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await counsellor.GetAsync("/meine-termine")).StatusCode);
    }

    private async Task<Counsellor> AnnaWithHoursAsync(bool autoConfirm = false, AccountStatus? status = null)
    {
        var anna = await AddCounsellorAsync("anna@test.lotse", status);
        await WithDbAsync(async db =>
        {
            foreach (var day in new[] { DayOfWeek.Wednesday, DayOfWeek.Thursday })
            {
                db.BookingHours.Add(new BookingHours(Guid.NewGuid(), anna.Id, day, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));
            }

            var tracked = await db.Counsellors.SingleAsync(c => c.Id == anna.Id);
            tracked.ChangeBookingSettings(50, autoConfirm);
            await db.SaveChangesAsync();
        });
        return anna;
    }

    private Task<AppointmentStatus> StatusOfAsync(Guid id) =>
        WithDbAsync(db => db.Appointments.AsNoTracking().Where(a => a.Id == id).Select(a => a.Status).SingleAsync());

    private static Task<HttpResponseMessage> BookAsync(HttpClient http, Counsellor counsellor, DateTime startUtc, string channel, string topic) =>
        PostFormAsync(http, $"/berater/{counsellor.Id}/termin", new Dictionary<string, string>
        {
            ["Slot"] = $"{Iso(startUtc)}|{channel}",
            ["Topic"] = topic,
        });

    private static string Iso(DateTime utc) => utc.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class BookingTestsOnSqlite() : BookingTests(DatabaseKind.Sqlite);

public sealed class BookingTestsOnPostgres() : BookingTests(DatabaseKind.Postgres);
