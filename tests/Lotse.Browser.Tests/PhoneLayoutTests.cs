using Lotse.Browser.Tests.Infrastructure;
using Lotse.Web.Features.Accounts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lotse.Browser.Tests;

/// <summary>On a phone (390×844) no page needs sideways scrolling (read only).</summary>
public sealed class PhoneLayoutTests(BrowserFixture browser, LotseServer server) : BrowserTest(browser), IClassFixture<LotseServer>
{
    [Fact]
    public async Task PhoneLayout_ClientProfilePage_HasNoHorizontalScroll()
    {
        var page = await OpenSignedInAsync(server, DemoData.ClientNickname, viewport: Phone);
        await OpenCounsellorProfileAsync(page);
        await Expect(page.GetByTestId("channel-mail")).ToBeVisibleAsync();

        Assert.False(await ScrollsHorizontallyAsync(page), "The counsellor profile page scrolls sideways on a phone.");
    }

    [Fact]
    public async Task PhoneLayout_Dashboard_HasNoHorizontalScroll()
    {
        var page = await OpenSignedInAsync(server, DemoData.AnnaEmail, viewport: Phone);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Accountstatus" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "nur für Stammklient:innen anwählbar" })).ToBeVisibleAsync();

        Assert.False(await ScrollsHorizontallyAsync(page), "The dashboard scrolls sideways on a phone.");
    }
}
