using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>The counsellor dashboard as the demo counsellor Anna sees it after signing in (read only).</summary>
public sealed class DashboardTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task Dashboard_DemoCounsellor_ShowsThreeTilesWithDemoData()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();

        // Tile 1: the next three confirmed appointments, soonest first; the running one included and marked.
        var appointments = page.GetByRole(AriaRole.Region, new() { Name = "Ihre nächsten bestätigten Termine" });
        await Expect(appointments.GetByRole(AriaRole.Heading, new() { Name = "Ihre nächsten bestätigten Termine", Level = 2 })).ToBeVisibleAsync();
        var items = appointments.GetByRole(AriaRole.Listitem);
        await Expect(items).ToHaveCountAsync(3);
        await Expect(items.Nth(0)).ToContainTextAsync("mit Mond · Video");
        await Expect(items.Nth(0)).ToContainTextAsync("läuft gerade");
        await Expect(items.Nth(1)).ToContainTextAsync("mit Wolke7 · Telefon");
        await Expect(items.Nth(2)).ToContainTextAsync("mit Kompass · Chat");
        await Expect(appointments.GetByText("läuft gerade")).ToHaveCountAsync(1);
        for (var i = 0; i < 3; i++)
        {
            var link = items.Nth(i).GetByRole(AriaRole.Link, new() { Name = "zum Termin" });
            await Expect(link).ToBeVisibleAsync();
            await Expect(link).ToHaveAttributeAsync("href", new Regex("^/termine/[0-9a-f-]{36}/raum$"));
        }

        // Requested, declined and cancelled appointments never show (Anna has one of each tomorrow).
        await Expect(appointments).Not.ToContainTextAsync("angefragt");

        // Tile 2: the next absence (the vacation in two weeks), not marked as running.
        var absence = page.GetByRole(AriaRole.Region, new() { Name = "Nächste Abwesenheit" });
        await Expect(absence.GetByRole(AriaRole.Heading, new() { Name = "Nächste Abwesenheit", Level = 2 })).ToBeVisibleAsync();
        await Expect(absence).ToContainTextAsync("Ich bin im Urlaub. In dringenden Fällen schreiben Sie bitte Dora Vogt.");
        await Expect(absence).Not.ToContainTextAsync("läuft gerade");
        await Expect(absence.GetByRole(AriaRole.Link, new() { Name = "zu den Abwesenheiten" })).ToBeVisibleAsync();

        // Tile 3: the Accountstatus: a real switch (off), chat and mail radios as seeded for Anna.
        var status = page.GetByRole(AriaRole.Region, new() { Name = "Accountstatus" });
        await Expect(status.GetByRole(AriaRole.Heading, new() { Name = "Accountstatus", Level = 2 })).ToBeVisibleAsync();
        var toggle = status.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" });
        await Expect(toggle).ToBeVisibleAsync();
        await Expect(toggle).Not.ToBeCheckedAsync();
        await Expect(status.GetByTestId("regular-only-hint")).ToContainTextAsync("Aus: Alle ratsuchenden Personen können Termine buchen");

        var chat = status.GetByRole(AriaRole.Group, new() { Name = "Chat" });
        await Expect(chat.GetByRole(AriaRole.Radio)).ToHaveCountAsync(3);
        await Expect(chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Online") })).ToBeCheckedAsync();
        await Expect(chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Nicht Online") })).Not.ToBeCheckedAsync();
        await Expect(chat.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Nicht anwählbar") })).Not.ToBeCheckedAsync();

        var mail = status.GetByRole(AriaRole.Group, new() { Name = "Mail" });
        await Expect(mail.GetByRole(AriaRole.Radio)).ToHaveCountAsync(3);
        await Expect(mail.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^unbegrenzte Anfragen") })).ToBeCheckedAsync();
        await Expect(mail.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^keine neuen Anfragen") })).Not.ToBeCheckedAsync();
        await Expect(mail.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^nach Ressourcen.*höchstens 10 offene Anfragen") })).Not.ToBeCheckedAsync();
        await Expect(mail.GetByRole(AriaRole.Link, new() { Name = "Einstellungen der Mailberatung" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Dashboard_ClickAbsencesButton_ShowsAbsencesOfCounsellor()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);

        await page.GetByRole(AriaRole.Link, new() { Name = "zu den Abwesenheiten" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/abwesenheiten$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Abwesenheiten", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Ich bin im Urlaub. In dringenden Fällen schreiben Sie bitte Dora Vogt.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Dashboard_Client_IsSentToCounsellorList()
    {
        var page = await OpenSignedInAsync(server, DemoData.ClientNickname);

        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(new Regex("/berater$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Berater:innen", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Accountstatus" })).ToHaveCountAsync(0);
    }
}
