using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Lotse.Domain.Appointments;
using Lotse.Domain.Agencies;
using Lotse.Web.Features.Security;
using Lotse.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lotse.Web.Tests;

/// <summary>
/// Issue 7: "Logs never contain message content, passwords, tokens or full IP addresses." Every log line of an app run is
/// captured at Trace for every category (EF Core and ASP.NET Core included) through a flow of failed and successful
/// sign-ins, chat, a mail request and a booking, with requests that come from 127.0.0.1 and ::1.
/// </summary>
public abstract partial class SafeLoggingTests(DatabaseKind kind) : ChatTestBase(kind)
{
    private const string WrongPassword = "Falsches-Passwort-987";
    private const string ChatText = "Log-Geheimnis im Chat: mir geht es schlecht";
    private const string MailSubject = "Log-Geheimnis Betreff";
    private const string MailBody = "Log-Geheimnis in der Mail: niemand darf das lesen";
    private const string Topic = "Log-Geheimnis Thema";
    private const string ResetToken = "CfDJ8LogGeheimnisResetToken";

    private CapturingLoggerProvider Logs => ((CapturingApp)App).Logs;

    protected override LotseAppFactory CreateApp(DatabaseKind databaseKind) => new CapturingApp(databaseKind);

    [Fact]
    public async Task Logs_SignInChatMailAndBooking_HoldNoContentPasswordTokenOrIp()
    {
        var anna = await AddCounsellorAsync(Anna, OpenOnline);
        await AddClientAsync(Mond);
        await WithDbAsync(async db =>
        {
            var agency = new Agency(Guid.NewGuid(), "Lotsenhaus");
            db.Agencies.Add(agency);
            db.AgencyMemberships.Add(new AgencyMembership(agency.Id, anna.UserId));
            db.BookingHours.Add(new BookingHours(Guid.NewGuid(), anna.Id, DayOfWeek.Wednesday, new TimeOnly(9, 0), new TimeOnly(12, 0), AppointmentChannel.Video));
            await db.SaveChangesAsync();
        });

        var failed = await PostFormAsync(Browser(), "/anmelden", new Dictionary<string, string> { ["Input.Login"] = Mond, ["Input.Password"] = WrongPassword });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode); // the form again, with its message
        var client = await LoginAsync(Mond);
        var token = await AntiforgeryTokenAsync(client, "/anfragen");
        var mond = await ConnectAsync(Mond);
        var conversationId = await mond.Hub.InvokeAsync<Guid>("StartConversation", anna.Id);
        await mond.Hub.InvokeAsync<Lotse.Web.Features.Chat.ChatJoined>("Join", conversationId);
        await SendAsync(mond, conversationId, ChatText);
        var history = await (await ConnectAsync(Anna)).Hub.InvokeAsync<Lotse.Web.Features.Chat.ChatMessagePage>("History", conversationId, null, 50);
        Assert.Equal(ChatText, Assert.Single(history.Messages).Body);
        var form = await client.GetStringAsync($"/anfragen/neu?berater={anna.Id}");
        var key = KeyPattern().Match(form).Groups[1].Value;
        var sent = await PostFormAsync(client, $"/anfragen/neu?berater={anna.Id}", new Dictionary<string, string>
        {
            ["Form.Subject"] = MailSubject,
            ["Form.Body"] = MailBody,
            ["Form.RequestKey"] = key,
        }, formPage: $"/anfragen/neu?berater={anna.Id}");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var booked = await PostFormAsync(client, $"/berater/{anna.Id}/termin", new Dictionary<string, string>
        {
            ["Slot"] = $"{new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc):o}|Video",
            ["Topic"] = Topic,
        });
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        await client.GetStringAsync($"{sent.Headers.Location}"); // the thread page reads the content back
        // The password-reset link carries its token in the query string, which ASP.NET Core logs with every request.
        Assert.Equal(HttpStatusCode.OK, (await Browser().GetAsync($"/passwort-neu?konto={anna.UserId}&token={ResetToken}")).StatusCode);

        var cookie = CookiesOf(Mond).GetCookies(LotseAppFactory.HttpsBase)["__Host-lotse.auth"]!.Value;
        var lines = Logs.Lines();
        // Not vacuous: Trace from the framework and EF Core was captured, and the requests came from loopback addresses.
        Assert.Contains(lines, l => l.Level == LogLevel.Trace && l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text.Contains("/passwort-neu?konto=", StringComparison.Ordinal));
        string[] secrets = [Password, WrongPassword, ChatText, MailSubject, MailBody, Topic, token, cookie, ResetToken, "127.0.0.1", "::1"];
        foreach (var secret in secrets)
        {
            var leaks = lines.Where(l => l.Text.Contains(secret, StringComparison.Ordinal)).Select(l => $"{l.Category} ({l.Level}): {l.Text}").Take(3).ToList();
            Assert.True(leaks.Count == 0, $"The logs hold „{secret}“:\n{string.Join("\n", leaks)}");
        }
    }

    [Fact]
    public void Logger_MessageWithIpAddresses_ShortensThem()
    {
        var logger = App.Services.GetRequiredService<ILogger<SafeLoggingTests>>();

        logger.LogWarning("Request from {Address} via {Proxy} at 08:15:00, also {V6}", IPAddress.Parse("203.0.113.77"), "198.51.100.23:4711", IPAddress.Parse("2001:db8:85a3:8d3:1319:8a2e:370:7348"));

        var line = Assert.Single(Logs.Lines(), l => l.Category == typeof(SafeLoggingTests).FullName);
        Assert.Equal("Request from 203.0.113.0 via 198.51.100.0:4711 at 08:15:00, also 2001:db8:85a3::", line.Message);
        Assert.DoesNotContain("203.0.113.77", line.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.23", line.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connection from ::1 closed", "Connection from :: closed")]
    [InlineData("client 127.0.0.1:5080", "client 127.0.0.0:5080")]
    [InlineData("Request from 192.0.2.44.", "Request from 192.0.2.0.")]
    [InlineData("at 12:30:45 and 2026-11-24", "at 12:30:45 and 2026-11-24")]
    [InlineData("fe80::1ff:fe23:4567:890a%eth0", "fe80::%eth0")]
    public void MaskIpAddresses_Text_ShortensAddressesOnly(string text, string expected) =>
        Assert.Equal(expected, SafeLogging.MaskIpAddresses(text));

    [Theory]
    [InlineData("GET https://lotse.test/passwort-neu?konto=42&token=CfDJ8abc%2Bdef", "GET https://lotse.test/passwort-neu?konto=42&token=***")]
    [InlineData("/hubs/chat?id=7&access_token=eyJabc", "/hubs/chat?id=7&access_token=***")]
    [InlineData("?code=123456 from 10.1.2.3", "?code=*** from 10.1.2.0")]
    [InlineData("/anfragen?seite=2", "/anfragen?seite=2")]
    public void Mask_QueryStringSecrets_Replaced(string text, string expected) =>
        Assert.Equal(expected, SafeLogging.Mask(text));

    [GeneratedRegex("name=\"Form.RequestKey\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex KeyPattern();

    /// <summary>The app with every log line captured, and requests that come from loopback addresses (v4 and v6 by turns).</summary>
    private sealed class CapturingApp(DatabaseKind kind) : LotseAppFactory(kind)
    {
        private int _requests;

        public CapturingLoggerProvider Logs { get; } = new();

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                Logs.Dispose();
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l =>
            {
                l.SetMinimumLevel(LogLevel.Trace);
                l.AddProvider(Logs);
                // The strongest rule there is: for this provider, every category at Trace, whatever appsettings say.
                l.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            });
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new RemoteAddress(() => Interlocked.Increment(ref _requests) % 2 == 0 ? IPAddress.Loopback : IPAddress.IPv6Loopback)));
        }
    }

    /// <summary>The test server has no sockets: give every request the remote address a browser on this machine would have.</summary>
    private sealed class RemoteAddress(Func<IPAddress> next) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> then) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                context.Connection.RemoteIpAddress = next();
                context.Connection.RemotePort = 50123;
                return following(context);
            });
            then(app);
        };
    }
}

public sealed record LogLine(string Category, LogLevel Level, string Message, string Text);

/// <summary>Keeps every log line: its message, its structured values and its exception, as one searchable text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public List<LogLine> Lines() => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var values = state is IEnumerable<KeyValuePair<string, object?>> list ? string.Join(" | ", list.Select(kv => $"{kv.Key}={kv.Value}")) : "";
            lines.Enqueue(new LogLine(category, logLevel, message, $"{message} | {values} | {exception}"));
        }
    }
}

public sealed class SafeLoggingTestsOnSqlite() : SafeLoggingTests(DatabaseKind.Sqlite);

public sealed class SafeLoggingTestsOnPostgres() : SafeLoggingTests(DatabaseKind.Postgres);
