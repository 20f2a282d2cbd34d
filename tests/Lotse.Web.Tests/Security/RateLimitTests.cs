using System.Net;
using System.Text.Json;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests.Security;

/// <summary>
/// Login, registration, password reset and message sending are limited; the request over the limit gets 429, the German
/// page (or a ProblemDetails for scripts) saying how long to wait, and changes nothing. Limits here are low and the
/// window an hour, so that no test depends on timing.
/// </summary>
public abstract class RateLimitTests(DatabaseKind kind) : MailTestBase(kind)
{
    private const string Hour = "01:00:00";

    [Fact]
    public async Task Login_OverLimitPerAddress_GermanPageRetryAfterAndNoAttemptCounted()
    {
        await AddCounsellorAsync(Anna);
        var http = App.With(("RateLimits:Login:PermitLimit", "2"), ("RateLimits:Login:Window", Hour)).Browser();

        Assert.Equal(HttpStatusCode.OK, (await WrongLoginAsync(http, Anna)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WrongLoginAsync(http, "ben@test.lotse")).StatusCode);
        var refused = await WrongLoginAsync(http, Anna);

        await AssertTooManyPageAsync(refused, "60 Minuten", 3600);
        // The refused attempt never reached Identity: Anna has one failure, not two.
        Assert.Equal(1, await FailedAttemptsAsync(Anna));
    }

    [Fact]
    public async Task Login_OverLimitPerLoginName_RefusedForThatNameOnly()
    {
        await AddCounsellorAsync(Anna);
        await AddCounsellorAsync(Ben);
        var http = App.With(("RateLimits:LoginName:PermitLimit", "2"), ("RateLimits:LoginName:Window", Hour)).Browser();

        await WrongLoginAsync(http, Anna);
        // Case and spaces do not make it another name.
        await WrongLoginAsync(http, " ANNA@test.lotse ");
        var refused = await WrongLoginAsync(http, Anna);
        var other = await WrongLoginAsync(http, Ben);

        await AssertTooManyPageAsync(refused, "60 Minuten", 3600);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(2, await FailedAttemptsAsync(Anna));
    }

    [Fact]
    public async Task SecondFactor_CodesOverLimit_GermanPageAndNoAttemptCounted()
    {
        await AddCounsellorAsync(Anna);
        var http = App.With(("RateLimits:SecondFactor:PermitLimit", "1"), ("RateLimits:SecondFactor:Window", Hour)).Browser();
        var passwordStep = await PostFormAsync(http, "/anmelden", new Dictionary<string, string> { ["Input.Login"] = Anna, ["Input.Password"] = Password });
        Assert.Equal(Lotse.Web.Features.Accounts.LoginCodeModel.Path, passwordStep.Headers.Location?.OriginalString);

        var wrong = await PostFormAsync(http, Lotse.Web.Features.Accounts.LoginCodeModel.Path, new Dictionary<string, string> { ["Input.Code"] = "000000" });
        var refused = await PostFormAsync(http, Lotse.Web.Features.Accounts.LoginCodeModel.Path, new Dictionary<string, string> { ["Input.Code"] = "111111" });

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        await AssertTooManyPageAsync(refused, "60 Minuten", 3600);
        // The refused code never reached Identity: one failure, from the first code.
        Assert.Equal(1, await FailedAttemptsAsync(Anna));
    }

    [Fact]
    public async Task Login_OverLimitFromScript_ProblemDetailsInGerman()
    {
        var http = App.With(("RateLimits:Login:PermitLimit", "1"), ("RateLimits:Login:Window", Hour)).Browser();
        await WrongLoginAsync(http, Anna);

        var refused = await WrongLoginAsync(http, Anna, new Dictionary<string, string> { ["X-Requested-With"] = "fetch" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Zu viele Versuche", problem.RootElement.GetProperty("title").GetString());
        Assert.Contains("Bitte warten Sie 60 Minuten", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_ShowingTheForm_NeverLimited()
    {
        var http = App.With(("RateLimits:Login:PermitLimit", "1"), ("RateLimits:LoginName:PermitLimit", "1")).Browser();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/anmelden")).StatusCode);
        }
    }

    [Fact]
    public async Task Register_OverLimit_GermanPageAndNoAccount()
    {
        var app = App.With(("RateLimits:Registration:PermitLimit", "1"), ("RateLimits:Registration:Window", Hour));

        var accepted = await RegisterAsync(app.Browser(), "Leuchtturm");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("Ihr Wiederherstellungscode", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refused = await RegisterAsync(app.Browser(), "Nebelhorn");

        await AssertTooManyPageAsync(refused, "60 Minuten", 3600);
        Assert.Equal(["Leuchtturm"], await WithDbAsync(db => db.Clients.Select(c => c.Nickname).ToListAsync()));
        Assert.Equal(1, await WithDbAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [InlineData("/passwort-vergessen")]
    [InlineData("/passwort-vergessen/code")]
    [InlineData("/passwort-neu")]
    public async Task PasswordReset_PagesOverLimit_GermanPageAndRetryAfter(string page)
    {
        var app = App.With(("RateLimits:PasswordReset:PermitLimit", "1"), ("RateLimits:PasswordReset:Window", "00:15:00"));
        var browser = app.Browser();

        var first = await PostFormAsync(browser, page, new Dictionary<string, string>(), formPage: "/anmelden");
        var refused = await PostFormAsync(browser, page, new Dictionary<string, string>(), formPage: "/anmelden");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        await AssertTooManyPageAsync(refused, "15 Minuten", 900);
    }

    [Fact]
    public async Task MailRequest_OverLimitPerUser_GermanPageAndNothingStored()
    {
        var anna = await AddCounsellorAsync(Anna, Unlimited, await AddAgencyAsync("Lotsenhaus"));
        await AddClientAsync(Mond);
        await AddClientAsync(Wolke);
        var app = App.With(("RateLimits:Messages:PermitLimit", "2"), ("RateLimits:Messages:Window", Hour));
        var mond = await SignInAsync(app, Mond);
        var wolke = await SignInAsync(app, Wolke);
        var query = $"berater={anna.Id}";

        var thread = ThreadIdOf(await PostRequestAsync(mond, query, await RequestFormAsync(mond, query), "Erste Anfrage", "Text eins"), "/anfragen/");
        await ReplyAsync(mond, $"/anfragen/{thread}", "Eine Nachfrage");
        var refusedRequest = await PostRequestAsync(mond, query, await RequestFormAsync(mond, query), "Zweite Anfrage", "Text zwei");
        var refusedReply = await PostReplyAsync(mond, $"/anfragen/{thread}", await ReplyFormAsync(mond, $"/anfragen/{thread}"), "Noch eine Nachfrage");
        // Another person is not affected: the limit is per user.
        var other = await PostRequestAsync(wolke, query, await RequestFormAsync(wolke, query), "Meine Anfrage", "Text von Wolke");

        await AssertTooManyPageAsync(refusedRequest, "60 Minuten", 3600);
        await AssertTooManyPageAsync(refusedReply, "60 Minuten", 3600);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        var subjects = (await ThreadsAsync()).Select(t => t.Subject).Order().ToList();
        Assert.Equal(["Erste Anfrage", "Meine Anfrage"], subjects);
        Assert.Equal(2, (await MessagesAsync(thread)).Count);
    }

    [Fact]
    public async Task CounsellorSteps_NotMessages_NotLimited()
    {
        var agency = await AddAgencyAsync("Lotsenhaus");
        var anna = await AddCounsellorAsync(Anna, Unlimited, agency);
        await AddClientAsync(Mond);
        var app = App.With(("RateLimits:Messages:PermitLimit", "1"), ("RateLimits:Messages:Window", Hour));
        var mond = await SignInAsync(app, Mond);
        var counsellor = await SignInAsync(app, Anna);
        var thread = await SendRequestAsync(mond, $"berater={anna.Id}");
        await ReplyAsync(counsellor, $"/posteingang/{thread}", "Danke für Ihre Nachricht.");

        // Closing is not sending: it passes although Anna's one message in the window is used up.
        var close = await StepAsync(counsellor, thread, "Close");

        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
    }

    private static async Task<HttpClient> SignInAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string login)
    {
        var http = app.Browser();
        var response = await SignInThroughFormAsync(app, http, login);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    private static Task<HttpResponseMessage> WrongLoginAsync(HttpClient http, string login, IDictionary<string, string>? headers = null) =>
        PostFormAsync(http, "/anmelden", new Dictionary<string, string>
        {
            ["Input.Login"] = login,
            ["Input.Password"] = "falsches Passwort!",
        }, headers: headers);

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string nickname) =>
        PostFormAsync(http, "/registrieren", new Dictionary<string, string>
        {
            ["Input.Nickname"] = nickname,
            ["Input.Password"] = "ein langer Satz als Passwort",
            ["Input.ConfirmPassword"] = "ein langer Satz als Passwort",
        });

    private Task<int> FailedAttemptsAsync(string userName) =>
        WithDbAsync(async db => (await db.Users.SingleAsync(u => u.UserName == userName)).AccessFailedCount);

    private static async Task AssertTooManyPageAsync(HttpResponseMessage response, string wait, int retryAfterSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Retry-After"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Zu viele Versuche</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"Ihre Eingabe wurde nicht übernommen. Bitte warten Sie {wait} und versuchen Sie es dann noch einmal.", html, StringComparison.Ordinal);
    }
}

public sealed class RateLimitTestsOnSqlite() : RateLimitTests(DatabaseKind.Sqlite);

public sealed class RateLimitTestsOnPostgres() : RateLimitTests(DatabaseKind.Postgres);
