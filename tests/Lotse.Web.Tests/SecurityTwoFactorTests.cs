using System.Net;
using System.Text.RegularExpressions;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>Issue 7: the second factor (TOTP), mandatory for staff, optional for clients, every code usable once.</summary>
public abstract partial class SecurityTwoFactorTests(DatabaseKind kind) : WebTest(kind)
{
    private const string Anna = "anna@test.lotse";

    [Fact]
    public async Task Login_CounsellorPasswordOnly_AsksForCodeAndIsNotSignedInYet()
    {
        await AddCounsellorAsync(Anna);
        var http = Browser();

        var response = await PasswordAsync(http, Anna);

        Assert.Equal("/anmelden/code", response.Headers.Location?.OriginalString);
        Assert.Contains("/anmelden", (await http.GetAsync("/posteingang")).Headers.Location?.OriginalString, StringComparison.Ordinal);
        var code = await CodeAsync(http, await TotpCodes.NextAsync(App.Services, Anna));
        Assert.Equal("/", code.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task LoginCode_SameCodeTwice_SecondRefused()
    {
        await AddCounsellorAsync(Anna);
        var code = await TotpCodes.NextAsync(App.Services, Anna);
        var first = Browser();
        await PasswordAsync(first, Anna);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeAsync(first, code)).StatusCode);

        var second = Browser();
        await PasswordAsync(second, Anna);
        var again = await CodeAsync(second, code);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Der Code stimmt nicht oder wurde schon benutzt.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("/anmelden", (await second.GetAsync("/posteingang")).Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginCode_EarlierStepAfterLaterOne_Refused()
    {
        await AddCounsellorAsync(Anna);
        var key = await KeyAsync(Anna);
        var now = Totp.StepAt(App.Clock.GetUtcNow());
        var first = Browser();
        await PasswordAsync(first, Anna);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeAsync(first, TotpCodes.CodeAt(key, now + 1))).StatusCode);

        var second = Browser();
        await PasswordAsync(second, Anna);
        var earlier = await CodeAsync(second, TotpCodes.CodeAt(key, now));

        Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        Assert.Contains("Der Code stimmt nicht oder wurde schon benutzt.", await earlier.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginCode_FollowsTheAppsClock_CodeOfLaterMinuteOnlyThen()
    {
        await AddCounsellorAsync(Anna);
        var key = await KeyAsync(Anna);
        var later = Totp.StepAt(App.Clock.GetUtcNow().AddMinutes(10));
        var http = Browser();
        await PasswordAsync(http, Anna);

        var tooEarly = await CodeAsync(http, TotpCodes.CodeAt(key, later));
        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await PasswordAsync(http, Anna);
        var onTime = await CodeAsync(http, TotpCodes.CodeAt(key, later));

        Assert.Equal(HttpStatusCode.OK, tooEarly.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, onTime.StatusCode);
    }

    [Theory]
    [InlineData(Roles.Counsellor)]
    [InlineData(Roles.AgencyAdmin)]
    public async Task Enrolment_StaffWithoutSecondFactor_ReachesNothingElseUntilDone(string role)
    {
        await AddStaffWithoutSecondFactorAsync("neu@test.lotse", role);
        var http = Browser();

        var password = await PasswordAsync(http, "neu@test.lotse");
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);

        // Everything but the enrolment sends them there (pages) or refuses (hubs, scripts, forms).
        foreach (var page in new[] { "/", "/berater", "/posteingang", "/abwesenheiten/team", "/benachrichtigungen", "/konto/sicherheit" })
        {
            var response = await http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(AccountSecuritySetup.EnrolPath, response.Headers.Location?.OriginalString);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/einstellungen/mailberatung", null)).StatusCode);

        var enrolPage = await http.GetStringAsync(AccountSecuritySetup.EnrolPath);
        Assert.Contains("Zum Schutz der Beratungsinhalte brauchen alle Mitarbeitenden eine Zwei-Faktor-Anmeldung.", enrolPage, StringComparison.Ordinal);
        Assert.Contains($"src=\"{WebUtility.HtmlEncode(TwoFactorSetupModel.QrPath)}\"", enrolPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", enrolPage.Split("<main")[1].Split("</main>")[0], StringComparison.Ordinal);
        var qr = await http.GetAsync(TwoFactorSetupModel.QrPath);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        Assert.True(qr.Headers.CacheControl?.NoStore);
        var shownKey = KeyPattern().Match(enrolPage).Groups[1].Value;
        Assert.Equal(await KeyAsync("neu@test.lotse"), shownKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());

        var wrong = await PostFormAsync(http, AccountSecuritySetup.EnrolPath, new Dictionary<string, string> { ["Input.Code"] = "000000" == TotpCodes.CodeAt(shownKey, Totp.StepAt(App.Clock.GetUtcNow())) ? "111111" : "000000" });
        Assert.Contains("Der Code stimmt nicht.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var done = await PostFormAsync(http, AccountSecuritySetup.EnrolPath, new Dictionary<string, string>
        {
            ["Input.Code"] = TotpCodes.CodeAt(shownKey, Totp.StepAt(App.Clock.GetUtcNow())),
        });

        var html = await done.Content.ReadAsStringAsync();
        Assert.True(done.Headers.CacheControl?.NoStore);
        Assert.Equal(TwoFactorSetupModel.RecoveryCodeCount, RecoveryCodes(html).Count);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(role == Roles.Counsellor ? "/" : "/abwesenheiten/team")).StatusCode);
        // Once it is on, the key is not shown again: a stolen session could not copy the authenticator.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(TwoFactorSetupModel.QrPath)).StatusCode);
        Assert.DoesNotContain(shownKey, await http.GetStringAsync(AccountSecuritySetup.EnrolPath), StringComparison.Ordinal);
        // The next sign-in asks for a code.
        Assert.Equal("/anmelden/code", (await PasswordAsync(Browser(), "neu@test.lotse")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnceAndIsStoredOnlyAsHash()
    {
        await AddStaffWithoutSecondFactorAsync("neu@test.lotse", Roles.Counsellor);
        var codes = RecoveryCodes(await EnrolThroughPageAsync("neu@test.lotse"));
        var tokens = await WithDbAsync(db => db.UserTokens.AsNoTracking().Select(t => t.Value).ToListAsync());
        Assert.DoesNotContain(tokens, value => value != null && codes.Any(c => value.Contains(c, StringComparison.OrdinalIgnoreCase)));

        var first = Browser();
        await PasswordAsync(first, "neu@test.lotse");
        var used = await CodeAsync(first, codes[0]);
        var second = Browser();
        await PasswordAsync(second, "neu@test.lotse");
        var reused = await CodeAsync(second, codes[0]);

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
        Assert.Contains("Der Code stimmt nicht oder wurde schon benutzt.", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Noch gültige Wiederherstellungscodes: 9", await first.GetStringAsync("/konto/sicherheit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_SecondFactorOptional_OnThenAskedThenOffWithPassword()
    {
        await AddClientAsync("Mond");
        var http = await LoginAsync("Mond");
        Assert.Contains("Ausgeschaltet.", await http.GetStringAsync("/konto/sicherheit"), StringComparison.Ordinal);

        var enrolPage = await http.GetStringAsync(AccountSecuritySetup.EnrolPath);
        Assert.DoesNotContain("brauchen alle Mitarbeitenden", enrolPage, StringComparison.Ordinal);
        var enrolled = await PostFormAsync(http, AccountSecuritySetup.EnrolPath, new Dictionary<string, string>
        {
            ["Input.Code"] = await TotpCodes.NextAsync(App.Services, "Mond"),
        });
        Assert.Equal(TwoFactorSetupModel.RecoveryCodeCount, RecoveryCodes(await enrolled.Content.ReadAsStringAsync()).Count);
        Assert.Equal("/anmelden/code", (await PasswordAsync(Browser(), "Mond")).Headers.Location?.OriginalString);

        var wrongPassword = await PostFormAsync(http, "/konto/sicherheit?handler=Off", new Dictionary<string, string> { ["Input.Password"] = "nicht das Passwort" }, formPage: "/konto/sicherheit");
        Assert.Contains("Das Passwort stimmt nicht.", await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var off = await PostFormAsync(http, "/konto/sicherheit?handler=Off", new Dictionary<string, string> { ["Input.Password"] = Password }, formPage: "/konto/sicherheit");

        Assert.Contains("Die Zwei-Faktor-Anmeldung ist ausgeschaltet.", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/", (await PasswordAsync(Browser(), "Mond")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SecuritySettings_Staff_CannotSwitchSecondFactorOff()
    {
        await AddCounsellorAsync(Anna);
        var http = await LoginAsync(Anna);

        var page = await http.GetStringAsync("/konto/sicherheit");
        var off = await PostFormAsync(http, "/konto/sicherheit?handler=Off", new Dictionary<string, string> { ["Input.Password"] = Password }, formPage: "/konto/sicherheit");

        Assert.Contains("Pflicht", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, off.StatusCode);
        Assert.Equal("/anmelden/code", (await PasswordAsync(Browser(), Anna)).Headers.Location?.OriginalString);
    }

    private static Task<HttpResponseMessage> PasswordAsync(HttpClient http, string login) =>
        PostFormAsync(http, "/anmelden", new Dictionary<string, string> { ["Input.Login"] = login, ["Input.Password"] = Password });

    private static Task<HttpResponseMessage> CodeAsync(HttpClient http, string code) =>
        PostFormAsync(http, "/anmelden/code", new Dictionary<string, string> { ["Input.Code"] = code });

    /// <summary>Signs in with the password (they are sent to enrolment) and enrols through the page; returns its HTML.</summary>
    private async Task<string> EnrolThroughPageAsync(string login)
    {
        var http = Browser();
        await PasswordAsync(http, login);
        await http.GetStringAsync(AccountSecuritySetup.EnrolPath);
        var done = await PostFormAsync(http, AccountSecuritySetup.EnrolPath, new Dictionary<string, string> { ["Input.Code"] = await TotpCodes.NextAsync(App.Services, login) });
        return await done.Content.ReadAsStringAsync();
    }

    private async Task AddStaffWithoutSecondFactorAsync(string email, string role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(email) { Email = email };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        if (role == Roles.Counsellor)
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            db.Counsellors.Add(new Lotse.Domain.Accounts.Counsellor(Guid.NewGuid(), user.Id, "Neu"));
            await db.SaveChangesAsync();
        }
    }

    private async Task<string> KeyAsync(string login)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return (await users.GetAuthenticatorKeyAsync((await users.FindByNameAsync(login))!))!;
    }

    private static List<string> RecoveryCodes(string html)
    {
        var list = Regex.Match(html, "data-testid=\"recovery-codes\">(.*?)</ul>", RegexOptions.Singleline);
        return [.. Regex.Matches(list.Groups[1].Value, "<li>([^<]+)</li>").Select(m => m.Groups[1].Value.Trim())];
    }

    [GeneratedRegex("data-testid=\"authenticator-key\">([^<]+)<")]
    private static partial Regex KeyPattern();
}

public sealed class SecurityTwoFactorTestsOnSqlite() : SecurityTwoFactorTests(DatabaseKind.Sqlite);

public sealed class SecurityTwoFactorTestsOnPostgres() : SecurityTwoFactorTests(DatabaseKind.Postgres);
