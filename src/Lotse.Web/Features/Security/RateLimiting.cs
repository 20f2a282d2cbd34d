using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Rate limits (ASP.NET Core's built-in RateLimiter) for what an attacker repeats: signing in, registering, asking for
/// a password reset, and sending messages. Each is a named policy; only POSTs count (showing a form is free). A refused
/// request never reaches its page handler, so nothing is stored; it is answered 429 with Retry-After, for a page with
/// the German "Zu viele Versuche" page (the status code page /fehler/429), for a script or hub with a ProblemDetails.
/// Limits come from configuration <c>RateLimits:*</c> (<see cref="RateLimitSettings"/>), read when a partition is made.
/// </summary>
public static class RateLimiting
{
    /// <summary>POST /anmelden, per client address (and, by the global limiter, per typed login name).</summary>
    public const string Login = "login";

    /// <summary>
    /// A code of the second factor (the sign-in's second step, the enrolment's proof), per client address. Apart from
    /// <see cref="Login"/> so that it does not count towards the login-name limit, which reads the password form.
    /// </summary>
    public const string SecondFactor = "second-factor";

    /// <summary>POST /registrieren, per client address.</summary>
    public const string Registration = "registration";

    /// <summary>
    /// For the password-reset pages (request a reset link, set the new password): per client address. Apply it to a
    /// page with <c>[EnableRateLimiting(RateLimiting.PasswordReset)]</c> on the PageModel or with
    /// <see cref="Protect"/> in <see cref="AddLotseRateLimiting"/>.
    /// </summary>
    public const string PasswordReset = "password-reset";

    /// <summary>A new mail request and a follow-up in a thread, per signed-in user.</summary>
    public const string Messages = "messages";

    /// <summary>The form field the login page binds the typed e-mail address or nickname to.</summary>
    public const string LoginNameField = "Input.Login";

    public static void AddLotseRateLimiting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.Configure<RateLimitSettings>(builder.Configuration.GetSection(RateLimitSettings.Section));

        // Which page is limited by which policy: one list, here.
        services.Configure<RazorPagesOptions>(o =>
        {
            Protect(o, "/Accounts/Login", Login);
            Protect(o, "/Accounts/LoginCode", SecondFactor);
            Protect(o, "/Accounts/TwoFactorSetup", SecondFactor);
            Protect(o, "/Accounts/Register", Registration);
            Protect(o, "/Mail/New", Messages);
            Protect(o, "/Mail/ClientThread", Messages);
            Protect(o, "/Mail/CounsellorThread", Messages);
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Login, context => Post(context, "ip:" + ClientAddress(context), s => s.Login));
            o.AddPolicy(SecondFactor, context => Post(context, "ip:" + ClientAddress(context), s => s.SecondFactor));
            o.AddPolicy(Registration, context => Post(context, "ip:" + ClientAddress(context), s => s.Registration));
            o.AddPolicy(PasswordReset, context => Post(context, "ip:" + ClientAddress(context), s => s.PasswordReset));
            o.AddPolicy(Messages, context => IsMessagePost(context)
                ? Partition(context, "user:" + (context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "ip:" + ClientAddress(context)), s => s.Messages)
                : RateLimitPartition.GetNoLimiter(""));

            // A policy has one partition key; the login name is a second one. It rides on the global limiter, which
            // the middleware asks before the endpoint's policy, and it limits nothing but login posts.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsLoginPost(context)
                    ? Partition(context, "name:" + LoginName(context), s => s.LoginName)
                    : RateLimitPartition.GetNoLimiter(""));

            o.OnRejected = RejectAsync;
        });
    }

    /// <summary>Between authentication (message limits are per user) and the page handlers.</summary>
    public static void UseLotseRateLimiting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The login-name limiter's partition function is synchronous; the form is read here (and kept for model binding).
        app.Use(async (context, next) =>
        {
            if (IsLoginPost(context) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed form is refused by model binding later; here it only has no login name.
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
    }

    /// <summary>Puts <paramref name="policy"/> on a Razor page (its POST handlers; GETs are never limited).</summary>
    public static void Protect(RazorPagesOptions options, string pageName, string policy)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Conventions.AddPageApplicationModelConvention(pageName, page => page.EndpointMetadata.Add(new EnableRateLimitingAttribute(policy)));
    }

    /// <summary>"5 Minuten", "eine Minute", "30 Sekunden": how long to wait, for the 429 page and ProblemDetails.</summary>
    public static string WaitText(TimeSpan wait, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        if (seconds < 60)
        {
            return t["{0} Sekunden", Math.Max(seconds, 1)];
        }

        var minutes = (int)Math.Ceiling(seconds / 60.0);
        return minutes == 1 ? t["eine Minute"] : t["{0} Minuten", minutes];
    }

    /// <summary>The German explanation on the 429 page and in the ProblemDetails.</summary>
    public static string Explanation(TimeSpan? wait, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return wait is { } w
            ? t["Ihre Eingabe wurde nicht übernommen. Bitte warten Sie {0} und versuchen Sie es dann noch einmal.", WaitText(w, t)]
            : t["Ihre Eingabe wurde nicht übernommen. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal."];
    }

    /// <summary>The wait the rejection announced (Retry-After, seconds), for the status code page that renders it.</summary>
    public static TimeSpan? AnnouncedWait(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return int.TryParse(response.Headers.RetryAfter.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        TimeSpan? wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null;
        if (wait is { } w)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(w.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (IsScript(context.Request))
        {
            var t = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: t["Zu viele Versuche"],
                    detail: Explanation(wait, t))
                .ExecuteAsync(context);
        }

        // A page: nothing is written, so the status code pages re-execute /fehler/429, the German page that reads
        // Retry-After and says how long to wait.
    }

    private static RateLimitPartition<string> Post(HttpContext context, string key, Func<RateLimitSettings, RateLimit> limit) =>
        HttpMethods.IsPost(context.Request.Method) ? Partition(context, key, limit) : RateLimitPartition.GetNoLimiter("");

    private static RateLimitPartition<string> Partition(HttpContext context, string key, Func<RateLimitSettings, RateLimit> limit)
    {
        var settings = limit(context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(settings.PermitLimit, 1),
            Window = settings.Window > TimeSpan.Zero ? settings.Window : TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    private static bool IsLoginPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.GetEndpoint()?.Metadata.GetOrderedMetadata<EnableRateLimitingAttribute>().Any(a => a.PolicyName == Login) == true;

    /// <summary>The mail request form has one handler; thread pages count only the follow-up ("Reply"), not take/close/archive.</summary>
    private static bool IsMessagePost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && (context.Request.Query["handler"].ToString() is "" || string.Equals(context.Request.Query["handler"], "Reply", StringComparison.OrdinalIgnoreCase));

    private static string LoginName(HttpContext context) =>
        context.Features.Get<IFormFeature>()?.Form?[LoginNameField].ToString().Trim().ToUpperInvariant() ?? "";

    /// <summary>
    /// The client's address as the connection reports it (behind a reverse proxy, configure forwarded headers so that
    /// this is the real client). IPv6 clients are counted per /64, the smallest block a home connection gets.
    /// </summary>
    private static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }

    private static bool IsScript(HttpRequest request) =>
        request.Headers.XRequestedWith == "fetch"
        || request.Path.StartsWithSegments(HubOriginCheck.HubsPath)
        || (request.Headers.Accept.ToString() is { Length: > 0 } accept
            && accept.Contains("json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
}

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> (fixed window) and partition.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>Configuration section "RateLimits". The defaults are the production values; appsettings.json repeats them.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary>Login attempts per client address: generous, because a counselling centre's staff share one address.</summary>
    public RateLimit Login { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Login attempts per typed login name, from anywhere (Identity's lockout adds 5 failures → 15 minutes).</summary>
    public RateLimit LoginName { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Codes of the second factor per client address (Identity's lockout counts wrong codes per account too).</summary>
    public RateLimit SecondFactor { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    public RateLimit Registration { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    public RateLimit PasswordReset { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>New mail requests and follow-ups per user: far above what a person writes, far below a script.</summary>
    public RateLimit Messages { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(10) };
}
