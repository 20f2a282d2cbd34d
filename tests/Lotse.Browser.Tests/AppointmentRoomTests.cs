using System.Text.RegularExpressions;
using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>"zum Termin" opens the appointment room, which only the two people of the appointment may see (read only).</summary>
public sealed class AppointmentRoomTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task AppointmentRoom_CounsellorClicksZumTermin_ShowsAppointmentAndClient()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail);
        var running = page.GetByRole(AriaRole.Region, new() { Name = "Ihre nächsten bestätigten Termine" })
            .GetByRole(AriaRole.Listitem).Filter(new() { HasText = "läuft gerade" });

        await running.GetByRole(AriaRole.Link, new() { Name = "zum Termin" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(RoomUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Termin mit Mond", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("room-other-party")).ToHaveTextAsync("Mond");
        await Expect(page.GetByTestId("room")).ToContainTextAsync("Video");
        await Expect(page.GetByTestId("room")).ToContainTextAsync("bestätigt");
        await Expect(page.GetByTestId("room")).ToContainTextAsync("Es wird nichts aufgezeichnet.");
    }

    [Fact]
    public async Task AppointmentRoom_ClientOfAppointment_SeesCounsellor()
    {
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var roomPath = await RunningAppointmentRoomAsync(counsellor);
        var client = await OpenSignedInAsync(server, DemoData.RegularClientNickname, "client");

        await client.GotoAsync(roomPath);

        await Expect(client.GetByRole(AriaRole.Heading, new() { Name = "Termin mit Anna Berger", Level = 1 })).ToBeVisibleAsync();
        await Expect(client.GetByTestId("room-other-party")).ToHaveTextAsync("Anna Berger");
    }

    [Fact]
    public async Task AppointmentRoom_OtherClient_SeesGermanNotFoundPage()
    {
        var counsellor = await OpenSignedInAsync(server, DemoData.AnnaEmail, "counsellor");
        var roomPath = await RunningAppointmentRoomAsync(counsellor);
        var stranger = await OpenSignedInAsync(server, "Kompass", "other-client");

        var response = await stranger.GotoAsync(roomPath);

        Assert.Equal(404, response!.Status);
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Seite nicht gefunden", Level = 1 })).ToBeVisibleAsync();
        await Expect(stranger.GetByText("Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar.")).ToBeVisibleAsync();
        await Expect(stranger.GetByText("Mond")).ToHaveCountAsync(0);
        await Expect(stranger.GetByText("Anna Berger")).ToHaveCountAsync(0);
    }

    private static async Task<string> RunningAppointmentRoomAsync(IPage counsellor)
    {
        var link = counsellor.GetByRole(AriaRole.Region, new() { Name = "Ihre nächsten bestätigten Termine" })
            .GetByRole(AriaRole.Listitem).Filter(new() { HasText = "läuft gerade" })
            .GetByRole(AriaRole.Link, new() { Name = "zum Termin mit Mond" });
        var href = await link.GetAttributeAsync("href");
        Assert.Matches(RoomUrl(), href!);
        return href!;
    }

    private static Regex RoomUrl() => new("/termine/[0-9a-f-]{36}/raum$");
}
