using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Issue 7, accounts and sessions: the second factor (TOTP) with its enrolment gate for staff, hashed recovery codes,
/// password reset, server-side sessions checked on every request and hub call, and closing live connections when a
/// session ends. <c>AddLotseAccountSecurity()</c> after <c>AddLotseAccounts()</c>; <c>UseLotseAccountSecurity()</c>
/// between authentication and authorization.
/// </summary>
public static class AccountSecuritySetup
{
    public const string EnrolPath = "/konto/zwei-faktor/einrichten";

    public static void AddLotseAccountSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SessionTimeouts>();
        services.AddSingleton<SessionCache>();
        services.AddSingleton<SessionRevocations>();
        services.AddHostedService(s => s.GetRequiredService<SessionRevocations>());
        services.AddSingleton<SessionSweeper>();
        services.AddHostedService(s => s.GetRequiredService<SessionSweeper>());
        services.AddScoped<UserSessions>();
        services.AddScoped<SessionHubFilter>();
        services.AddSignalR(o => o.AddFilter<SessionHubFilter>());

        services.AddScoped<SignInManager<IdentityUser>, LotseSignInManager>();
        services.Replace(ServiceDescriptor.Scoped<IUserStore<IdentityUser>, LotseUserStore>());
        services.AddTransient<TotpAuthenticatorProvider>();
        services.AddTransient<PasswordResetTokenProvider>();
        services.Configure<IdentityOptions>(o =>
        {
            o.Tokens.ProviderMap[TotpAuthenticatorProvider.Name] = new TokenProviderDescriptor(typeof(TotpAuthenticatorProvider));
            o.Tokens.AuthenticatorTokenProvider = TotpAuthenticatorProvider.Name;
            o.Tokens.ProviderMap[PasswordResetTokenProvider.Name] = new TokenProviderDescriptor(typeof(PasswordResetTokenProvider));
            o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.Name;
        });
        // The security-stamp check rebuilds the principal from the database; the session id and "mfa" must survive it.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity && context.CurrentPrincipal is { } current)
            {
                foreach (var claim in current.Claims.Where(c => c.Type is SessionClaims.SessionId or SessionClaims.Amr))
                {
                    identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value));
                }
            }

            return Task.CompletedTask;
        });
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SessionCookie>();

        services.AddScoped<ClientRecoveryCodes>();
        services.AddScoped<ResetPasswordWithRecoveryCode>();
        services.AddScoped<RequestPasswordResetMail>();
        services.AddScoped<DisableAccount>();
        services.AddSingleton<PasswordResetMails>();
        services.AddHostedService(s => s.GetRequiredService<PasswordResetMails>());
    }

    /// <summary>Staff who signed in with the password only reach the enrolment page, sign-out and error pages, nothing else.</summary>
    public static void UseLotseAccountSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (!SessionClaims.MustEnrol(context.User) || MayPassBeforeEnrolment(context.Request.Path))
            {
                await next(context);
                return;
            }

            var isPage = HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/hubs")
                && context.Request.Headers.XRequestedWith != "fetch";
            if (isPage)
            {
                context.Response.Redirect(EnrolPath);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
        });
    }

    private static bool MayPassBeforeEnrolment(PathString path) =>
        path.StartsWithSegments(EnrolPath) || path.StartsWithSegments("/abmelden") || path.StartsWithSegments("/fehler")
        || path.StartsWithSegments("/sprache") || path.StartsWithSegments("/css") || path.StartsWithSegments("/js")
        || path.StartsWithSegments("/lib") || path.StartsWithSegments("/favicon.ico");

    /// <summary>
    /// The sign-in cookie: its own expiry is the absolute session end (set per sign-in, not sliding), and every request
    /// checks the server-side session before Identity's security-stamp check; a refused session signs the cookie out.
    /// </summary>
    private sealed class SessionCookie(IOptions<SessionTimeouts> timeouts) : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name != IdentityConstants.ApplicationScheme)
            {
                return;
            }

            options.ExpireTimeSpan = timeouts.Value.Absolute;
            options.SlidingExpiration = false;
            var stampCheck = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                var principal = context.Principal;
                var userId = principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                var sessionId = SessionClaims.SessionOf(principal);
                var services = context.HttpContext.RequestServices;
                var sessions = services.GetRequiredService<UserSessions>();
                var trust = services.GetRequiredService<Infrastructure.ChangeStamps>().Reliable ? timeouts.Value.PageRecheck : TimeSpan.Zero;
                if (userId is null || sessionId is null
                    || await sessions.CheckAsync(sessionId.Value, userId, activity: true, trust, context.HttpContext.RequestAborted) != SessionState.Valid)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await stampCheck(context);
            };
        }
    }
}
