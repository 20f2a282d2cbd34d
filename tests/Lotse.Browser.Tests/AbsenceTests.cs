using System.Globalization;
using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// The absences overview (/abwesenheiten) as the demo counsellor Anna and the agency admin use it, and what an absence
/// does for a client on Anna's profile page. Every test enters absences, so every test has an app of its own.
/// Demo data around today (Berlin): Anna's vacation from day +14 to +21, her confirmed appointments tomorrow (10:00, with
/// Wolke7), on day +2 and day +4, and Ben's running absence.
/// </summary>
public sealed class AbsenceTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Vacation = "Ich bin im Urlaub. In dringenden Fällen schreiben Sie bitte Dora Vogt.";
    private const string Saved = "Die Abwesenheit ist gespeichert.";

    [Fact]
    public async Task Absence_CounsellorCreatesEditsAndDeletesWholeDays_OverviewAndDashboardFollow()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        var first = Today().AddDays(5);
        var last = first.AddDays(4);
        const string note = "Ich bin auf einer Fortbildung. Neue Mailanfragen beantwortet Dora Vogt.";

        // Create: whole days (the default), a week before the vacation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Abwesenheiten", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Neue Abwesenheit eintragen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Neue Abwesenheit", Level = 1 })).ToBeVisibleAsync();
        await Expect(WholeDays(page)).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Von (Uhrzeit)")).ToBeHiddenAsync();
        await page.GetByLabel("Von (Datum)").FillAsync(Iso(first));
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(last));
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync(note);
        await ScreenshotAsync(page, "new-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(page.GetByText(Saved)).ToBeVisibleAsync();
        var planned = page.GetByTestId("absences-upcoming");
        await Expect(planned.GetByRole(AriaRole.Heading, new() { Name = "Geplant", Level = 2 })).ToBeVisibleAsync();
        // Soonest first: the new one before the vacation.
        var rows = planned.GetByTestId("absence");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync(note);
        await Expect(rows.Nth(0)).ToContainTextAsync(WholeDaysText(first, last));
        await Expect(rows.Nth(0)).ToContainTextAsync("Eingetragen von Anna Berger");
        await Expect(rows.Nth(1)).ToContainTextAsync(Vacation);
        await ScreenshotAsync(page, "created");

        // The dashboard tile shows the new one: it is now the next absence.
        var tile = await DashboardAbsenceTileAsync(page);
        await Expect(tile).ToContainTextAsync(note);
        await Expect(tile).ToContainTextAsync(WholeDaysText(first, last));
        await Expect(tile).Not.ToContainTextAsync(Vacation);

        // Edit: a new note and two more days.
        var longer = last.AddDays(2);
        const string changedNote = "Fortbildung, zwei Tage länger. Neue Mailanfragen beantwortet Dora Vogt.";
        await tile.GetByRole(AriaRole.Link, new() { Name = "zu den Abwesenheiten" }).ClickAsync();
        await page.GetByTestId("absence").Filter(new() { HasText = note }).GetByRole(AriaRole.Link, new() { Name = "Bearbeiten" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheit bearbeiten", Level = 1 })).ToBeVisibleAsync();
        await Expect(WholeDays(page)).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Von (Datum)")).ToHaveValueAsync(Iso(first));
        await Expect(page.GetByLabel("Bis (Datum)")).ToHaveValueAsync(Iso(last));
        await Expect(page.GetByLabel("Notiz für Ratsuchende")).ToHaveValueAsync(note);
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(longer));
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync(changedNote);
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(page.GetByText(Saved)).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync(changedNote);
        await Expect(rows.Nth(0)).ToContainTextAsync(WholeDaysText(first, longer));
        await Expect(page.GetByText(note, new() { Exact = true })).ToHaveCountAsync(0);
        tile = await DashboardAbsenceTileAsync(page);
        await Expect(tile).ToContainTextAsync(changedNote);
        await Expect(tile).ToContainTextAsync(WholeDaysText(first, longer));

        // Delete, through the confirmation page.
        await tile.GetByRole(AriaRole.Link, new() { Name = "zu den Abwesenheiten" }).ClickAsync();
        await page.GetByTestId("absence").Filter(new() { HasText = changedNote }).GetByRole(AriaRole.Link, new() { Name = "Löschen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheit löschen?", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(changedNote);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(WholeDaysText(first, longer));
        await ScreenshotAsync(page, "delete-confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, löschen" }).ClickAsync();

        await Expect(page.GetByText("Die Abwesenheit ist gelöscht.")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/abwesenheiten$"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Nth(0)).ToContainTextAsync(Vacation);
        await Expect(page.GetByText(changedNote)).ToHaveCountAsync(0);
        tile = await DashboardAbsenceTileAsync(page);
        await Expect(tile).ToContainTextAsync(Vacation);
        await Expect(tile).Not.ToContainTextAsync(changedNote);
    }

    [Fact]
    public async Task Absence_WithTimesThenOverlappingAndReversed_OverlapNamedReversedRefusedNothingSaved()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        var day = Today().AddDays(3);
        const string timedNote = "Heute Vormittag bin ich auf einer Supervision.";
        const string overlappingNote = "Diese Notiz darf nirgends gespeichert werden.";
        const string reversedNote = "Auch diese Notiz darf nicht gespeichert werden.";

        // With times: unticking "Ganze Tage" brings the time fields.
        await page.GotoAsync("/abwesenheiten/neu");
        await Expect(page.GetByLabel("Von (Uhrzeit)")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Bis (Uhrzeit)")).ToBeHiddenAsync();
        await WholeDays(page).UncheckAsync();
        await Expect(page.GetByLabel("Von (Uhrzeit)")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Bis (Uhrzeit)")).ToBeVisibleAsync();
        await page.GetByLabel("Von (Datum)").FillAsync(Iso(day));
        await page.GetByLabel("Von (Uhrzeit)").FillAsync("10:00");
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(day));
        await page.GetByLabel("Bis (Uhrzeit)").FillAsync("12:00");
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync(timedNote);
        await ScreenshotAsync(page, "with-times");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(page.GetByText(Saved)).ToBeVisibleAsync();
        var timed = page.GetByTestId("absences-upcoming").GetByTestId("absence").Filter(new() { HasText = timedNote });
        var timedPeriod = $"{Dotted(day)}, 10:00–12:00 Uhr";
        await Expect(timed).ToContainTextAsync(timedPeriod);

        // Overlapping: the whole of that day. The message names the absence it overlaps.
        await page.GetByRole(AriaRole.Link, new() { Name = "Neue Abwesenheit eintragen" }).ClickAsync();
        await page.GetByLabel("Von (Datum)").FillAsync(Iso(day));
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(day));
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync(overlappingNote);
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        var overlap = page.GetByText("Dieser Zeitraum überschneidet sich mit der Abwesenheit");
        await Expect(overlap).ToBeVisibleAsync();
        await Expect(overlap).ToContainTextAsync(timedPeriod);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Neue Abwesenheit", Level = 1 })).ToBeVisibleAsync();
        // What was typed is still there to correct.
        await Expect(page.GetByLabel("Notiz für Ratsuchende")).ToHaveValueAsync(overlappingNote);
        await ScreenshotAsync(page, "overlap");

        // Reversed: ends before it begins.
        await page.GotoAsync("/abwesenheiten/neu");
        await WholeDays(page).UncheckAsync();
        await page.GetByLabel("Von (Datum)").FillAsync(Iso(day.AddDays(1)));
        await page.GetByLabel("Von (Uhrzeit)").FillAsync("15:00");
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(day.AddDays(1)));
        await page.GetByLabel("Bis (Uhrzeit)").FillAsync("14:00");
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync(reversedNote);
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(page.GetByText("Das Ende muss nach dem Beginn liegen.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Neue Abwesenheit", Level = 1 })).ToBeVisibleAsync();
        // The form comes back as it was sent: times still shown.
        await Expect(WholeDays(page)).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Von (Uhrzeit)")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "reversed");

        // Nothing of either refused form was saved.
        await page.GetByRole(AriaRole.Link, new() { Name = "Abbrechen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheiten", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("absences-upcoming").GetByTestId("absence")).ToHaveCountAsync(2);
        await Expect(timed).ToHaveCountAsync(1);
        await Expect(page.GetByText(overlappingNote)).ToHaveCountAsync(0);
        await Expect(page.GetByText(reversedNote)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Absence_StartsNowThenEndedNow_ClientProfileUpdatesLiveBothWays()
    {
        var server = await StartOwnServerAsync();
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var client = await OpenSignedInAsync(server, DemoData.ClientNickname, "client");
        await OpenCounsellorProfileAsync(client);
        await client.EvaluateAsync("() => { window.lotseNotReloaded = true; }");
        const string note = "Ich bin heute krank. Neue Mailanfragen beantwortet Dora Vogt.";
        var availability = client.GetByTestId("availability");
        var chat = client.GetByTestId("channel-chat");
        var presence = client.GetByTestId("presence");
        var absenceNote = client.GetByTestId("absence-note");
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "true");
        await Expect(chat).ToContainTextAsync("Chat möglich");
        await Expect(absenceNote).ToHaveCountAsync(0);

        // Whole days from today: the absence starts the moment it is saved.
        await counsellor.GotoAsync("/abwesenheiten/neu");
        await counsellor.GetByLabel("Von (Datum)").FillAsync(Iso(Today()));
        await counsellor.GetByLabel("Bis (Datum)").FillAsync(Iso(Today()));
        await counsellor.GetByLabel("Notiz für Ratsuchende").FillAsync(note);
        await counsellor.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(counsellor.GetByText(Saved)).ToBeVisibleAsync();

        // Once it is saved, the client's open page follows on its own.
        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "false", new() { Timeout = LiveTimeout });
        await Expect(chat).ToContainTextAsync("Chat derzeit nicht möglich", new() { Timeout = LiveTimeout });
        await Expect(absenceNote).ToContainTextAsync(note, new() { Timeout = LiveTimeout });
        await Expect(absenceNote).ToContainTextAsync("Abwesend bis");
        // Whatever her chat mode, nobody absent is shown online.
        await Expect(presence).ToHaveTextAsync("Offline", new() { Timeout = LiveTimeout });
        await ScreenshotAsync(client, "client-absent");

        var running = counsellor.GetByTestId("absences-running").GetByTestId("absence");
        await Expect(running).ToHaveCountAsync(1);
        await Expect(running).ToContainTextAsync(note);
        await Expect(running).ToContainTextAsync("läuft gerade");
        await ScreenshotAsync(counsellor, "counsellor-running");

        await running.GetByRole(AriaRole.Button, new() { Name = "Jetzt beenden" }).ClickAsync();
        await Expect(counsellor.GetByText("Die Abwesenheit ist beendet.")).ToBeVisibleAsync();

        await Expect(availability).ToHaveAttributeAsync("data-can-chat", "true", new() { Timeout = LiveTimeout });
        await Expect(chat).ToContainTextAsync("Chat möglich", new() { Timeout = LiveTimeout });
        await Expect(absenceNote).ToHaveCountAsync(0, new() { Timeout = LiveTimeout });
        Assert.True(await client.EvaluateAsync<bool>("() => window.lotseNotReloaded === true"), "The client page was reloaded; it must update in place.");

        // For the counsellor it is over: neither running nor planned. (Whether it stays among the past ones depends on
        // time having passed since it began; the app's clock in these tests stands still, and an absence ended at the
        // instant it began is removed, as SaveAbsence.EndNowAsync decides.)
        await Expect(counsellor.GetByTestId("absences-running")).ToContainTextAsync("Zurzeit keine.");
        await Expect(counsellor.GetByTestId("absences-upcoming")).Not.ToContainTextAsync(note);
    }

    [Fact]
    public async Task Absence_OverConfirmedAppointment_WarnsAndKeepsAppointment()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        var tomorrow = Today().AddDays(1);

        await page.GotoAsync("/abwesenheiten/neu");
        await page.GetByLabel("Von (Datum)").FillAsync(Iso(tomorrow));
        await page.GetByLabel("Bis (Datum)").FillAsync(Iso(tomorrow));
        await page.GetByLabel("Notiz für Ratsuchende").FillAsync("Morgen bin ich nicht im Haus.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(page.GetByText(Saved)).ToBeVisibleAsync();
        // Tomorrow Anna has a confirmed phone appointment at 10:00 with Wolke7 (and a request at 16:00, which is no appointment yet).
        var warning = page.GetByTestId("affected-appointments");
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("in diese Abwesenheit");
        await Expect(warning).ToContainTextAsync("Sie finden statt, solange Sie nichts ändern.");
        var affected = warning.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "mit Wolke7" });
        await Expect(affected).ToHaveCountAsync(1);
        await Expect(affected).ToContainTextAsync($"{Dotted(tomorrow)}, 10:00–10:50 Uhr");
        await Expect(warning).Not.ToContainTextAsync("16:00");
        await ScreenshotAsync(page, "warning");

        // Nothing was cancelled silently.
        await page.GotoAsync("/termine?filter=bestaetigt");
        var appointment = page.GetByTestId("counsellor-appointment").Filter(new() { HasText = $"{Dotted(tomorrow)}, 10:00–10:50 Uhr" });
        await Expect(appointment).ToHaveCountAsync(1);
        await Expect(appointment).ToContainTextAsync("mit Wolke7 · Telefon");
        await Expect(appointment.GetByTestId("appointment-status")).ToHaveTextAsync("bestätigt");
        await Expect(appointment.GetByRole(AriaRole.Link, new() { Name = "zum Termin" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Absence_AdminEntersOneForBen_ShowsEnteredByAdmin()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        var first = Today().AddDays(5);
        var last = first.AddDays(1);
        const string note = "Ben Schulz ist auf einem Fachtag. Neue Mailanfragen beantwortet Dora Vogt.";

        await admin.GetByRole(AriaRole.Link, new() { Name = "Abwesenheiten im Team" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheiten im Team", Level = 1 })).ToBeVisibleAsync();
        var team = admin.GetByTestId("team-counsellor");
        await Expect(team).ToHaveCountAsync(4);
        var ben = team.Filter(new() { HasText = "Ben Schulz" });
        await Expect(ben).ToContainTextAsync("Abwesend bis");
        await Expect(team.Filter(new() { HasText = "Anna Berger" })).ToContainTextAsync("nächste Abwesenheit:");
        await ScreenshotAsync(admin, "team");

        await ben.GetByRole(AriaRole.Link, new() { Name = "Abwesenheiten von Ben Schulz" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheiten von Ben Schulz", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("absences-running")).ToContainTextAsync("Ich bin auf einer Fortbildung.");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Neue Abwesenheit eintragen" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Neue Abwesenheit", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByText("Für Ben Schulz")).ToBeVisibleAsync();
        await admin.GetByLabel("Von (Datum)").FillAsync(Iso(first));
        await admin.GetByLabel("Bis (Datum)").FillAsync(Iso(last));
        await admin.GetByLabel("Notiz für Ratsuchende").FillAsync(note);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();

        await Expect(admin.GetByText(Saved)).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheiten von Ben Schulz", Level = 1 })).ToBeVisibleAsync();
        var entered = admin.GetByTestId("absences-upcoming").GetByTestId("absence").Filter(new() { HasText = note });
        await Expect(entered).ToContainTextAsync(WholeDaysText(first, last));
        await Expect(entered).ToContainTextAsync("Eingetragen von admin@lotse.demo");

        // Ben finds it among his own, with who entered it.
        var benPage = await OpenSignedInAsync(server, DemoData.BenEmail, "ben");
        await benPage.GotoAsync("/abwesenheiten");
        var own = benPage.GetByTestId("absences-upcoming").GetByTestId("absence").Filter(new() { HasText = note });
        await Expect(own).ToContainTextAsync("Eingetragen von admin@lotse.demo");
    }

    private static ILocator WholeDays(IPage page) => page.GetByRole(AriaRole.Checkbox, new() { Name = "Ganze Tage", Exact = true });

    private static async Task<ILocator> DashboardAbsenceTileAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
        var tile = page.GetByRole(AriaRole.Region, new() { Name = "Nächste Abwesenheit" });
        await Expect(tile).ToBeVisibleAsync();
        return tile;
    }

    /// <summary>Today in Berlin, by the real clock (the app's clock starts at real time too).</summary>
    private static DateOnly Today() => DateOnly.FromDateTime(BerlinTime.ToLocal(TimeProvider.System.GetUtcNow().UtcDateTime));

    /// <summary>The value a date field takes.</summary>
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Dotted(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>"Mo, 30.11.2026 bis Fr, 04.12.2026 (ganztägig)", without the weekday names.</summary>
    private static Regex WholeDaysText(DateOnly first, DateOnly last) =>
        new($"{Regex.Escape(Dotted(first))} bis \\S+ {Regex.Escape(Dotted(last))} \\(ganztägig\\)");
}
