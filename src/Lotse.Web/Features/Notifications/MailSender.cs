using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Lotse.Web.Features.Notifications;

/// <summary>One e-mail to one recipient: a plain-text body and, for an appointment, its iCalendar invitation.</summary>
public sealed record OutgoingMail(string To, string Subject, string TextBody, CalendarInvitation? Invitation);

/// <summary>An .ics text and its iTIP method (REQUEST or CANCEL), which calendar programs read from the MIME type.</summary>
public sealed record CalendarInvitation(string Ics, string Method);

public interface IMailSender
{
    /// <summary>Delivers the mail or throws; the caller decides about retries.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>Configuration section "Mail".</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>"Lotse &lt;noreply@lotse.example&gt;" or a bare address (then shown as "Lotse").</summary>
    public string From { get; set; } = "Lotse <noreply@lotse.example>";

    /// <summary>
    /// For development: when set, mails are written as .eml files into this folder (relative to the content root)
    /// instead of going to the SMTP server.
    /// </summary>
    public string? PickupDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>How often the dispatcher looks for due mails.</summary>
    public int DispatchSeconds { get; set; } = 5;

    /// <summary>How long before a confirmed appointment the reminder goes out.</summary>
    public int ReminderHoursBefore { get; set; } = 24;

    /// <summary>False runs neither the dispatcher nor the reminder scheduler on their own (tests drive them).</summary>
    public bool BackgroundServices { get; set; } = true;

    public MailboxAddress FromAddress()
    {
        var address = MailboxAddress.Parse(From);
        if (string.IsNullOrWhiteSpace(address.Name))
        {
            address.Name = "Lotse";
        }

        return address;
    }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS when the server offers it (implicit TLS on port 465); false sends in plain text.</summary>
    public bool UseTls { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }
}

/// <summary>Sends over SMTP with MailKit, or drops .eml files into <see cref="MailOptions.PickupDirectory"/>.</summary>
public sealed class MailKitMailSender(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider clock) : IMailSender
{
    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Longer than one SMTP conversation can take; the dispatcher leases a mail for this long.</summary>
    public static readonly TimeSpan MaxSendDuration = SmtpTimeout * 4;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        using var message = Build(mail, settings.FromAddress(), clock.GetUtcNow());

        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            await DropAsync(message, Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath), cancellationToken);
            return;
        }

        var smtp = settings.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            throw new InvalidOperationException("Neither Mail:Smtp:Host nor Mail:PickupDirectory is configured.");
        }

        using var client = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        var security = !smtp.UseTls ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    internal static MimeMessage Build(OutgoingMail mail, MailboxAddress from, DateTimeOffset now)
    {
        var message = new MimeMessage { Subject = mail.Subject, Date = now };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(mail.To));

        var text = new TextPart("plain") { Text = mail.TextBody };
        if (mail.Invitation is not { } invitation)
        {
            message.Body = text;
            return message;
        }

        // text/calendar with the iTIP method is what calendar programs look for; the file name is for everyone else.
        var calendar = new TextPart("calendar")
        {
            Text = invitation.Ics,
            FileName = "termin.ics",
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        calendar.ContentType.Parameters.Add("method", invitation.Method);
        calendar.ContentType.Name = "termin.ics";
        calendar.ContentType.Charset = "utf-8";
        message.Body = new Multipart("mixed") { text, calendar };
        return message;
    }

    private async Task DropAsync(MimeMessage message, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var name = $"{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}";
        var partial = Path.Combine(folder, name + ".tmp");
        // Written under another name and renamed, so that nobody reading the folder sees half a message.
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, Path.Combine(folder, name + ".eml"));
    }
}
