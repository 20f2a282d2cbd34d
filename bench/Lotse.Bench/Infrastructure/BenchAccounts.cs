using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lotse.Bench.Infrastructure;

/// <summary>One counsellor and one client of the benchmark, as stored, with the user names they sign in with.</summary>
public sealed record BenchPair(int Index, string CounsellorUserId, Guid CounsellorId, string CounsellorLogin, string ClientUserId, Guid ClientId, string ClientLogin);

/// <summary>
/// Accounts for the benchmark, made with the app's own services (LotseDb, Identity as the app configures it) built in
/// this process against the app's database, and the sign-in cookies for them.
/// <para>
/// Creating and signing in thousands of users through Identity would hash the password (PBKDF2, 100,000 rounds, about
/// 60 ms of CPU here) once per user at creation and once more per sign-in: minutes of CPU that have nothing to do with
/// chat. So accounts are inserted in batches with one password hash shared by all (valid: any of them can sign in
/// through the real form), and the cookies are issued the way the app's cookie handler issues them: Identity's claims
/// principal for the user, protected with the app's own data-protection key ring (which the app keeps in its database,
/// with a fixed application name: AddLotseData sets that up here too). The app is not changed and has no bench switch; a run checks the cookies against the app
/// before it starts. <c>--sign-in form</c> signs in through the real login form instead.
/// </para>
/// </summary>
public sealed partial class BenchAccounts : IAsyncDisposable
{
    public const string Password = "Bench-Passwort-2026";

    /// <summary>The bench counsellors' authenticator key (staff must use a second factor, issue 7); a bench has nothing to protect.</summary>
    public const string AuthenticatorSecret = "LOTSEBENCHLOTSEBENCHLOTSEBENCH23";

    private readonly WebApplication _services;

    private BenchAccounts(WebApplication services) => _services = services;

    /// <summary>The app's services as built here (LotseDb, Identity, the key ring and content protection) for seeding.</summary>
    public IServiceProvider Services => _services.Services;

    /// <param name="contentRoot">The app's content root (its configuration files).</param>
    public static BenchAccounts Create(string provider, string connectionString, string contentRoot)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = "Production",
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Lotse"] = connectionString,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddLocalization();
        builder.AddLotseData();
        builder.AddLotseAccounts();
        return new BenchAccounts(builder.Build());
    }

    public async Task<bool> AnyUsersAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        return await db.Users.AnyAsync(cancellationToken);
    }

    public async Task<int> CountChatMessagesAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        return await db.ChatMessages.CountAsync(cancellationToken);
    }

    /// <summary>
    /// <paramref name="count"/> counsellors (chat mode Online, open to every client) and as many clients, in batches.
    /// The roles exist already: the app created them at start-up.
    /// </summary>
    public async Task<IReadOnlyList<BenchPair>> CreatePairsAsync(int count, Action<int>? progress, CancellationToken cancellationToken)
    {
        string hash;
        Dictionary<string, string> roles;
        await using (var scope = _services.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            roles = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
            hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<IdentityUser>>().HashPassword(new IdentityUser("bench"), Password);
        }

        var open = new AccountStatus(RegularClientsOnly: false, ChatMode.Online, MailMode.Unlimited, MailCapacity: 10);
        var pairs = new List<BenchPair>(count);
        const int batch = 500;
        for (var first = 0; first < count; first += batch)
        {
            await using var scope = _services.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            var normalizer = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>();
            for (var i = first; i < Math.Min(count, first + batch); i++)
            {
                var counsellorLogin = $"bench.berater.{i:D5}@bench.lotse";
                var clientLogin = $"bench-{i:D5}";
                var counsellorUser = User(counsellorLogin, counsellorLogin);
                var clientUser = User(clientLogin, null);
                db.Users.AddRange(counsellorUser, clientUser);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = counsellorUser.Id, RoleId = roles[Roles.Counsellor] });
                // Enrolled as a finished enrolment leaves it: the key where Identity's store keeps it, the factor switched on.
                counsellorUser.TwoFactorEnabled = true;
                db.UserTokens.Add(new IdentityUserToken<string> { UserId = counsellorUser.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = AuthenticatorSecret });
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = clientUser.Id, RoleId = roles[Roles.Client] });
                var counsellor = new Counsellor(Guid.NewGuid(), counsellorUser.Id, $"Bench Berater:in {i:D5}");
                counsellor.ChangeStatus(open);
                var client = new Client(Guid.NewGuid(), clientUser.Id, clientLogin, TimeProvider.System.GetUtcNow().UtcDateTime);
                db.Counsellors.Add(counsellor);
                db.Clients.Add(client);
                pairs.Add(new BenchPair(i, counsellorUser.Id, counsellor.Id, counsellorLogin, clientUser.Id, client.Id, clientLogin));
            }

            await db.SaveChangesAsync(cancellationToken);
            progress?.Invoke(pairs.Count);

            IdentityUser User(string userName, string? email) => new(userName)
            {
                NormalizedUserName = normalizer.NormalizeName(userName),
                Email = email,
                NormalizedEmail = email is null ? null : normalizer.NormalizeEmail(email),
                EmailConfirmed = email is not null,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
                LockoutEnabled = true,
            };
        }

        return pairs;
    }

    /// <summary>
    /// The Cookie header for each user id: Identity's principal for the user (its claims factory, with the "pwd" method
    /// a password sign-in adds), in a ticket protected by the app's cookie options for Identity's application scheme.
    /// </summary>
    public async Task<Dictionary<string, string>> IssueCookiesAsync(IReadOnlyList<string> userIds, Action<int>? progress, CancellationToken cancellationToken)
    {
        var options = _services.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var clock = _services.Services.GetRequiredService<TimeProvider>();
        var cookies = new Dictionary<string, string>(userIds.Count);
        var done = 0;
        await Parallel.ForEachAsync(userIds.Chunk(200), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            await using var scope = _services.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>();
            var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
            foreach (var id in chunk)
            {
                var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"User {id} not found.");
                var principal = await factory.CreateAsync(user);
                var now = clock.GetUtcNow();
                // As the app's sign-in makes it (issue 7): a server-side session whose id is in the cookie, and "mfa" for
                // staff, who pass the second factor.
                var isStaff = principal.IsInRole(Roles.Counsellor);
                // Signed in at some moment of the last minute, as people are, not all in the same second: the app writes a
                // session's last-seen time at most once a minute, and sessions made together would touch it together, in
                // waves of thousands of updates every minute.
                var session = new UserSession(Guid.NewGuid(), user.Id, isStaff, now.UtcDateTime - TimeSpan.FromMilliseconds(Random.Shared.Next(60_000)));
                db.UserSessions.Add(session);
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaims.Amr, isStaff ? SessionClaims.Mfa : "pwd"));
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaims.SessionId, session.Id.ToString("N")));
                var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.ExpireTimeSpan }, IdentityConstants.ApplicationScheme);
                var header = $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
                lock (cookies)
                {
                    cookies[id] = header;
                    done++;
                    if (done % 1000 == 0)
                    {
                        progress?.Invoke(done);
                    }
                }
            }

            await db.SaveChangesAsync(ct);
        });
        return cookies;
    }

    /// <summary>Signs in through the real login form (antiforgery token, POST, redirect) and returns the Cookie header.</summary>
    /// <remarks>
    /// The app's cookies are Secure (__Host-); a CookieContainer would not send them back to the app's http://127.0.0.1
    /// address, so the cookies are carried by hand, as a browser does on loopback (a secure context).
    /// </remarks>
    public static async Task<string> SignInThroughFormAsync(Uri app, string login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var jar = new Dictionary<string, string>();
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = app };
        using var pageResponse = await http.GetAsync(new Uri("/anmelden", UriKind.Relative), cancellationToken);
        Keep(pageResponse, jar);
        var page = await pageResponse.Content.ReadAsStringAsync(cancellationToken);
        var token = TokenPattern().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token on /anmelden.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Login"] = login,
            ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = token,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/anmelden", UriKind.Relative)) { Content = form };
        request.Headers.Add("Cookie", Header(jar));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {login} answered {(int)response.StatusCode}, not a redirect.");
        }

        Keep(response, jar);
        if (response.Headers.Location?.OriginalString.StartsWith("/anmelden/code", StringComparison.Ordinal) == true)
        {
            // The second step, as the authenticator app would answer it (each bench counsellor signs in once, so the
            // current time step is unused).
            using var codeRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/anmelden/code", UriKind.Relative));
            codeRequest.Headers.Add("Cookie", Header(jar));
            using var codeResponse = await http.SendAsync(codeRequest, cancellationToken);
            Keep(codeResponse, jar);
            var codePage = await codeResponse.Content.ReadAsStringAsync(cancellationToken);
            var codeToken = TokenPattern().Match(codePage) is { Success: true } c ? WebUtility.HtmlDecode(c.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token on /anmelden/code.");
            using var codeForm = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Code"] = Totp.Code(Totp.FromBase32(AuthenticatorSecret), Totp.StepAt(TimeProvider.System.GetUtcNow())),
                ["__RequestVerificationToken"] = codeToken,
            });
            using var second = new HttpRequestMessage(HttpMethod.Post, new Uri("/anmelden/code", UriKind.Relative)) { Content = codeForm };
            second.Headers.Add("Cookie", Header(jar));
            using var secondResponse = await http.SendAsync(second, cancellationToken);
            if (secondResponse.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Second sign-in step of {login} answered {(int)secondResponse.StatusCode}, not a redirect.");
            }

            Keep(secondResponse, jar);
        }

        return Header(jar);

        static void Keep(HttpResponseMessage response, Dictionary<string, string> jar)
        {
            foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = setCookie.Split(';', 2)[0].Split('=', 2);
                jar[pair[0].Trim()] = pair.Length > 1 ? pair[1].Trim() : "";
            }
        }

        static string Header(Dictionary<string, string> jar) => string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"));
    }

    /// <summary>True when the app takes the cookie as a signed-in <paramref name="role"/> (its chat list answers 200).</summary>
    public static async Task<bool> AppAcceptsAsync(Uri app, string cookieHeader, string role, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = app };
        using var request = new HttpRequestMessage(HttpMethod.Get, role == Roles.Counsellor ? "/chats" : "/chat");
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
