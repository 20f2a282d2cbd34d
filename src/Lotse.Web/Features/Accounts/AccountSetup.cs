using System.Security.Claims;
using Lotse.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Accounts;

public static class Roles
{
    public const string Client = "Client";
    public const string Counsellor = "Counsellor";
    public const string AgencyAdmin = "AgencyAdmin";

    /// <summary>Runs the platform: sees every agency and administers whichever one they choose (issue 8).</summary>
    public const string PlatformAdmin = "PlatformAdmin";

    /// <summary>For <c>[Authorize(Roles = …)]</c> on the administration pages: an agency's admin or the platform admin.</summary>
    public const string Admins = AgencyAdmin + "," + PlatformAdmin;

    public static readonly string[] All = [Client, Counsellor, AgencyAdmin, PlatformAdmin];

    /// <summary>Staff sign in with a second factor and have the shorter session timeouts: everyone but clients.</summary>
    public static readonly string[] Staff = [Counsellor, AgencyAdmin, PlatformAdmin];

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                Ensure(await roles.CreateAsync(new IdentityRole(role)), role);
            }
        }
    }

    internal static void Ensure(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Code))}");
        }
    }
}

public static class AccountSetup
{
    /// <summary>Letters (German included), digits and a few marks; no '@' so a nickname never looks like a staff login.</summary>
    public const string NicknameCharacters =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß0123456789-._";

    public static void AddLotseAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services
            .AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                // Length, not composition (NIST SP 800-63B): at least 12 characters, nothing else demanded.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                // Staff sign in with their e-mail address as user name, so '@' is allowed; nicknames are checked apart.
                o.User.AllowedUserNameCharacters = NicknameCharacters + "@+";
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<LotseDb>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            // __Host-, Secure, HttpOnly, Path=/ (Features/Security/CookieSecurity enforces it for every cookie scheme).
            o.Cookie.Name = "__Host-lotse.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.Path = "/";
            // Lax, not Strict: a link in a notification e-mail ("Sie haben eine neue Nachricht") is a top-level navigation
            // from another site and must arrive signed in; Lax still withholds the cookie from cross-site POSTs and
            // subresource requests (forms are protected by antiforgery tokens as well).
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/anmelden";
            o.LogoutPath = "/abmelden";
            o.AccessDeniedPath = "/fehler/403";
            o.SlidingExpiration = true;
            // A refusal is a real 403 (shown as the German error page), not a redirect that answers 200.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            // Scripts and hubs get 401 instead of a login page they cannot show.
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Headers.XRequestedWith == "fetch" || context.Request.Path.StartsWithSegments("/hubs"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                else
                {
                    context.Response.Redirect(context.RedirectUri);
                }

                return Task.CompletedTask;
            };
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentUser>();
    }
}

/// <summary>Who is asking, resolved once per request to the counsellor or client row behind the login.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public string? UserId => Principal.FindFirstValue(ClaimTypes.NameIdentifier);

    public bool IsCounsellor => Principal.IsInRole(Roles.Counsellor);

    public bool IsClient => Principal.IsInRole(Roles.Client);
}

/// <summary>Identity's messages in the UI language.</summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> t) : IdentityErrorDescriber
{
    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = t["Der Nickname „{0}“ ist schon vergeben.", userName] };

    public override IdentityError InvalidUserName(string? userName) =>
        new() { Code = nameof(InvalidUserName), Description = t["Der Nickname darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten."] };

    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = t["Das Passwort muss mindestens {0} Zeichen lang sein.", length] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = t["Die E-Mail-Adresse ist ungültig."] };

    public override IdentityError DefaultError() =>
        new() { Code = nameof(DefaultError), Description = t["Das hat nicht geklappt. Bitte versuchen Sie es noch einmal."] };
}
