using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>
/// Issue 8, counsellor administration in the browser: the admin invites a counsellor (an address that has an account is
/// refused), the invitee opens the link from the mail, sets a password, enrols the second factor and lands signed in;
/// the admin then disables the new counsellor after the confirmation step. Changes demo state, so it has its own app.
/// </summary>
public sealed partial class CounsellorAdminTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string NewEmail = "nora.neu@lotse.demo";
    private const string NewName = "Nora Neu";
    private const string NewPassword = "Ein langer Satz als Passwort 7";

    [Fact]
    public async Task Invitation_AdminInvitesInviteeSignsUpWithSecondFactor_ThenAdminDisables()
    {
        var server = await StartOwnServerAsync();
        var admin = await OpenSignedInAsync(server, DemoData.AdminEmail, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Berater:innen verwalten" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Berater:innen verwalten", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("counsellor-row").Filter(new() { HasText = AnnaName })).ToContainTextAsync("aktiv");
        await ScreenshotAsync(admin, "list");

        // An address that already has an account: refused with a message at the field.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Berater:in einladen" }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Anna Zwei");
        await admin.GetByLabel("E-Mail-Adresse").FillAsync(DemoData.AnnaEmail);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Einladung senden" }).ClickAsync();
        await Expect(admin.GetByText($"Für die E-Mail-Adresse „{DemoData.AnnaEmail}“ gibt es schon einen Zugang.")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "invite-refused");

        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync(NewName);
        await admin.GetByLabel("E-Mail-Adresse").FillAsync(NewEmail);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Einladung senden" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Die Einladung an {NewEmail} ist versandt. Der Link gilt 7 Tage.");
        await Expect(admin.GetByTestId("counsellor-row").Filter(new() { HasText = NewName })).ToContainTextAsync("eingeladen");
        await ScreenshotAsync(admin, "invited");

        // The invitee opens the link from the mail.
        var link = await InvitationLinkAsync(server);
        var invitee = await OpenAsync(server, "invitee");
        await invitee.GotoAsync(link.PathAndQuery);
        await Expect(invitee.GetByText($"Willkommen, {NewName}!")).ToBeVisibleAsync();
        await ScreenshotAsync(invitee, "accept");
        await invitee.GetByLabel("Passwort", new() { Exact = true }).FillAsync(NewPassword);
        await invitee.GetByLabel("Passwort wiederholen").FillAsync(NewPassword);
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Passwort festlegen" }).ClickAsync();

        // The mandatory second factor for staff.
        await Expect(invitee).ToHaveURLAsync(new Regex("/konto/zwei-faktor/einrichten$"));
        await Expect(invitee.GetByTestId("authenticator-key")).ToBeVisibleAsync();
        await ScreenshotAsync(invitee, "enrol");
        await invitee.GetByLabel("Code aus der App").FillAsync(await TotpCodes.NextAsync(server.Services, NewEmail));
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Einrichten" }).ClickAsync();
        await Expect(invitee.GetByTestId("recovery-codes")).ToBeVisibleAsync();
        await invitee.GetByRole(AriaRole.Link, new() { Name = "Ich habe die Codes notiert – weiter" }).ClickAsync();
        await Expect(invitee.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToBeVisibleAsync();
        await Expect(invitee.GetByRole(AriaRole.Link, new() { Name = "Mailberatung", Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync(invitee, "signed-in");

        // The link works once only.
        var again = await OpenAsync(server, "again");
        await again.GotoAsync(link.PathAndQuery);
        await Expect(again.GetByText("Der Einladungslink ist abgelaufen oder wurde schon benutzt.")).ToBeVisibleAsync();

        // The admin sees the new counsellor as active and disables the account after confirming.
        await admin.GotoAsync("/verwaltung/berater");
        var row = admin.GetByTestId("counsellor-row").Filter(new() { HasText = NewName });
        await Expect(row).ToContainTextAsync("aktiv");
        await row.GetByRole(AriaRole.Link, new() { Name = $"{NewName} bearbeiten" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = NewName, Level = 1 })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "edit");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Zugang deaktivieren …" }).ClickAsync();
        await Expect(admin.GetByTestId("confirm-disable")).ToContainTextAsync("0 offene Mailanfragen");
        await ScreenshotAsync(admin, "confirm-disable");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Ja, Zugang deaktivieren" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Der Zugang von {NewName} ist deaktiviert.");
        await Expect(admin.GetByTestId("counsellor-state")).ToHaveTextAsync("deaktiviert");
        Assert.Empty(await SeriousAccessibilityViolationsAsync(admin));
        await ScreenshotAsync(admin, "disabled");

        // Her session ended at once: the next page asks her to sign in.
        await invitee.GotoAsync("/posteingang");
        await Expect(invitee).ToHaveURLAsync(new Regex("/anmelden"));
    }

    /// <summary>The link in the newest mail to the invitee; the mail is written before the admin's page answers.</summary>
    private static async Task<Uri> InvitationLinkAsync(LotseServer server)
    {
        foreach (var file in Directory.GetFiles(server.MailFolder, "*.eml").OrderDescending(StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == NewEmail))
            {
                return new Uri(LinkPattern().Match(message.TextBody ?? "").Value);
            }
        }

        throw new InvalidOperationException("No invitation mail to " + NewEmail);
    }

    [GeneratedRegex(@"http\S+/einladung\?token=\S+")]
    private static partial Regex LinkPattern();
}
