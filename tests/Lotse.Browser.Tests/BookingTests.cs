using System.Globalization;
using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Domain.Appointments;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Appointments;
using Lotse.Web.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Appointment booking end to end: a client books one of Anna's free slots, Anna confirms, declines, sees cancellations
/// and sets her booking hours. Demo data: Anna offers video Monday to Friday 9–12, phone on Tuesdays 14–17, chat on
/// Wednesdays 14–16 and on-site on Thursdays 14–17, 50-minute slots; she is on vacation from day +14 to +21.
/// A test that books or changes settings has an app of its own; the shared one is only read.
/// </summary>
public sealed class BookingTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    private const string NotFree = "Termin ist nicht mehr frei. Bitte wählen Sie einen anderen.";
    private const string Requested = "Ihre Terminanfrage ist verschickt. Sie erfahren hier, sobald sie bestätigt ist.";

    /// <summary>Far enough ahead that either side may still cancel (the cut-off is 24 hours).</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromHours(30);

    [Fact]
    public async Task Booking_ClientRequestsSlotAndCounsellorConfirms_ClientSeesConfirmed()
    {
        var own = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(own, DemoData.ClientNickname, "client");
        const string topic = "Stress mit der Ausbildung";

        await OpenCounsellorProfileAsync(client);
        await client.GetByRole(AriaRole.Link, new() { Name = "Freie Termine ansehen" }).ClickAsync();
        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = "Termin buchen bei Anna Berger", Level = 1 })).ToBeVisibleAsync();
        await ScreenshotAsync(client, "booking-all");

        // The channel tabs filter the slots: on "Telefon" only phone slots (Anna offers phone on Tuesdays).
        var tabs = client.GetByRole(AriaRole.Navigation, new() { Name = "Art des Termins" });
        await tabs.GetByRole(AriaRole.Link, new() { Name = "Telefon", Exact = true }).ClickAsync();
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Telefon", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(client.GetByTestId("slot").First).ToBeVisibleAsync();
        await Expect(client.GetByTestId("slot-day").Filter(new() { HasNotText = "Dienstag" })).ToHaveCountAsync(0);
        await Expect(client.GetByTestId("slot-day").Locator("label").Filter(new() { HasNotText = "Telefon" })).ToHaveCountAsync(0);
        Assert.All(await SlotValuesAsync(client), value => Assert.EndsWith("|Phone", value, StringComparison.Ordinal));

        var slot = await PickSlotAsync(client, Lead);
        await client.GetByLabel("Worum geht es? (freiwillig)").FillAsync(topic);
        await ScreenshotAsync(client, "booking-picked");
        await client.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync();

        await Expect(client).ToHaveURLAsync(new Regex("/meine-termine$"));
        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = "Meine Termine", Level = 1 })).ToBeVisibleAsync();
        await Expect(client.GetByRole(AriaRole.Status)).ToHaveTextAsync(Requested);
        var mine = MyAppointment(client, slot);
        await Expect(mine).ToContainTextAsync(slot.StartText);
        await Expect(mine).ToContainTextAsync("mit Anna Berger · Telefon");
        await Expect(mine.GetByTestId("appointment-status")).ToHaveTextAsync("angefragt, noch nicht bestätigt");
        await Expect(mine.GetByRole(AriaRole.Link, new() { Name = "zum Termin" })).ToHaveCountAsync(0);
        await ScreenshotAsync(client, "mine-requested");

        // Anna finds the request, with its topic, and confirms it.
        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        await counsellor.GetByRole(AriaRole.Link, new() { Name = "Termine", Exact = true }).ClickAsync();
        await Expect(counsellor.GetByRole(AriaRole.Heading, new() { Name = "Termine", Level = 1 })).ToBeVisibleAsync();
        await Expect(FilterTab(counsellor, "Anfragen")).ToHaveAttributeAsync("aria-current", "page");
        var request = counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = topic });
        await Expect(request).ToContainTextAsync("Thema: " + topic);
        await Expect(request).ToContainTextAsync("mit Wolke7 · Telefon");
        await Expect(request).ToContainTextAsync(slot.StartText);
        await Expect(request.GetByTestId("appointment-status")).ToHaveTextAsync("angefragt, noch nicht bestätigt");
        await ScreenshotAsync(counsellor, "requested");
        await request.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();

        await Expect(counsellor.GetByText("Der Termin ist bestätigt. Die ratsuchende Person wird benachrichtigt.")).ToBeVisibleAsync();
        await Expect(request).ToHaveCountAsync(0);
        await FilterTab(counsellor, "Bestätigte Termine").ClickAsync();
        var confirmed = counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = topic });
        await Expect(confirmed.GetByTestId("appointment-status")).ToHaveTextAsync("bestätigt");

        await client.ReloadAsync();
        await Expect(mine.GetByTestId("appointment-status")).ToHaveTextAsync("bestätigt");
        await Expect(mine.GetByRole(AriaRole.Link, new() { Name = "zum Termin" })).ToHaveAttributeAsync("href", new Regex("^/termine/[0-9a-f-]{36}/raum$"));
    }

    [Fact]
    public async Task Booking_SlotBookedByOneClient_NotOfferedToAnother()
    {
        var own = await StartOwnServerAsync();
        var first = await OpenSignedInAsync(own, DemoData.ClientNickname, "first");
        var bookingUrl = await OpenBookingPageAsync(first);
        var slot = await PickSlotAsync(first, Lead);
        await first.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync();
        await Expect(first.GetByRole(AriaRole.Status)).ToHaveTextAsync(Requested);

        var second = await OpenSignedInAsync(own, "Kompass", "second");
        await second.GotoAsync(bookingUrl);
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Termin buchen bei Anna Berger", Level = 1 })).ToBeVisibleAsync();
        await Expect(second.GetByTestId("slot").First).ToBeVisibleAsync();

        await Expect(SlotRadio(second, slot)).ToHaveCountAsync(0);
        Assert.DoesNotContain(slot.Value, await SlotValuesAsync(second));
    }

    [Fact]
    public async Task Booking_TwoClientsSubmitSameSlot_ExactlyOneGetsIt()
    {
        var own = await StartOwnServerAsync();
        var wolke = await OpenSignedInAsync(own, DemoData.ClientNickname, "wolke7");
        var kompass = await OpenSignedInAsync(own, "Kompass", "kompass");
        var bookingUrl = await OpenBookingPageAsync(wolke);
        await kompass.GotoAsync(bookingUrl);
        await Expect(kompass.GetByTestId("slot").First).ToBeVisibleAsync();

        var slot = await PickSlotAsync(wolke, Lead);
        await SlotRadio(kompass, slot).CheckAsync();
        await wolke.GetByLabel("Worum geht es? (freiwillig)").FillAsync("Wolke7 will diesen Termin");
        await kompass.GetByLabel("Worum geht es? (freiwillig)").FillAsync("Kompass will diesen Termin");

        await Task.WhenAll(
            wolke.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync(),
            kompass.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync());

        var outcomes = new List<bool>();
        foreach (var page in new[] { wolke, kompass })
        {
            var booked = page.GetByRole(AriaRole.Heading, new() { Name = "Meine Termine", Level = 1 });
            var refused = page.GetByText(NotFree);
            await Expect(booked.Or(refused)).ToBeVisibleAsync();
            outcomes.Add(await booked.IsVisibleAsync());
        }

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = outcomes[0] ? wolke : kompass;
        var loser = outcomes[0] ? kompass : wolke;
        await Expect(winner.GetByRole(AriaRole.Status)).ToHaveTextAsync(Requested);
        await Expect(MyAppointment(winner, slot).GetByTestId("appointment-status")).ToHaveTextAsync("angefragt, noch nicht bestätigt");

        // The other stays on the booking page, told plainly, and the slot is gone from the list it sees now.
        await Expect(loser.GetByRole(AriaRole.Heading, new() { Name = "Termin buchen bei Anna Berger", Level = 1 })).ToBeVisibleAsync();
        await Expect(loser.GetByText(NotFree)).ToBeVisibleAsync();
        await Expect(SlotRadio(loser, slot)).ToHaveCountAsync(0);
        await ScreenshotAsync(loser, "loser");
        await loser.GotoAsync("/meine-termine");
        await Expect(loser.Locator($"time[datetime='{slot.Iso}']")).ToHaveCountAsync(0);

        // Anna has one request for that time, not two.
        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        await counsellor.GotoAsync("/termine?filter=angefragt");
        await Expect(counsellor.GetByTestId("counsellor-appointment").Filter(new() { Has = counsellor.Locator($"time[datetime='{slot.Iso}']") })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Booking_CounsellorDeclinesWithReason_ClientSeesReason()
    {
        var own = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        const string reason = "Zu dieser Zeit bin ich leider in einer Teambesprechung. Bitte wählen Sie einen anderen Termin.";

        // Wolke7's demo request: tomorrow, 16:00, video.
        await counsellor.GotoAsync("/termine");
        var request = counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = "mit Wolke7 · Video" });
        await Expect(request).ToHaveCountAsync(1);
        var reasonField = request.GetByLabel("Begründung (freiwillig)");
        await Expect(reasonField).ToBeHiddenAsync();
        await request.GetByText("Ablehnen …").ClickAsync();
        await Expect(reasonField).ToBeVisibleAsync();
        await reasonField.FillAsync(reason);
        await ScreenshotAsync(counsellor, "decline-open");
        await request.GetByRole(AriaRole.Button, new() { Name = "Anfrage ablehnen" }).ClickAsync();

        await Expect(counsellor.GetByText("Die Anfrage ist abgelehnt. Die ratsuchende Person wird benachrichtigt.")).ToBeVisibleAsync();
        await Expect(request).ToHaveCountAsync(0);
        await FilterTab(counsellor, "Abgesagte und abgelehnte").ClickAsync();
        var declined = counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = "mit Wolke7 · Video" });
        await Expect(declined.GetByTestId("appointment-status")).ToHaveTextAsync("abgelehnt");

        var client = await OpenSignedInAsync(own, DemoData.ClientNickname, "client");
        await client.GetByRole(AriaRole.Link, new() { Name = "Meine Termine" }).ClickAsync();
        var mine = client.GetByTestId("my-appointment").Filter(new() { HasText = "mit Anna Berger · Video" });
        await Expect(mine.GetByTestId("appointment-status")).ToHaveTextAsync("abgelehnt");
        await Expect(mine).ToContainTextAsync("Begründung: " + reason);
        await Expect(mine.GetByText("Absagen …")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Booking_ClientCancels_CounsellorSeesCancelledByClient()
    {
        var own = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(own, DemoData.ClientNickname, "client");
        const string topic = "Termin, der abgesagt wird";
        await OpenBookingPageAsync(client);
        var slot = await PickSlotAsync(client, Lead);
        await client.GetByLabel("Worum geht es? (freiwillig)").FillAsync(topic);
        await client.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync();
        await Expect(client.GetByRole(AriaRole.Status)).ToHaveTextAsync(Requested);

        var mine = MyAppointment(client, slot);
        await mine.GetByText("Absagen …").ClickAsync();
        await mine.GetByRole(AriaRole.Button, new() { Name = "Ja, Termin absagen" }).ClickAsync();

        await Expect(client.GetByRole(AriaRole.Status)).ToHaveTextAsync("Der Termin ist abgesagt. Ihre Berater:in wird benachrichtigt.");
        await Expect(mine.GetByTestId("appointment-status")).ToHaveTextAsync("abgesagt (von der ratsuchenden Person)");
        await Expect(mine.GetByText("Absagen …")).ToHaveCountAsync(0);
        await ScreenshotAsync(client, "mine-cancelled");

        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        await counsellor.GotoAsync("/termine");
        await Expect(counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = topic })).ToHaveCountAsync(0);
        await FilterTab(counsellor, "Abgesagte und abgelehnte").ClickAsync();
        await Expect(FilterTab(counsellor, "Abgesagte und abgelehnte")).ToHaveAttributeAsync("aria-current", "page");
        var cancelled = counsellor.GetByTestId("counsellor-appointment").Filter(new() { HasText = topic });
        await Expect(cancelled).ToContainTextAsync(slot.StartText);
        await Expect(cancelled).ToContainTextAsync("mit Wolke7");
        await Expect(cancelled.GetByTestId("appointment-status")).ToHaveTextAsync("abgesagt (von der ratsuchenden Person)");
        await Expect(cancelled.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Booking_CounsellorAddsSaturdayPhoneHoursAndException_ClientSeesSaturdaysButNotThatDay()
    {
        var own = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(own, DemoData.ClientNickname, "client");
        // A Saturday at least two days ahead (well past the minimum notice) and the one three weeks later (after the vacation).
        var today = Today();
        var exception = today.AddDays(2);
        while (exception.DayOfWeek != DayOfWeek.Saturday)
        {
            exception = exception.AddDays(1);
        }

        var later = exception.AddDays(21);

        await counsellor.GetByRole(AriaRole.Link, new() { Name = "Termine", Exact = true }).ClickAsync();
        await counsellor.GetByRole(AriaRole.Link, new() { Name = "Buchungszeiten festlegen" }).ClickAsync();
        await Expect(counsellor.GetByRole(AriaRole.Heading, new() { Name = "Buchungszeiten", Level = 1 })).ToBeVisibleAsync();
        var weekly = counsellor.GetByRole(AriaRole.Region, new() { Name = "Wöchentliche Buchungszeiten" });
        await weekly.GetByLabel("Wochentag").SelectOptionAsync(new SelectOptionValue { Label = "Samstag" });
        await weekly.GetByLabel("Von").FillAsync("10:00");
        await weekly.GetByLabel("Bis").FillAsync("12:00");
        await weekly.GetByLabel("Kanal").SelectOptionAsync(new SelectOptionValue { Label = "Telefon" });
        await weekly.GetByRole(AriaRole.Button, new() { Name = "Hinzufügen" }).ClickAsync();

        await Expect(counsellor.GetByText("Die Buchungszeit ist hinzugefügt.")).ToBeVisibleAsync();
        await Expect(weekly.GetByTestId("window").Filter(new() { HasText = "Samstag, 10:00–12:00 · Telefon" })).ToHaveCountAsync(1);

        var bookingUrl = await OpenBookingPageAsync(client, "Telefon");
        var saturdays = client.GetByTestId("slot-day").Filter(new() { HasText = "Samstag" });
        await Expect(Day(client, exception).GetByRole(AriaRole.Radio)).ToHaveCountAsync(2);
        await Expect(Day(client, exception).GetByRole(AriaRole.Radio, new() { Name = "10:00 Telefon" })).ToBeVisibleAsync();
        await Expect(Day(client, exception).GetByRole(AriaRole.Radio, new() { Name = "10:50 Telefon" })).ToBeVisibleAsync();
        await Expect(Day(client, later).GetByRole(AriaRole.Radio, new() { Name = "10:00 Telefon" })).ToBeVisibleAsync();
        var saturdaysBefore = await saturdays.CountAsync();

        // A whole day without slots, on that first Saturday.
        var blocks = counsellor.GetByRole(AriaRole.Region, new() { Name = "Einzelne Tage ohne Termine" });
        await blocks.GetByLabel("Datum").FillAsync(Iso(exception));
        await Expect(blocks.GetByRole(AriaRole.Checkbox, new() { Name = "Ganzer Tag" })).ToBeCheckedAsync();
        await blocks.GetByRole(AriaRole.Button, new() { Name = "Eintragen" }).ClickAsync();

        await Expect(counsellor.GetByText("Die Ausnahme ist eingetragen.")).ToBeVisibleAsync();
        await Expect(blocks.GetByTestId("block")).ToContainTextAsync($"Samstag, {Dotted(exception)} (ganzer Tag)");
        await ScreenshotAsync(counsellor, "hours");

        await client.GotoAsync(bookingUrl);
        await Expect(client.GetByTestId("slot").First).ToBeVisibleAsync();
        await Expect(Day(client, exception)).ToHaveCountAsync(0);
        await Expect(client.GetByText(Dotted(exception))).ToHaveCountAsync(0);
        await Expect(Day(client, later).GetByRole(AriaRole.Radio, new() { Name = "10:00 Telefon" })).ToBeVisibleAsync();
        await Expect(saturdays).ToHaveCountAsync(saturdaysBefore - 1);
        await ScreenshotAsync(client, "booking-phone");
    }

    [Fact]
    public async Task Booking_RegularClientsOnlySwitchedOn_BookingPageSaysNoBooking()
    {
        var own = await StartOwnServerAsync();
        var client = await OpenSignedInAsync(own, DemoData.ClientNickname, "client");
        var counsellor = await OpenSignedInAsync(own, DemoData.AnnaEmail, "counsellor");
        const string disabled = "Bei Anna Berger ist gerade keine Terminbuchung möglich.";
        var toggle = counsellor.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" });
        var saved = counsellor.GetByTestId("tile-status").GetByRole(AriaRole.Status);

        // The client has the booking page open and has picked a slot when Anna flips the switch.
        var bookingUrl = await OpenBookingPageAsync(client);
        var slot = await PickSlotAsync(client, Lead);
        await toggle.CheckAsync();
        await Expect(saved).ToHaveTextAsync("Gespeichert. Die Änderung gilt ab sofort.");

        await client.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" }).ClickAsync();
        await Expect(client.GetByTestId("booking-disabled")).ToContainTextAsync(disabled);
        await Expect(client.GetByTestId("slot")).ToHaveCountAsync(0);
        await Expect(client.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" })).ToHaveCountAsync(0);

        await client.GotoAsync(bookingUrl);
        await Expect(client.GetByTestId("booking-disabled")).ToContainTextAsync(disabled);
        await Expect(client.GetByRole(AriaRole.Link, new() { Name = "Andere Wege, Kontakt aufzunehmen" })).ToBeVisibleAsync();
        await Expect(client.GetByTestId("slot")).ToHaveCountAsync(0);
        await ScreenshotAsync(client, "disabled");

        await client.GotoAsync("/meine-termine");
        await Expect(client.Locator($"time[datetime='{slot.Iso}']")).ToHaveCountAsync(0);

        // Switched off again, the slots are back.
        await toggle.UncheckAsync();
        await Expect(saved).ToHaveTextAsync("Gespeichert. Die Änderung gilt ab sofort.");
        await client.GotoAsync(bookingUrl);
        await Expect(client.GetByTestId("booking-disabled")).ToHaveCountAsync(0);
        await Expect(SlotRadio(client, slot)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Booking_PhoneViewport_BookingPageHasNoHorizontalScroll()
    {
        var page = await OpenSignedInAsync(server, DemoData.ClientNickname, viewport: Phone);
        await OpenBookingPageAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Termin anfragen" })).ToBeVisibleAsync();

        Assert.False(await ScrollsHorizontallyAsync(page), "The booking page scrolls sideways on a phone.");
    }

    [Fact]
    public async Task Booking_PhoneViewport_MyAppointmentsHasNoHorizontalScroll()
    {
        var page = await OpenSignedInAsync(server, DemoData.ClientNickname, viewport: Phone);
        await page.GotoAsync("/meine-termine");
        await Expect(page.GetByTestId("my-appointment").First).ToBeVisibleAsync();

        Assert.False(await ScrollsHorizontallyAsync(page), "Meine Termine scrolls sideways on a phone.");
    }

    /// <summary>One slot as the client sees it, and as the page sends it (value "start-in-UTC|Channel").</summary>
    private sealed record PickedSlot(string Value, string Iso, DateOnly Day, string Time, string ChannelLabel)
    {
        /// <summary>How lists begin the period: "Di, 01.12.2026, 14:00–14:50 Uhr" contains "01.12.2026, 14:00–".</summary>
        public string StartText => $"{Dotted(Day)}, {Time}–";
    }

    /// <summary>From Anna's profile through "Freie Termine ansehen", optionally onto a channel tab; returns the page's address.</summary>
    private static async Task<string> OpenBookingPageAsync(IPage page, string? channelTab = null)
    {
        await OpenCounsellorProfileAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Freie Termine ansehen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Termin buchen bei Anna Berger", Level = 1 })).ToBeVisibleAsync();
        if (channelTab is not null)
        {
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Art des Termins" }).GetByRole(AriaRole.Link, new() { Name = channelTab, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("kanal="));
        }

        await Expect(page.GetByTestId("slot").First).ToBeVisibleAsync();
        return new Uri(page.Url).PathAndQuery;
    }

    /// <summary>Ticks the first offered slot that starts at least <paramref name="lead"/> from now, as a client clicks it.</summary>
    private static async Task<PickedSlot> PickSlotAsync(IPage page, TimeSpan lead)
    {
        var earliest = TimeProvider.System.GetUtcNow().UtcDateTime + lead;
        var value = (await SlotValuesAsync(page)).First(v => StartOf(v) >= earliest);
        var start = StartOf(value);
        var local = BerlinTime.ToLocal(start);
        var channel = Enum.Parse<AppointmentChannel>(value.Split('|')[1]);
        var slot = new PickedSlot(value, value.Split('|')[0], DateOnly.FromDateTime(local), local.ToString("HH:mm", CultureInfo.InvariantCulture), AppointmentLabels.Channel(channel));
        var radio = SlotRadio(page, slot);
        await radio.CheckAsync();
        await Expect(radio).ToBeCheckedAsync();
        return slot;
    }

    private static ILocator SlotRadio(IPage page, PickedSlot slot) =>
        Day(page, slot.Day).GetByRole(AriaRole.Radio, new() { Name = $"{slot.Time} {slot.ChannelLabel}", Exact = true });

    private static ILocator Day(IPage page, DateOnly day) => page.GetByTestId("slot-day").Filter(new() { HasText = Dotted(day) });

    private static ILocator MyAppointment(IPage page, PickedSlot slot) =>
        page.GetByTestId("my-appointment").Filter(new() { Has = page.Locator($"time[datetime='{slot.Iso}']") });

    private static ILocator FilterTab(IPage page, string label) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Filter" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^" + Regex.Escape(label) + @"( \(\d+\))?$") });

    private static async Task<IReadOnlyList<string>> SlotValuesAsync(IPage page) =>
        await page.GetByTestId("slot").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");

    private static DateTime StartOf(string value) =>
        DateTime.Parse(value.Split('|')[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static DateOnly Today() => DateOnly.FromDateTime(BerlinTime.ToLocal(TimeProvider.System.GetUtcNow().UtcDateTime));

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Dotted(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
}
