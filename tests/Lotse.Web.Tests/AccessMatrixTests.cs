using System.Net;
using System.Reflection;
using System.Text;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Domain.Chat;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Mail;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static Lotse.Web.Tests.AccessMatrix;

namespace Lotse.Web.Tests;

/// <summary>
/// The access-control matrix (issue 7): every page handler, endpoint and hub method of the app, called as each kind of
/// caller against resources that belong to client A and counsellor A. The expected answer of each caller is written
/// down in <see cref="AccessMatrix"/>; an endpoint or hub method that the app has and the matrix does not (or the
/// other way round) fails <see cref="Matrix_ListsEveryEndpointAndHubMethod"/>, so nothing new goes in unreviewed.
/// </summary>
public sealed class AccessMatrixTests() : ChatTestBase(DatabaseKind.Sqlite)
{
    private const string AdminA = "admin@a.test.lotse";
    private const string PlatformAdmin = "plattform@test.lotse";
    private const string CounsellorB = "bert@b.test.lotse";

    private static readonly AccountStatus Open = new(false, ChatMode.Online, MailMode.Unlimited, 10);

    private readonly Dictionary<Caller, CookieContainer?> _cookies = [];
    private Fixture _people = null!;

    [Fact]
    public void Matrix_ListsEveryEndpointAndHubMethod()
    {
        var inApp = EndpointsOfTheApp();
        var listed = Pages.Select(r => r.Key).Concat(Hubs.Select(h => h.Key)).ToHashSet();

        var missing = inApp.Except(listed).Order().ToList();
        var stale = listed.Except(inApp).Order().ToList();

        Assert.True(missing.Count == 0, "Endpoints without an entry in AccessMatrix: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Entries in AccessMatrix without an endpoint: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task PagesAndEndpoints_EachCaller_GetsTheExpectedAnswer()
    {
        await ArrangePeopleAsync();
        var wrong = new List<string>();
        var index = 0;
        foreach (var row in Pages)
        {
            foreach (var caller in Callers)
            {
                // Fresh resources for every call: a call that is allowed may change or delete them.
                var resources = await ArrangeResourcesAsync(index++);
                var seen = await CallAsync(caller, row, resources);
                if (row.Template == "/abmelden" && caller != Caller.Anonymous)
                {
                    // Signing out was the point of the call: sign in again for the rows that follow.
                    _cookies[caller] = await SignInAsync(App, UserName(caller));
                }

                if (seen != row.Expected[caller])
                {
                    wrong.Add($"{row.Key} as {caller}: expected {row.Expected[caller]}, got {seen}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task HubMethods_EachCaller_GetsTheExpectedAnswer()
    {
        await ArrangePeopleAsync();
        var wrong = new List<string>();
        var index = 0;
        foreach (var row in Hubs)
        {
            foreach (var caller in Callers)
            {
                var resources = await ArrangeResourcesAsync(index++);
                var seen = await InvokeAsync(caller, row, resources);
                if (seen != row.Expected[caller])
                {
                    wrong.Add($"{row.Key} as {caller}: expected {row.Expected[caller]}, got {seen}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>"GET /path", "POST /path?handler=Name" for every page handler and endpoint; "HUB /hubs/x Method" for every hub method.</summary>
    private HashSet<string> EndpointsOfTheApp()
    {
        var keys = new HashSet<string>();
        var loader = App.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            if (pattern.Contains(":file}", StringComparison.Ordinal))
            {
                // Static files (and the development-time fallback for them) carry no data of anyone.
                continue;
            }

            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = loader.LoadAsync(page, endpoint.Metadata).GetAwaiter().GetResult();
                foreach (var handler in compiled.HandlerMethods)
                {
                    keys.Add($"{handler.HttpMethod.ToUpperInvariant()} {pattern}" + (handler.Name is null ? "" : $"?handler={handler.Name}"));
                }
            }
            else if (endpoint.Metadata.GetMetadata<HubMetadata>() is { } hub)
            {
                if (pattern.EndsWith("/negotiate", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var method in hub.HubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    if (method.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync)))
                    {
                        keys.Add($"HUB {pattern} {method.Name}");
                    }
                }
            }
            else if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods && !IsStaticAsset(endpoint))
            {
                foreach (var method in methods.HttpMethods)
                {
                    keys.Add($"{method} {pattern}");
                }
            }
        }

        return keys;
    }

    private static bool IsStaticAsset(Endpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().FullName == "Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor");

    private async Task ArrangePeopleAsync()
    {
        var agencyA = await AddAgencyAsync("Beratungsstelle A");
        var agencyB = await AddAgencyAsync("Beratungsstelle B");
        var anna = await AddCounsellorAsync(Anna, Open, agencyA);
        var bert = await AddCounsellorAsync(CounsellorB, Open, agencyB);
        await AddAdminAsync(AdminA, Roles.AgencyAdmin, agencyA);
        await AddAdminAsync(PlatformAdmin, Roles.PlatformAdmin, agency: null);
        var mond = await AddClientAsync(Mond);
        var wolke = await AddClientAsync(Wolke);
        await RelateAsync(anna, mond, regular: true);
        _people = new Fixture(agencyA, anna, bert, mond, wolke);
        foreach (var caller in Callers)
        {
            _cookies[caller] = caller == Caller.Anonymous ? null : await SignInAsync(App, UserName(caller));
        }
    }

    private static string UserName(Caller caller) => caller switch
    {
        Caller.ClientA => Mond,
        Caller.ClientB => Wolke,
        Caller.CounsellorA => Anna,
        Caller.CounsellorB => CounsellorB,
        Caller.AdminA => AdminA,
        Caller.PlatformAdmin => PlatformAdmin,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private Task AddAdminAsync(string email, string role, Agency? agency) =>
        WithDbAsync(async db =>
        {
            await using var scope = App.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var user = new Microsoft.AspNetCore.Identity.IdentityUser(email) { Email = email };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            if (agency is not null)
            {
                db.AgencyMemberships.Add(new AgencyMembership(agency.Id, user.Id));
            }

            await db.SaveChangesAsync();
        });

    /// <summary>What belongs to client A and counsellor A: a mail request, a chat, a confirmed appointment about to begin, an absence.</summary>
    private async Task<Resources> ArrangeResourcesAsync(int index)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var sent = await scope.ServiceProvider.GetRequiredService<SendMailRequest>().SendAsync(
            _people.ClientA.Id, new MailAddressee(_people.CounsellorA.Id, null), "Betreff", "Text der Anfrage", Guid.NewGuid(), CancellationToken.None);
        var threadId = Assert.IsType<MailRequestSent>(sent).ThreadId;
        var start = Now.AddMinutes(5).AddSeconds(index);
        var appointment = new Appointment(Guid.NewGuid(), _people.CounsellorA.Id, _people.ClientA.Id, AppointmentChannel.Video, start, start.AddMinutes(50), null);
        appointment.Confirm();
        var absenceStart = Now.AddDays(2).AddHours(2 * index);
        var absence = new Absence(Guid.NewGuid(), _people.CounsellorA.Id, absenceStart, absenceStart.AddHours(1), "Urlaub", "anna", Now);
        var window = new BookingHours(Guid.NewGuid(), _people.CounsellorA.Id, DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video);
        var block = new BookingBlock(Guid.NewGuid(), _people.CounsellorA.Id, DateOnly.FromDateTime(absenceStart).AddDays(30), null, null);
        await WithDbAsync(async db =>
        {
            foreach (var open in db.Conversations.Where(c => c.ClosedUtc == null))
            {
                open.Close(Now);
            }

            db.Appointments.Add(appointment);
            db.Absences.Add(absence);
            db.BookingHours.Add(window);
            db.BookingBlocks.Add(block);
            db.Conversations.Add(new Conversation(Guid.NewGuid(), _people.CounsellorA.Id, _people.ClientA.Id, Now));
            await db.SaveChangesAsync();
        });
        var conversationId = await WithDbAsync(db => Task.FromResult(db.Conversations.Single(c => c.ClosedUtc == null).Id));
        return new Resources(_people.AgencyA.Id, _people.CounsellorA.Id, _people.CounsellorB.Id, _people.ClientA.Id, threadId, conversationId, appointment.Id, absence.Id, window.Id, block.Id);
    }

    private async Task<Outcome> CallAsync(Caller caller, PageRow row, Resources resources)
    {
        var cookies = _cookies[caller] ?? new CookieContainer();
        using var http = App.CreateDefaultClient(App.ClientOptions.BaseAddress, new CookieContainerHandler(cookies));
        var url = row.Url(resources);
        HttpResponseMessage response;
        if (row.Method == "GET")
        {
            response = await http.GetAsync(url);
        }
        else
        {
            // A valid antiforgery token for this caller, so that the answer is about who calls, not about the token.
            var token = await AntiforgeryTokenAsync(http, "/anmelden");
            using var content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
            response = await http.PostAsync(url, content);
        }

        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.Forbidden => Outcome.Forbidden,
                HttpStatusCode.NotFound => Outcome.NotFound,
                HttpStatusCode.Unauthorized => Outcome.SignIn,
                HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.Contains("/anmelden?", StringComparison.Ordinal) == true => Outcome.SignIn,
                _ when (int)response.StatusCode < 500 => Outcome.Allowed,
                _ => throw new InvalidOperationException($"{row.Key} as {caller}: {(int)response.StatusCode}"),
            };
        }
    }

    private async Task<Outcome> InvokeAsync(Caller caller, HubRow row, Resources resources)
    {
        var connections = new List<HubConnection>();
        try
        {
            // Client A and counsellor A in the room first, so that a call of anyone else would reach them if it got through.
            var members = new Dictionary<Caller, HubConnection>();
            if (row.Room != RoomSetup.None)
            {
                foreach (var member in new[] { Caller.ClientA, Caller.CounsellorA })
                {
                    var connection = HubConnection(App, row.Path, _cookies[member]);
                    connections.Add(connection);
                    await connection.StartAsync();
                    await connection.InvokeAsync<object>("Join", resources.AppointmentId);
                    members[member] = connection;
                }

                if (row.Room == RoomSetup.BothIn)
                {
                    await members[Caller.CounsellorA].InvokeAsync<object>("Admit", resources.AppointmentId);
                }
            }

            if (!members.TryGetValue(caller, out var hub))
            {
                hub = HubConnection(App, row.Path, _cookies[caller]);
                connections.Add(hub);
                try
                {
                    await hub.StartAsync();
                }
                catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return Outcome.SignIn;
                }
                catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Forbidden)
                {
                    return Outcome.Forbidden;
                }
            }

            try
            {
                await hub.InvokeCoreAsync(row.Method, row.Arguments(resources));
                return Outcome.Allowed;
            }
            catch (HubException)
            {
                return Outcome.Refused;
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed record Fixture(Agency AgencyA, Counsellor CounsellorA, Counsellor CounsellorB, Client ClientA, Client ClientB);
}

/// <summary>Who calls: nobody signed in, the client who owns the resources, another client, their counsellor, a counsellor of another agency, the admin of counsellor A's agency, the platform admin.</summary>
public enum Caller
{
    Anonymous,
    ClientA,
    ClientB,
    CounsellorA,
    CounsellorB,
    AdminA,
    PlatformAdmin,
}

/// <summary>What the caller gets: let through (2xx, 3xx, 400 for the empty form), sent to sign in, 403, 404, or a hub error.</summary>
public enum Outcome
{
    Allowed,
    SignIn,
    Forbidden,
    NotFound,
    Refused,
}

/// <summary>The ids the rows put into their URLs and hub arguments.</summary>
public sealed record Resources(Guid AgencyA, Guid CounsellorA, Guid CounsellorB, Guid ClientA, Guid ThreadId, Guid ConversationId, Guid AppointmentId, Guid AbsenceId, Guid BookingWindowId, Guid BookingBlockId);
