using System.Net;
using System.Text.RegularExpressions;
using Lotse.Web.Infrastructure;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests;

/// <summary>
/// Decision 16 across instances: a counsellor's dashboard remembered on instance A shows a change saved on instance B
/// (same database, same Redis, channels of this test's own), and a sign-out on B reaches A's remembered session check.
/// </summary>
public abstract partial class DashboardAcrossInstancesTests(DatabaseKind kind, RedisServer redis) : WebTest(kind)
{
    private const string Anna = "anna@test.lotse";

    private readonly RedisInstances _instances = new(redis);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _instances.StopAllAsync();
    }

    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => _instances.First(databaseKind);

    [Fact]
    public async Task StatusChangedOnB_PageRememberedOnAShowsIt()
    {
        await AddCounsellorAsync(Anna);
        var (onA, onB) = await SignedInOnBothAsync();
        var a = App.Services.GetRequiredService<ChangeStamps>();
        Assert.True(a.Reliable);
        await RememberedAsync(onA);

        var before = a.Now;
        var saved = await PostFormAsync(onB, "/?handler=Status", new Dictionary<string, string>
        {
            ["Status.RegularClientsOnly"] = "false",
            ["Status.Chat"] = "NotReachable",
            ["Status.Mail"] = "Unlimited",
        }, formPage: "/");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.True(SpinWait.SpinUntil(() => a.Now > before, TimeSpan.FromSeconds(10)), "Instance A never heard of the change.");

        Assert.Equal("NotReachable", CheckedChatPattern().Match(await onA.GetStringAsync("/")).Groups[1].Value);
    }

    [Fact]
    public async Task SignedOutOnB_RememberedSessionOnARefusedAtOnce()
    {
        await AddCounsellorAsync(Anna);
        var (onA, onB) = await SignedInOnBothAsync();
        await RememberedAsync(onA);
        var sessions = App.Services.GetRequiredService<Lotse.Web.Features.Security.SessionCache>();
        var sessionId = await WithDbAsync(db => db.UserSessions.Select(s => s.Id).SingleAsync());
        Assert.True(sessions.TryGet(sessionId, out _));

        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(onB, "/abmelden", new Dictionary<string, string>(), formPage: "/")).StatusCode);
        Assert.True(SpinWait.SpinUntil(() => !sessions.TryGet(sessionId, out _), TimeSpan.FromSeconds(10)), "Instance A still trusts the ended session.");

        var html = await onA.GetStringAsync("/");
        Assert.DoesNotContain("Accountstatus", html, StringComparison.Ordinal);
        Assert.Contains("Willkommen bei Lotse", html, StringComparison.Ordinal);
    }

    /// <summary>Two browsers' worth of the same cookie jar: one talks to A, one to B.</summary>
    private async Task<(HttpClient OnA, HttpClient OnB)> SignedInOnBothAsync()
    {
        var b = _instances.StartAnother(App);
        var cookies = new CookieContainer();
        var onA = App.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInThroughFormAsync(App, onA, Anna)).StatusCode);
        var onB = b.CreateDefaultClient(LotseAppFactory.HttpsBase, new CookieContainerHandler(cookies));
        return (onA, onB);
    }

    /// <summary>Looks until the page comes from memory (the same antiforgery token twice: a rendering makes a new one).</summary>
    private static async Task RememberedAsync(HttpClient http)
    {
        await http.GetStringAsync("/");
        var rendered = await http.GetStringAsync("/");
        Assert.Equal(AntiforgeryTokenIn(rendered, "/"), AntiforgeryTokenIn(await http.GetStringAsync("/"), "/"));
    }

    [GeneratedRegex("name=\"Status.Chat\" value=\"(\\w+)\" checked=\"checked\"")]
    private static partial Regex CheckedChatPattern();
}

[Collection(SharedRedis.Name)]
public sealed class DashboardAcrossInstancesTestsOnSqlite(RedisServer redis) : DashboardAcrossInstancesTests(DatabaseKind.Sqlite, redis);
