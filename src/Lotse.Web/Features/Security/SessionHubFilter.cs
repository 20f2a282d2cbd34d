using System.Security.Claims;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Every hub (chat, availability, room): a signed-in connection is registered under its session so that ending the
/// session closes it, and every call checks the session (a database read at most once a minute per session on this
/// instance; an ended session is pushed here at once). A staff member who has not set up the second factor yet gets
/// no hub at all. Anonymous connections (the public availability hub) pass untouched.
/// </summary>
public sealed class SessionHubFilter(SessionRevocations revocations, IOptions<SessionTimeouts> options) : IHubFilter
{
    /// <summary>Calls that pages make by themselves (badge refresh, re-subscribe): not a sign that the person is there.</summary>
    private static readonly HashSet<string> Background = new(StringComparer.Ordinal) { "Unread", "Watch", "Since" };

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Identify(context.Context.User) is { } who)
        {
            if (!await IsValidAsync(context.ServiceProvider, who, activity: false, context.Context.ConnectionAborted))
            {
                throw Expired(context.ServiceProvider);
            }

            revocations.Register(context.Context, who.SessionId, who.UserId, context.Hub.GetType().Name);
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        revocations.Unregister(context.Context.ConnectionId);
        await next(context, exception);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        if (Identify(invocationContext.Context.User) is { } who)
        {
            var activity = !Background.Contains(invocationContext.HubMethodName);
            if (!await IsValidAsync(invocationContext.ServiceProvider, who, activity, invocationContext.Context.ConnectionAborted))
            {
                invocationContext.Context.Abort();
                throw Expired(invocationContext.ServiceProvider);
            }
        }

        return await next(invocationContext);
    }

    private async Task<bool> IsValidAsync(IServiceProvider services, Caller who, bool activity, CancellationToken cancellationToken)
    {
        if (who.MustEnrol)
        {
            return false;
        }

        var state = await services.GetRequiredService<UserSessions>().CheckAsync(who.SessionId, who.UserId, activity, options.Value.HubRecheck, cancellationToken);
        return state == SessionState.Valid;
    }

    private static HubException Expired(IServiceProvider services)
    {
        var t = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        return new HubException(t["Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an."]);
    }

    /// <summary>A signed-in caller; a cookie without a session id (made before sessions existed) counts as ended.</summary>
    private static Caller? Identify(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }

        return new Caller(SessionClaims.SessionOf(user) ?? Guid.Empty, userId, SessionClaims.MustEnrol(user));
    }

    private sealed record Caller(Guid SessionId, string UserId, bool MustEnrol);
}
