using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
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
/// principal for the user, protected with the app's own data-protection key ring (which the started app keeps in a
/// folder of the run). The app is not changed and has no bench switch; a run checks the cookies against the app
/// before it starts. <c>--sign-in form</c> signs in through the real login form instead.
/// </para>
/// </summary>
public sealed partial class BenchAccounts : IAsyncDisposable
{
    public const string Password = "Bench-Passwort-2026";

    private readonly WebApplication _services;

    private BenchAccounts(WebApplication services) => _services = services;

    /// <param name="keyRing">The app's data-protection key folder, to issue cookies; null when signing in through the form.</param>
    /// <param name="contentRoot">The app's content root: ASP.NET Core derives the key ring's application name from it.</param>
    public static BenchAccounts Create(string provider, string connectionString, string contentRoot, string? keyRing)
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
        if (keyRing is not null)
        {
            builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        }

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
            foreach (var id in chunk)
            {
                var user = await users.FindByIdAsync(id) ?? throw new InvalidOperationException($"User {id} not found.");
                var principal = await factory.CreateAsync(user);
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("amr", "pwd"));
                var now = clock.GetUtcNow();
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
        });
        return cookies;
    }

    /// <summary>Signs in through the real login form (antiforgery token, POST, redirect) and returns the Cookie header.</summary>
    public static async Task<string> SignInThroughFormAsync(Uri app, string login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var jar = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = app };
        var page = await http.GetStringAsync(new Uri("/anmelden", UriKind.Relative), cancellationToken);
        var token = TokenPattern().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No antiforgery token on /anmelden.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Login"] = login,
            ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await http.PostAsync(new Uri("/anmelden", UriKind.Relative), form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {login} answered {(int)response.StatusCode}, not a redirect.");
        }

        return jar.GetCookieHeader(app);
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
