using System.Globalization;
using System.Security.Claims;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Security;
using Lotse.Web.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Lotse.Web.Features.Dashboard;

/// <summary>Configuration section "PageCache" (decision 16).</summary>
public sealed class PageCacheOptions
{
    public const string Section = "PageCache";

    /// <summary>Off: every dashboard is rendered from the database (the benchmark compares both).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest a remembered page is shown even though no change of what it shows is known. Only matters when a
    /// change escaped <see cref="ChangeStamps"/> (another instance could not publish it); otherwise a change ends it.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>What the dashboard page leaves for <see cref="DashboardPageCache"/>: whose tiles, and until when they hold by time.</summary>
public sealed record DashboardPageFacts(Guid CounsellorId, DateTime? NextChangeUtc);

/// <summary>
/// Shows a counsellor's dashboard ("/") again as it was rendered for the same session, language and antiforgery cookie,
/// as long as nothing on it changed: no committed change of the counsellor, their appointments, absences, notifications,
/// login or (for everyone) agencies and clients since it was rendered (<see cref="ChangeStamps"/>, on every instance),
/// no start or end of a shown appointment or absence reached (<see cref="Lotse.Domain.Dashboard.Dashboard.NextChange"/>),
/// and at most <see cref="PageCacheOptions.MaxAge"/> old. The session is checked before (authentication), so a signed-out
/// or disabled person never gets a remembered page. A page with a notice (TempData), a new cookie or anything but 200 is
/// not remembered; nor is anything while this instance may miss changes of others (<see cref="ChangeStamps.Reliable"/>).
/// </summary>
public sealed class DashboardPageCache(ChangeStamps changes, TimeProvider clock, IOptions<PageCacheOptions> options) : IDisposable
{
    /// <summary>Memory the remembered pages may take (bytes); the least recently used go first.</summary>
    public const long SizeLimit = 64L * 1024 * 1024;

    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    private sealed record Request(string UserId, Guid SessionId, string Culture, string Antiforgery);

    private sealed record Page(Request For, Guid CounsellorId, long Since, DateTime ValidUntilUtc, byte[] Body, KeyValuePair<string, StringValues>[] Headers);

    public async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Cacheable(context) is not { } request)
        {
            await next(context);
            return;
        }

        var response = context.Response;
        var now = clock.GetUtcNow().UtcDateTime;
        if (_pages.TryGetValue(request.UserId, out Page? page) && page!.For == request && now < page.ValidUntilUtc
            && changes.UnchangedSince(page.Since, ChangeStamps.UserKey(request.UserId), ChangeStamps.CounsellorKey(page.CounsellorId)))
        {
            foreach (var (name, value) in page.Headers)
            {
                response.Headers[name] = value;
            }

            response.ContentLength = page.Body.Length;
            await response.Body.WriteAsync(page.Body, context.RequestAborted);
            return;
        }

        // Taken before the page reads anything: a change committed while it renders makes the result stale at once.
        var since = changes.Now;
        var before = response.Headers.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        if (response.StatusCode == StatusCodes.Status200OK && context.Features.Get<DashboardPageFacts>() is { } facts
            && SetsNoCookie(response) && changes.Reliable)
        {
            var maxAge = options.Value.MaxAge;
            var validUntil = now + maxAge;
            if (facts.NextChangeUtc is { } change && change < validUntil)
            {
                validUntil = change;
            }

            var body = buffer.ToArray();
            var headers = response.Headers
                .Where(h => !before.Contains(h.Key) && !string.Equals(h.Key, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(h.Key, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
                .ToArray();
            _pages.Set(
                request.UserId,
                new Page(request, facts.CounsellorId, since, validUntil, body, headers),
                new MemoryCacheEntryOptions { Size = body.Length + 1024, AbsoluteExpirationRelativeToNow = maxAge });
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    public void Dispose() => _pages.Dispose();

    /// <summary>
    /// No cookie set or changed. The TempData cookie's deletion does not count: the page sends it whenever it had no
    /// notice to show, and a request with that cookie is never answered from here.
    /// </summary>
    private static bool SetsNoCookie(HttpResponse response) =>
        response.Headers.SetCookie.All(c => c is not null && c.StartsWith(CookieSecurity.TempData + "=;", StringComparison.Ordinal));

    private Request? Cacheable(HttpContext context)
    {
        var http = context.Request;
        var user = context.User;
        if (!options.Value.Enabled || !HttpMethods.IsGet(http.Method) || http.Path != "/" || http.QueryString.HasValue
            || user.Identity?.IsAuthenticated != true || !user.IsInRole(Roles.Counsellor) || SessionClaims.MustEnrol(user)
            || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || SessionClaims.SessionOf(user) is not { } sessionId
            || http.Cookies.ContainsKey(CookieSecurity.TempData)
            || http.Cookies[CookieSecurity.Antiforgery] is not { Length: > 0 } antiforgery
            || !changes.Reliable)
        {
            return null;
        }

        return new Request(userId, sessionId, CultureInfo.CurrentUICulture.Name, antiforgery);
    }
}
