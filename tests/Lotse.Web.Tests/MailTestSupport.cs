using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>
/// Base of the mail counselling tests: one agency ("Lotsenhaus") with its counsellors, and helpers that write requests
/// and follow-ups the way a browser does (the form's own request key and antiforgery token, then the post).
/// </summary>
public abstract partial class MailTestBase(DatabaseKind kind) : WebTest(kind)
{
    protected const string Anna = "anna@test.lotse";
    protected const string Ben = "ben@test.lotse";
    protected const string Carla = "carla@test.lotse";
    protected const string Mond = "Mond";
    protected const string Wolke = "Wolke7";

    protected static readonly AccountStatus Unlimited = new(false, ChatMode.Online, MailMode.Unlimited, 10);
    protected static readonly AccountStatus NoNewRequests = new(false, ChatMode.Online, MailMode.NoNewRequests, 10);

    protected static AccountStatus ByCapacity(int n) => new(false, ChatMode.Online, MailMode.ByCapacity, n);

    /// <summary>Connection strings whose PostgreSQL pools this test opened besides the app's own (see <see cref="DisposeAsync"/>).</summary>
    protected List<string> MoreConnectionStrings { get; } = [];

    /// <summary>Clears the pools of <see cref="MoreConnectionStrings"/> as the app factory clears its own (<see cref="LotseAppFactory.ClearPostgresPools"/>).</summary>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var connectionString in MoreConnectionStrings)
        {
            LotseAppFactory.ClearPostgresPools(connectionString);
        }
    }

    /// <summary>The form of a page as the browser got it: its antiforgery token and the key made when it was shown.</summary>
    protected sealed record ShownForm(string Token, Guid RequestKey);

    protected Task SetAgencyFallbackAsync(Agency agency, Counsellor? fallback) =>
        WithDbAsync(async db =>
        {
            var tracked = await db.Agencies.SingleAsync(a => a.Id == agency.Id);
            tracked.SetFallbackCounsellor(fallback?.Id);
            await db.SaveChangesAsync();
        });

    protected Task SetEmailAsync(Client client, string email) =>
        WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == client.UserId);
            user.Email = email;
            user.NormalizedEmail = email.ToUpperInvariant();
            await db.SaveChangesAsync();
        });

    protected async Task AddAdminAsync(string email, Agency agency)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(email) { Email = email };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Lotse.Web.Features.Accounts.Roles.AgencyAdmin)).Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<Lotse.Web.Data.LotseDb>();
        db.AgencyMemberships.Add(new AgencyMembership(agency.Id, user.Id));
        await db.SaveChangesAsync();
    }

    /// <summary>Opens "/anfragen/neu?{query}" as the browser does and returns what its form carries.</summary>
    protected static async Task<ShownForm> RequestFormAsync(HttpClient http, string query)
    {
        var html = await http.GetStringAsync("/anfragen/neu?" + query);
        return new ShownForm(Token(html), Key(RequestKeyPattern(), html));
    }

    protected static Task<HttpResponseMessage> PostRequestAsync(HttpClient http, string query, ShownForm form, string? subject, string? body) =>
        PostAsync(http, "/anfragen/neu?" + query, form.Token, new Dictionary<string, string>
        {
            ["Form.Subject"] = subject ?? "",
            ["Form.Body"] = body ?? "",
            ["Form.RequestKey"] = form.RequestKey.ToString(),
        });

    /// <summary>Writes a request through the page and returns the new thread's id (the page redirects to it).</summary>
    protected static async Task<Guid> SendRequestAsync(HttpClient http, string query, string subject = "Ich brauche Rat", string body = "Seit Wochen schlafe ich schlecht.")
    {
        var response = await PostRequestAsync(http, query, await RequestFormAsync(http, query), subject, body);
        return ThreadIdOf(response, "/anfragen/");
    }

    protected static Guid ThreadIdOf(HttpResponseMessage response, string prefix)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(prefix, location, StringComparison.Ordinal);
        return Guid.Parse(location[prefix.Length..]);
    }

    /// <summary>Opens a thread page (client: /anfragen/id, counsellor: /posteingang/id) and returns its reply form.</summary>
    protected static async Task<ShownForm> ReplyFormAsync(HttpClient http, string threadUrl)
    {
        var html = await http.GetStringAsync(threadUrl);
        return new ShownForm(Token(html), Key(ReplyKeyPattern(), html));
    }

    protected static Task<HttpResponseMessage> PostReplyAsync(HttpClient http, string threadUrl, ShownForm form, string? body) =>
        PostAsync(http, threadUrl + "?handler=Reply", form.Token, new Dictionary<string, string>
        {
            ["Reply.Body"] = body ?? "",
            ["Reply.RequestKey"] = form.RequestKey.ToString(),
        });

    protected static async Task ReplyAsync(HttpClient http, string threadUrl, string body)
    {
        var response = await PostReplyAsync(http, threadUrl, await ReplyFormAsync(http, threadUrl), body);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>A counsellor's step on a thread page (Take, Close, Archive).</summary>
    protected static async Task<HttpResponseMessage> StepAsync(HttpClient http, Guid threadId, string handler, string? formPage = null) =>
        await PostAsync(http, $"/posteingang/{threadId}?handler={handler}", await AntiforgeryTokenAsync(http, formPage ?? $"/posteingang/{threadId}"), new Dictionary<string, string>());

    protected static async Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string token, IDictionary<string, string> fields)
    {
        var all = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        using var content = new FormUrlEncodedContent(all);
        return await http.PostAsync(url, content);
    }

    /// <summary>What the routing handler does for one request, from a DI scope of its own (as one HTTP request would).</summary>
    protected async Task<MailRequestResult> SendThroughHandlerAsync(Guid clientId, MailAddressee to, string subject, string body, Guid requestKey, IServiceProvider? services = null)
    {
        await using var scope = (services ?? App.Services).CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SendMailRequest>().SendAsync(clientId, to, subject, body, requestKey, CancellationToken.None);
    }

    protected Task<MailThread> ThreadAsync(Guid id) =>
        WithDbAsync(db => db.MailThreads.AsNoTracking().SingleAsync(t => t.Id == id));

    protected Task<List<MailThread>> ThreadsAsync() =>
        WithDbAsync(db => db.MailThreads.AsNoTracking().ToListAsync());

    protected Task<List<MailMessage>> MessagesAsync(Guid? threadId = null) =>
        WithDbAsync(db => db.MailMessages.AsNoTracking().Where(m => threadId == null || m.ThreadId == threadId).OrderBy(m => m.Id).ToListAsync());

    protected Task<int> DispatchMailsAsync() =>
        App.Services.GetRequiredService<NotificationDispatcher>().DispatchDueAsync(CancellationToken.None);

    protected List<string> MailFiles() =>
        Directory.Exists(App.MailFolder) ? Directory.GetFiles(App.MailFolder, "*.eml").Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The thread ids of a mail list (inbox, queue, client list) in the order shown.</summary>
    protected static List<Guid> ListedThreads(string html) =>
        ListItemPattern().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    /// <summary>The list item of one thread (to look at its badges).</summary>
    protected static string ListItem(string html, Guid threadId)
    {
        var start = html.IndexOf($"data-thread=\"{threadId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Thread {threadId} is not listed.");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "No antiforgery token on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static Guid Key(Regex pattern, string html)
    {
        var match = pattern.Match(html);
        Assert.True(match.Success, "No request key in the form.");
        return Guid.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"Form.RequestKey\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex RequestKeyPattern();

    [GeneratedRegex("name=\"Reply.RequestKey\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex ReplyKeyPattern();

    [GeneratedRegex("data-testid=\"mail-list-item\" data-thread=\"([0-9a-f-]{36})\"")]
    private static partial Regex ListItemPattern();
}
