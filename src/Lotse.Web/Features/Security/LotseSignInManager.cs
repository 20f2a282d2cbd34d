using System.Security.Claims;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Identity's sign-in with server-side sessions: every sign-in (password, second factor, registration) starts a new
/// session and puts its id into the cookie, ends the session the browser had before, and sets the cookie's own expiry
/// to the absolute session end. Signing out ends the session server-side. A disabled account cannot sign in.
/// </summary>
public sealed class LotseSignInManager(
    UserManager<IdentityUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<IdentityUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<IdentityUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<IdentityUser> confirmation,
    UserSessions sessions,
    LotseDb db,
    TimeProvider clock,
    IOptions<SessionTimeouts> timeouts)
    : SignInManager<IdentityUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task SignInWithClaimsAsync(IdentityUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(user);
        var previous = SessionClaims.SessionOf(Context.User);
        var isStaff = (await UserManager.GetRolesAsync(user)).Any(Roles.Staff.Contains);
        var sessionId = await sessions.StartAsync(user.Id, isStaff, Context.RequestAborted);
        var claims = additionalClaims.Where(c => c.Type != SessionClaims.SessionId).ToList();
        claims.Add(new Claim(SessionClaims.SessionId, sessionId.ToString("N")));

        var properties = authenticationProperties ?? new AuthenticationProperties();
        properties.IsPersistent = false;
        properties.IssuedUtc = null;
        properties.ExpiresUtc = clock.GetUtcNow() + timeouts.Value.Absolute;
        await base.SignInWithClaimsAsync(user, properties, claims);

        if (previous is { } old && old != sessionId)
        {
            await sessions.EndAsync(old, SessionEnd.Replaced, CancellationToken.None);
        }
    }

    public override async Task SignOutAsync()
    {
        if (SessionClaims.SessionOf(Context.User) is { } sessionId)
        {
            await sessions.EndAsync(sessionId, SessionEnd.LoggedOut, CancellationToken.None);
        }

        await base.SignOutAsync();
    }

    public override async Task<bool> CanSignInAsync(IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await db.AccountSecurity.AsNoTracking().AnyAsync(a => a.UserId == user.Id && a.DisabledUtc != null, Context.RequestAborted))
        {
            return false;
        }

        return await base.CanSignInAsync(user);
    }
}
