using System.Net;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests.Security;

/// <summary>12 to 128 characters, no composition rules, not a common password, not the login name; German messages.</summary>
public abstract class PasswordPolicyTests(DatabaseKind kind) : WebTest(kind)
{
    private const string CommonMessage = "Dieses Passwort ist sehr verbreitet und leicht zu erraten. Bitte wählen Sie im Feld „Passwort“ ein anderes";

    [Theory]
    [InlineData("123qweasdzxc")] // from the SecLists list
    [InlineData("QwertyQwerty")] // case does not matter
    [InlineData("Passwort12345")] // Lotse's German additions
    public async Task Register_CommonPassword_RefusedWithMessageAndNothingStored(string password)
    {
        var response = await RegisterAsync("Leuchtturm", password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(CommonMessage, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await WithDbAsync(db => db.Clients.CountAsync()));
    }

    [Fact]
    public async Task Register_129Characters_RefusedWithMessageAndNothingStored()
    {
        var response = await RegisterAsync("Leuchtturm", new string('x', 104) + " ein langer Satz dahinter");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Das „Passwort“ muss 12 bis 128 Zeichen lang sein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Register_PasswordIsTheNickname_RefusedWithMessage()
    {
        var response = await RegisterAsync("Leuchtturm.Nord", "leuchtturm.nord");

        Assert.Contains("Das Passwort darf nicht Ihr Nickname oder Ihre E-Mail-Adresse sein.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Register_LongUncommonPassphrase_Accepted()
    {
        var response = await RegisterAsync("Leuchtturm", "mein kleiner grüner Kaktus steht draußen am Balkon");

        // Registered without an e-mail address: the answer is the page with the one-time recovery code.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ihr Wiederherstellungscode", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await WithDbAsync(db => db.Clients.CountAsync()));
    }

    /// <summary>Staff accounts and (later) password resets go through Identity, not the registration form: the cap holds there too.</summary>
    [Fact]
    public async Task Identity_129Characters_RefusedAnd128Accepted()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();

        var tooLong = await users.CreateAsync(new IdentityUser("anna@test.lotse"), new string('a', 64) + new string('b', 65));
        var longest = await users.CreateAsync(new IdentityUser("ben@test.lotse"), new string('a', 64) + new string('b', 64));

        Assert.Equal([CommonPasswordValidator.TooLong], tooLong.Errors.Select(e => e.Code));
        Assert.Equal("Das Passwort darf höchstens 128 Zeichen lang sein.", Assert.Single(tooLong.Errors).Description);
        Assert.True(longest.Succeeded);
        Assert.Equal(["ben@test.lotse"], await WithDbAsync(db => db.Users.Select(u => u.UserName!).ToListAsync()));
    }

    [Fact]
    public async Task Identity_EmailAsPassword_Refused()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();

        var result = await users.CreateAsync(new IdentityUser("anna.b") { Email = "anna.berger@test.lotse" }, "Anna.Berger@test.lotse");

        Assert.Equal([CommonPasswordValidator.SameAsLogin], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void CommonPasswords_ShippedList_HoldsTheLongEntriesOfTheSource()
    {
        var list = App.Services.GetRequiredService<CommonPasswords>();

        Assert.True(list.Count > 40_000, $"Only {list.Count} common passwords are embedded.");
        Assert.True(list.Contains("1QAZ2WSX3EDC"));
        Assert.False(list.Contains(Password));
    }

    private Task<HttpResponseMessage> RegisterAsync(string nickname, string password) =>
        PostFormAsync(Browser(), "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = nickname,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
}

public sealed class PasswordPolicyTestsOnSqlite() : PasswordPolicyTests(DatabaseKind.Sqlite);

public sealed class PasswordPolicyTestsOnPostgres() : PasswordPolicyTests(DatabaseKind.Postgres);
