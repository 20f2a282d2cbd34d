using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// Base of every web test: a fresh app and database per test, and helpers that set up data the way the
/// app stores it and act as a signed-in user over HTTP (with cookies and antiforgery tokens).
/// </summary>
public abstract partial class WebTest(DatabaseKind kind) : IAsyncLifetime
{
    public const string Password = "Test-Passwort-123";

    protected LotseAppFactory App { get; private set; } = null!;

    protected DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    public virtual Task InitializeAsync()
    {
        App = CreateApp(kind);
        _ = App.Server; // start now: migrations run here, not inside the first request
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>The app under test; a test class that needs other settings (e.g. Redis) makes its own.</summary>
    protected virtual LotseAppFactory CreateApp(DatabaseKind databaseKind) => new(databaseKind);

    protected async Task<T> WithDbAsync<T>(Func<LotseDb, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<LotseDb>());
    }

    protected Task WithDbAsync(Func<LotseDb, Task> work) =>
        WithDbAsync(async db =>
        {
            await work(db);
            return true;
        });

    protected async Task<Agency> AddAgencyAsync(string name = "Beratungsstelle Test") =>
        await WithDbAsync(async db =>
        {
            var agency = new Agency(Guid.NewGuid(), name);
            db.Agencies.Add(agency);
            await db.SaveChangesAsync();
            return agency;
        });

    /// <summary>The platform admin: no agency of their own, every agency to administer (issue 8).</summary>
    protected async Task AddPlatformAdminAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await CreateUserAsync(scope.ServiceProvider, email, email, Roles.PlatformAdmin);
    }

    protected async Task<Counsellor> AddCounsellorAsync(string userName, AccountStatus? status = null, Agency? agency = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var user = await CreateUserAsync(scope.ServiceProvider, userName, userName, Roles.Counsellor);
        // Staff must have a second factor (issue 7): each test counsellor gets an authenticator key of their own.
        await TotpCodes.EnrolAsync(scope.ServiceProvider, user);
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var counsellor = new Counsellor(Guid.NewGuid(), user.Id, userName.Split('@')[0]);
        if (status is not null)
        {
            counsellor.ChangeStatus(status);
        }

        db.Counsellors.Add(counsellor);
        if (agency is not null)
        {
            db.AgencyMemberships.Add(new AgencyMembership(agency.Id, user.Id));
        }

        await db.SaveChangesAsync();
        return counsellor;
    }

    protected async Task<Client> AddClientAsync(string nickname)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var user = await CreateUserAsync(scope.ServiceProvider, nickname, null, Roles.Client);
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var client = new Client(Guid.NewGuid(), user.Id, nickname, Now);
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return client;
    }

    protected Task RelateAsync(Counsellor counsellor, Client client, bool regular) =>
        WithDbAsync(async db =>
        {
            var relation = new CounsellingRelation(counsellor.Id, client.Id, Now);
            if (regular)
            {
                relation.MarkAsRegularClient();
            }

            db.CounsellingRelations.Add(relation);
            await db.SaveChangesAsync();
        });

    protected Task<Appointment> AddAppointmentAsync(Counsellor counsellor, Client client, DateTime startUtc, AppointmentStatus status, int minutes = 50) =>
        WithDbAsync(async db =>
        {
            var appointment = new Appointment(Guid.NewGuid(), counsellor.Id, client.Id, AppointmentChannel.Video, startUtc, startUtc.AddMinutes(minutes), null);
            switch (status)
            {
                case AppointmentStatus.Confirmed:
                    appointment.Confirm();
                    break;
                case AppointmentStatus.Declined:
                    appointment.Decline();
                    break;
                case AppointmentStatus.Cancelled:
                    appointment.Cancel();
                    break;
            }

            db.Appointments.Add(appointment);
            await db.SaveChangesAsync();
            return appointment;
        });

    protected Task<Absence> AddAbsenceAsync(Counsellor counsellor, DateTime startUtc, DateTime endUtc, string note) =>
        WithDbAsync(async db =>
        {
            var absence = new Absence(Guid.NewGuid(), counsellor.Id, startUtc, endUtc, note, counsellor.DisplayName, Now);
            db.Absences.Add(absence);
            await db.SaveChangesAsync();
            return absence;
        });

    protected Task<Counsellor> ReloadCounsellorAsync(Guid id) =>
        WithDbAsync(async db => (await db.Counsellors.FindAsync(id))!);

    /// <summary>An HTTP client with its own cookie jar that does not follow redirects; over https, as in production (Secure cookies).</summary>
    protected HttpClient Browser() =>
        App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = LotseAppFactory.HttpsBase, AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real login form (and its second step) and returns the signed-in client.</summary>
    protected async Task<HttpClient> LoginAsync(string userName, string password = Password)
    {
        var http = Browser();
        var response = await SignInThroughFormAsync(App, http, userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    /// <summary>
    /// The whole sign-in as a person does it: the password form; then, for an account with a second factor, a code from
    /// the authenticator (a time step not used before, <see cref="TotpCodes.NextAsync"/>); for staff without one yet, the
    /// enrolment they are sent to. Returns the answer to the password form, or to the code form when there was one.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInThroughFormAsync(WebApplicationFactory<Program> app, HttpClient http, string userName, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(app);
        var response = await PostFormAsync(http, "/anmelden", new Dictionary<string, string>
        {
            ["Input.Login"] = userName,
            ["Input.Password"] = password,
        });
        var location = response.Headers.Location?.OriginalString ?? "";
        if (response.StatusCode == HttpStatusCode.Redirect && location.StartsWith(LoginCodeModel.Path, StringComparison.Ordinal))
        {
            return await PostFormAsync(http, location, new Dictionary<string, string>
            {
                ["Input.Code"] = await TotpCodes.NextAsync(app.Services, userName),
            }, formPage: LoginCodeModel.Path);
        }

        if (response.StatusCode == HttpStatusCode.Redirect && await MustEnrolAsync(app.Services, userName))
        {
            var enrolPage = await http.GetAsync(AccountSecuritySetup.EnrolPath);
            Assert.Equal(HttpStatusCode.OK, enrolPage.StatusCode);
            var enrolled = await PostFormAsync(http, AccountSecuritySetup.EnrolPath, new Dictionary<string, string>
            {
                ["Input.Code"] = await TotpCodes.NextAsync(app.Services, userName),
            });
            Assert.Contains("data-testid=\"recovery-codes\"", await enrolled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        return response;
    }

    private static async Task<bool> MustEnrolAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync(userName);
        return user is not null && !user.TwoFactorEnabled && (await users.GetRolesAsync(user)).Any(Roles.Staff.Contains);
    }

    /// <summary>Loads <paramref name="formPage"/> (default: the URL itself) for its antiforgery token, then posts the fields.</summary>
    /// <summary>A form whose fields may repeat (a group of checkboxes), with the antiforgery token of <paramref name="formPage"/>.</summary>
    protected static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string url, IEnumerable<KeyValuePair<string, string>> fields, string formPage)
    {
        var token = await AntiforgeryTokenAsync(http, formPage);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]) };
        return await http.SendAsync(request);
    }

    protected static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string url, IDictionary<string, string> fields, string? formPage = null, IDictionary<string, string>? headers = null)
    {
        var token = await AntiforgeryTokenAsync(http, formPage ?? url.Split('?')[0]);
        var all = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(all) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await http.SendAsync(request);
    }

    protected static async Task<string> AntiforgeryTokenAsync(HttpClient http, string page)
    {
        return AntiforgeryTokenIn(await http.GetStringAsync(page), page);
    }

    /// <summary>The antiforgery token of the form in <paramref name="html"/> (the page at <paramref name="page"/>).</summary>
    protected static string AntiforgeryTokenIn(string html, string page)
    {
        ArgumentNullException.ThrowIfNull(html);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {page}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<IdentityUser> CreateUserAsync(IServiceProvider services, string userName, string? email, string role)
    {
        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(userName) { Email = email };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
