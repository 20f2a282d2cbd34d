using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>What the <see cref="LoopbackSmtpServer"/> was given: the envelope recipients and the message as sent.</summary>
public sealed record ReceivedSmtpMail(string From, IReadOnlyList<string> Recipients, string Data);

/// <summary>
/// Just enough of an SMTP server (RFC 5321, no TLS, no AUTH) on 127.0.0.1 to accept one message, so that a test can
/// prove that the MailKit path really talks SMTP. Nothing leaves the machine.
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<ReceivedSmtpMail> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    public LoopbackSmtpServer(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = ServeOneAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Completes when a whole message has been accepted.</summary>
    public Task<ReceivedSmtpMail> Received => _received.Task;

    /// <summary>A loopback port that nobody listens on right now (a connection to it is refused).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (IOException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeOneAsync(CancellationToken cancellationToken)
    {
        using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        await using var stream = client.GetStream();
        // Latin-1 maps every byte to one char, so whatever transfer encoding the client chose arrives unchanged.
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost Lotse test SMTP");

        var from = "";
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "MAIL":
                    from = Address(line);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    recipients.Add(Address(line));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(cancellationToken) is { } dataLine && dataLine != ".")
                    {
                        // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    _received.TrySetResult(new ReceivedSmtpMail(from, recipients.ToList(), data.ToString()));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET" or "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }
}
