using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>"Einstellungen der Mailberatung": N for "nach Ressourcen". Changes Anna's N, so it has its own app.</summary>
public sealed class MailSettingsTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Field = "Höchstzahl offener Mailanfragen";

    [Fact]
    public async Task MailSettings_InvalidThenValidCapacity_ErrorsNameFieldThenDashboardShowsNewCapacity()
    {
        var server = await StartOwnServerAsync();
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        await page.GetByRole(AriaRole.Link, new() { Name = "Einstellungen der Mailberatung" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Einstellungen der Mailberatung", Level = 1 })).ToBeVisibleAsync();
        var capacity = page.GetByLabel(Field);
        await Expect(capacity).ToHaveValueAsync("10");

        // 0: out of range.
        await capacity.FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByText($"Das Feld „{Field}“ muss eine ganze Zahl von 1 bis 999 sein.")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "zero");

        // "abc" as a person types it: chromium's number field drops the letters, so the field is sent empty.
        await capacity.FillAsync("");
        await capacity.PressSequentiallyAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByText($"Bitte füllen Sie das Feld „{Field}“ aus.")).ToBeVisibleAsync();

        // "abc" as a browser without number fields sends it: the server names the field too.
        await capacity.EvaluateAsync("input => input.type = 'text'");
        await capacity.FillAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByText(new Regex($"^(Der Wert im Feld „{Field}“ ist ungültig\\.|Bitte geben Sie im Feld „{Field}“ eine Zahl ein\\.)$"))).ToBeVisibleAsync();
        await ScreenshotAsync(page, "abc");

        // Nothing changed.
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("capacity")).ToContainTextAsync("höchstens 10 offene Anfragen");

        await page.GetByRole(AriaRole.Link, new() { Name = "Einstellungen der Mailberatung" }).ClickAsync();
        await page.GetByLabel(Field).FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Gespeichert: höchstens 5 offene Anfragen.");
        await Expect(page.GetByLabel(Field)).ToHaveValueAsync("5");

        await page.GetByRole(AriaRole.Link, new() { Name = "Zurück zum Dashboard" }).ClickAsync();
        await Expect(page.GetByTestId("capacity")).ToContainTextAsync("höchstens 5 offene Anfragen");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Mail" })
            .GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^nach Ressourcen.*höchstens 5 offene Anfragen") })).ToBeVisibleAsync();
    }
}
