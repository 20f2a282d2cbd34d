using System.Collections;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Security;

/// <summary>
/// Logs never hold counselling content, passwords, tokens or full IP addresses, whatever log levels an operator turns
/// on. Lotse's own code logs no content (ids and counts only); this guards against the framework, at the one place every
/// log line passes: the logger factory. It sits in front of all logging providers and filter rules, so that a provider
/// or an appsettings rule set to Trace cannot bring the dropped events back.
/// <list type="bullet">
/// <item>Events that carry what people typed are dropped (<see cref="CarriesPayload"/>).</item>
/// <item>IP addresses in a message or its values are shortened: IPv4 to /24 (<c>192.0.2.0</c>), IPv6 to /48.</item>
/// <item>Secrets in query strings (the password-reset link's <c>token=</c>, <c>access_token=</c>, <c>code=</c>) are
/// replaced by <c>***</c>: ASP.NET Core logs every request's URL ("Request starting GET …?token=…").</item>
/// </list>
/// EF Core's sensitive data logging (parameter values) stays off: nothing enables it.
/// </summary>
public static partial class SafeLogging
{
    public static void AddLotseSafeLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new SafeLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
    }

    /// <summary>
    /// Framework events whose text includes request or message payloads, all below Information, so nothing an operator
    /// needs is lost: SignalR's "Received hub invocation: InvocationMessage { … Arguments: [ …the chat text… ] }" (Debug),
    /// every Trace event of SignalR and its transports (they describe messages), and the arguments of Razor Pages handlers
    /// and MVC actions ("Executing handler method … with arguments (…)", Trace).
    /// </summary>
    internal static bool CarriesPayload(string category, LogLevel level, EventId eventId)
    {
        if (level >= LogLevel.Information)
        {
            return false;
        }

        var signalR = category.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal)
            || category.StartsWith("Microsoft.AspNetCore.Http.Connections", StringComparison.Ordinal);
        return (signalR && (level == LogLevel.Trace || eventId.Name is "ReceivedHubInvocation"))
            || (level == LogLevel.Trace && category.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal)
                && eventId.Name is { } name && name.Contains("WithArguments", StringComparison.Ordinal));
    }

    /// <summary>The text with every IP address in it shortened (IPv4 to /24, IPv6 to /48).</summary>
    public static string MaskIpAddresses(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 3)
        {
            return text;
        }

        var masked = IPv4().Replace(text, m => m.Groups[1].Value + ".0");
        return masked.Contains(':', StringComparison.Ordinal) ? IPv6().Replace(masked, MaskIPv6) : masked;
    }

    /// <summary>The text with IP addresses shortened and query-string secrets replaced (what every log line gets).</summary>
    public static string Mask(string text) => QuerySecret().Replace(MaskIpAddresses(text), "$1***");

    private static string MaskIPv6(Match match)
    {
        var text = match.Value;
        // "08:15:00" is a time, not an address: only a compressed (::) or full (7 colons) form is taken for IPv6.
        var colons = text.Count(c => c == ':');
        if ((!text.Contains("::", StringComparison.Ordinal) && colons < 7) || !IPAddress.TryParse(text, out var address))
        {
            return text;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 6, bytes.Length - 6);
        return new IPAddress(bytes).ToString();
    }

    private static object? MaskValue(object? value) => value switch
    {
        string s => Mask(s),
        IPAddress or EndPoint => MaskIpAddresses(value.ToString() ?? ""),
        _ => value,
    };

    // Not part of a longer dotted number ("1.2.3.4.5"); a full stop that ends a sentence is fine.
    [GeneratedRegex(@"(?<!\d|\d\.)((?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d)\.(?:25[0-5]|2[0-4]\d|1?\d?\d))\.(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"([?&](?:token|access_token|code)=)[^&\s""#]+", RegexOptions.IgnoreCase)]
    private static partial Regex QuerySecret();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")]
    private static partial Regex IPv6();

    private sealed class SafeLoggerFactory(LoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new SafeLogger(inner.CreateLogger(categoryName), categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class SafeLogger(ILogger inner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel) || CarriesPayload(category, logLevel, eventId))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var message = Mask(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> list
                ? list.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Key == "{OriginalFormat}" ? kv.Value : MaskValue(kv.Value))).ToList()
                : [];
            inner.Log(logLevel, eventId, new SafeState(message, values), exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The masked message and values of one event, in the shape providers expect of structured state.</summary>
    private sealed class SafeState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
