using System.Threading.Channels;
using Lotse.Web.Data;
using Lotse.Web.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Security;

public sealed record PasswordResetMailRequest(string Email);

/// <summary>
/// "Passwort vergessen" by e-mail (staff, and clients who gave an address): every account with that address gets a
/// mail with a link valid for 30 minutes (<see cref="PasswordResetTokenProvider"/>). The page answers the same whether
/// an account exists or not, and the mail is sent after the answer (<see cref="PasswordResetMails"/>), so neither the
/// text nor the time tells. The mail holds the link and nothing about the account or any counselling.
/// </summary>
public sealed class RequestPasswordResetMail(
    UserManager<IdentityUser> users,
    LotseDb db,
    PasswordResetMails mails,
    IConfiguration configuration,
    IStringLocalizer<SharedResource> t)
{
    public async Task HandleAsync(PasswordResetMailRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var normalized = users.NormalizeEmail(request.Email.Trim());
        var accounts = await db.Users.Where(u => u.NormalizedEmail == normalized && u.Email != null).ToListAsync(cancellationToken);
        var baseUrl = (configuration["App:PublicUrl"] is { Length: > 0 } url ? url : NotificationLinks.DefaultPublicUrl).TrimEnd('/');
        foreach (var user in accounts)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = $"{baseUrl}/passwort-neu?konto={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}";
            var body = string.Join("\n\n",
                t["Guten Tag,"],
                t["für Ihren Zugang bei Lotse wurde ein neues Passwort angefordert. Mit diesem Link legen Sie es fest; er gilt 30 Minuten und nur einmal:"],
                link,
                t["Wenn Sie das nicht angefordert haben, müssen Sie nichts tun: Ihr Passwort bleibt, wie es ist."],
                t["Ihr Lotse-Team"]);
            mails.Enqueue(new OutgoingMail(user.Email!, t["Lotse: Passwort zurücksetzen"], body, null));
        }
    }
}

/// <summary>Sends reset mails in the background, in the order asked; a mail lost in a crash is asked for again.</summary>
public sealed partial class PasswordResetMails(IMailSender sender, ILogger<PasswordResetMails> logger) : BackgroundService
{
    private readonly Channel<OutgoingMail> _queue = Channel.CreateUnbounded<OutgoingMail>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(OutgoingMail mail) => _queue.Writer.TryWrite(mail);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await sender.SendAsync(mail, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // No address, no link in the log: the person can ask again.
                    LogFailed(logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A password reset mail could not be sent ({Error}).")]
    private static partial void LogFailed(ILogger logger, string error);
}
