using System.Net;
using System.Text.RegularExpressions;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Lotse.Web.Tests;

/// <summary>Issue 7: the anonymous client's one-time recovery code, and the password reset by code or by e-mail link.</summary>
public abstract partial class SecurityPasswordResetTests(DatabaseKind kind) : WebTest(kind)
{
    private const string NewPassword = "ein ganz neuer langer Satz";
    private const string SameAnswer = "Wenn es zu dieser Adresse einen Zugang gibt, haben wir Ihnen eine E-Mail mit einem Link geschickt.";

    [Fact]
    public async Task Register_WithoutEmail_ShowsRecoveryCodeOnceStoredOnlyAsHash()
    {
        var code = await RegisterAsync("Leuchtturm");

        Assert.Matches("^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$", code);
        var stored = await WithDbAsync(db => db.AccountSecurity.AsNoTracking().Select(a => a.RecoveryCodeHash).SingleAsync());
        Assert.Equal(ClientRecoveryCodes.Hash(code), stored);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithEmail_NoRecoveryCodeButTheCounsellorList()
    {
        var response = await PostFormAsync(Browser(), "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = "Leuchtturm",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
            ["Input.Email"] = "leuchtturm@example.org",
        });

        Assert.Equal("/berater", response.Headers.Location?.OriginalString);
        Assert.Equal(0, await WithDbAsync(db => db.AccountSecurity.CountAsync(a => a.RecoveryCodeHash != null)));
    }

    [Fact]
    public async Task RecoverWithCode_RightCode_NewPasswordNewCodeOldSpentSessionsEnded()
    {
        var code = await RegisterAsync("Leuchtturm");
        var signedIn = await LoginAsync("Leuchtturm");

        var response = await RecoverAsync("Leuchtturm", code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), NewPassword);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Ihr Passwort ist geändert", html, StringComparison.Ordinal);
        var newCode = CodePattern().Match(html).Groups[1].Value;
        Assert.NotEqual(code, newCode);
        Assert.Equal(HttpStatusCode.Redirect, (await signedIn.GetAsync("/anfragen")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await LoginAsync("Leuchtturm", NewPassword)).GetAsync("/anfragen")).StatusCode);
        var oldPassword = await PostFormAsync(Browser(), "/anmelden", new Dictionary<string, string> { ["Input.Login"] = "Leuchtturm", ["Input.Password"] = Password });
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        var spent = await RecoverAsync("Leuchtturm", code, "noch ein anderer langer Satz");
        Assert.Contains("Nickname oder Wiederherstellungscode stimmen nicht.", await spent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Ihr Passwort ist geändert", await (await RecoverAsync("Leuchtturm", newCode, "noch ein anderer langer Satz")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverWithCode_UnknownNicknameOrWrongCode_SameAnswerAndNothingChanged()
    {
        var code = await RegisterAsync("Leuchtturm");
        var hashBefore = await WithDbAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync());

        var unknown = await (await RecoverAsync("Niemand", code, NewPassword)).Content.ReadAsStringAsync();
        var wrong = await (await RecoverAsync("Leuchtturm", "AAAA-BBBB-CCCC-DDDD-EEEE", NewPassword)).Content.ReadAsStringAsync();

        Assert.Contains("Nickname oder Wiederherstellungscode stimmen nicht.", unknown, StringComparison.Ordinal);
        Assert.Contains("Nickname oder Wiederherstellungscode stimmen nicht.", wrong, StringComparison.Ordinal);
        Assert.Equal(hashBefore, await WithDbAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync()));
        Assert.Equal(1, await WithDbAsync(db => db.Users.Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [Fact]
    public async Task RecoverWithCode_FiveWrongCodes_LockedEvenForTheRightCode()
    {
        var code = await RegisterAsync("Leuchtturm");
        for (var i = 0; i < 5; i++)
        {
            await RecoverAsync("Leuchtturm", "AAAA-BBBB-CCCC-DDDD-EEEE", NewPassword);
        }

        var right = await RecoverAsync("Leuchtturm", code, NewPassword);

        Assert.Contains("Nickname oder Wiederherstellungscode stimmen nicht.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoverWithCode_TooShortNewPassword_GermanMessageAndCodeNotSpent()
    {
        var code = await RegisterAsync("Leuchtturm");

        var response = await RecoverAsync("Leuchtturm", code, "zu kurz");

        Assert.Contains("Das „Neues Passwort“ muss 12 bis 128 Zeichen lang sein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Ihr Passwort ist geändert", await (await RecoverAsync("Leuchtturm", code, NewPassword)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetMail_KnownAndUnknownAddress_SameAnswerOneContentFreeMailWithALinkThatWorksOnce()
    {
        var anna = await AddCounsellorAsync("anna@test.lotse");
        var signedIn = await LoginAsync("anna@test.lotse");

        var unknown = await RequestMailAsync("niemand@test.lotse");
        var known = await RequestMailAsync("ANNA@test.lotse");

        Assert.Contains(SameAnswer, unknown, StringComparison.Ordinal);
        Assert.Equal(Normalize(unknown), Normalize(known));
        var mail = await SingleMailAsync();
        Assert.Equal("anna@test.lotse", mail.To.Mailboxes.Single().Address);
        Assert.Equal("Lotse: Passwort zurücksetzen", mail.Subject);
        var link = LinkPattern().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith("http://127.0.0.1:5080/passwort-neu?konto=", link, StringComparison.Ordinal);
        Assert.DoesNotContain("anna", (mail.TextBody ?? "").Replace(link, "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        var path = new Uri(link).PathAndQuery;
        var done = await PostFormAsync(Browser(), path, NewPasswordForm(), formPage: path);
        Assert.Contains("Ihr Passwort ist geändert.", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await signedIn.GetAsync("/posteingang")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await LoginAsync("anna@test.lotse", NewPassword)).GetAsync("/posteingang")).StatusCode);
        var again = await PostFormAsync(Browser(), path, NewPasswordForm("noch ein anderer langer Satz"), formPage: path);
        Assert.Contains("Der Link ist abgelaufen oder wurde schon benutzt.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(anna);
    }

    [Fact]
    public async Task ResetMail_LinkAfter30Minutes_Refused()
    {
        await AddCounsellorAsync("anna@test.lotse");
        await RequestMailAsync("anna@test.lotse");
        var path = new Uri(LinkPattern().Match((await SingleMailAsync()).TextBody ?? "").Value).PathAndQuery;

        App.Clock.Advance(TimeSpan.FromMinutes(31));
        var late = await PostFormAsync(Browser(), path, NewPasswordForm(), formPage: path);

        Assert.Contains("Der Link ist abgelaufen oder wurde schon benutzt.", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await (await LoginAsync("anna@test.lotse")).GetAsync("/posteingang")).StatusCode);
    }

    private async Task<string> RegisterAsync(string nickname)
    {
        var response = await PostFormAsync(Browser(), "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = nickname,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Bitte schreiben Sie diesen Code jetzt auf", html, StringComparison.Ordinal);
        return CodePattern().Match(html).Groups[1].Value;
    }

    private Task<HttpResponseMessage> RecoverAsync(string nickname, string code, string password) =>
        PostFormAsync(Browser(), "/passwort-vergessen/code", new Dictionary<string, string>
        {
            ["Input.Nickname"] = nickname,
            ["Input.RecoveryCode"] = code,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private async Task<string> RequestMailAsync(string email) =>
        await (await PostFormAsync(Browser(), "/passwort-vergessen", new Dictionary<string, string> { ["Input.Email"] = email })).Content.ReadAsStringAsync();

    private static Dictionary<string, string> NewPasswordForm(string password = NewPassword) =>
        new() { ["Input.Password"] = password, ["Input.ConfirmPassword"] = password };

    /// <summary>
    /// Waits (at most 10 s) for the reset mail, which is sent after the answer; exactly one must come. The mail drop
    /// writes a partial file and renames it to .eml, so the watched name appears only when the mail is complete.
    /// </summary>
    private async Task<MimeMessage> SingleMailAsync()
    {
        Directory.CreateDirectory(App.MailFolder);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(App.MailFolder, "*.eml");
        watcher.Created += (_, _) => arrived.TrySetResult();
        watcher.Renamed += (_, _) => arrived.TrySetResult();
        watcher.EnableRaisingEvents = true;
        if (Directory.GetFiles(App.MailFolder, "*.eml").Length == 0)
        {
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        return await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(App.MailFolder, "*.eml")));
    }

    /// <summary>The page without its antiforgery tokens, which differ per answer.</summary>
    private static string Normalize(string html) => TokenValue().Replace(html, "");

    [GeneratedRegex("data-testid=\"recovery-code\">([^<]+)<")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"http\S+/passwort-neu\?\S+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("value=\"CfDJ8[^\"]+\"")]
    private static partial Regex TokenValue();
}

public sealed class SecurityPasswordResetTestsOnSqlite() : SecurityPasswordResetTests(DatabaseKind.Sqlite);

public sealed class SecurityPasswordResetTestsOnPostgres() : SecurityPasswordResetTests(DatabaseKind.Postgres);
