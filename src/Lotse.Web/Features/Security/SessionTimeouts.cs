using System.Security.Claims;
using Lotse.Web.Features.Accounts;

namespace Lotse.Web.Features.Security;

/// <summary>
/// How long a session lives. Not bound to configuration on purpose: an installation cannot lengthen them by a setting;
/// only code (the test host, whose tests move the clock by days while "holding" a cookie) does.
/// </summary>
public sealed class SessionTimeouts
{
    /// <summary>Counsellors and agency admins (issue 7).</summary>
    public TimeSpan StaffIdle { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Clients: longer than staff, because writing a long mail request can take a while and is no request to the server;
    /// a lost text is a real harm for a person in crisis (decision in docs/security.md).
    /// </summary>
    public TimeSpan ClientIdle { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>For everyone, counted from the sign-in, whatever the activity.</summary>
    public TimeSpan Absolute { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Last-seen is written at most this often (the check itself is on every request).</summary>
    public TimeSpan TouchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A hub call trusts a session checked this recently; revocations reach hubs by push, not by this.</summary>
    public TimeSpan HubRecheck { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A page request trusts a session checked this recently, while this instance hears every other one
    /// (<see cref="Infrastructure.ChangeStamps.Reliable"/>): a sign-out, a disabled account or a changed password reaches
    /// every instance's cache by push at once; this only bounds a push that Redis lost (decision 16).
    /// </summary>
    public TimeSpan PageRecheck { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan IdleFor(bool isStaff) => isStaff ? StaffIdle : ClientIdle;
}

/// <summary>The claims this part puts into the sign-in cookie.</summary>
public static class SessionClaims
{
    /// <summary>The server-side session (<see cref="UserSession.Id"/>, "N" format).</summary>
    public const string SessionId = "lotse:sid";

    /// <summary>Identity's "authentication methods" claim: "pwd" after a password only, "mfa" after the second factor.</summary>
    public const string Amr = "amr";

    public const string Mfa = "mfa";

    public static bool IsStaff(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Roles.Staff.Any(principal.IsInRole);
    }

    /// <summary>A counsellor or admin who signed in with the password only: they must set up the second factor first.</summary>
    public static bool MustEnrol(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && IsStaff(principal) && !principal.HasClaim(Amr, Mfa);
    }

    public static Guid? SessionOf(ClaimsPrincipal? principal) =>
        Guid.TryParseExact(principal?.FindFirstValue(SessionId), "N", out var id) ? id : null;
}
