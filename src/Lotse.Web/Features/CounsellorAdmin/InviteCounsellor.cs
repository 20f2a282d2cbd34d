using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.CounsellorAdmin;

public sealed record InviteRequest(Guid AgencyId, string DisplayName, string Email);

public enum InviteOutcome
{
    Invited,

    /// <summary>An account with this e-mail address (or login) exists already.</summary>
    AccountExists,

    /// <summary>Another agency's invitation to this address is still open.</summary>
    PendingElsewhere,

    /// <summary>The mail could not be sent; nothing was kept.</summary>
    MailFailed,
}

/// <summary>
/// An agency admin invites a counsellor by e-mail: the invitation (with the hash of its one-time token) is stored, the
/// mail with the link is sent at once, and the invitation is audited. A new invitation from the same agency to the
/// same address replaces an open one (a lost mail can be sent again). The account is made when the link is used.
/// </summary>
public sealed partial class InviteCounsellor(
    LotseDb db,
    UserManager<IdentityUser> users,
    IMailSender mail,
    AuditLog audit,
    TimeProvider clock,
    IConfiguration configuration,
    IStringLocalizer<SharedResource> t,
    ILogger<InviteCounsellor> logger)
{
    public const string AcceptPath = "/einladung";

    public async Task<InviteOutcome> HandleAsync(InviteRequest request, string invitedByUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email.Trim();
        var normalized = users.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, cancellationToken))
        {
            return InviteOutcome.AccountExists;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var open = (await db.CounsellorInvitations.Where(i => i.UsedUtc == null && i.ExpiresUtc > now).ToListAsync(cancellationToken))
            .Where(i => string.Equals(users.NormalizeEmail(i.Email), normalized, StringComparison.Ordinal))
            .ToList();
        if (open.Any(i => i.AgencyId != request.AgencyId))
        {
            return InviteOutcome.PendingElsewhere;
        }

        foreach (var old in open)
        {
            old.Withdraw(now);
        }

        var token = InvitationTokens.NewToken();
        var invitation = new CounsellorInvitation(Guid.NewGuid(), request.AgencyId, email, request.DisplayName.Trim(), InvitationTokens.Hash(token), invitedByUserId, now);
        db.CounsellorInvitations.Add(invitation);
        // The address is personal data of staff, not counselling content; the log keeps the name the admin typed only.
        await audit.RecordAsync(AuditAction.CounsellorInvited, AuditTarget.Of(AuditTargetType.Invitation, invitation.Id), request.AgencyId,
            $"Einladung an {invitation.DisplayName} versandt (gültig bis {invitation.ExpiresUtc:yyyy-MM-dd HH:mm} UTC)" + (open.Count > 0 ? "; frühere Einladung ersetzt" : ""), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            await mail.SendAsync(Compose(invitation, token), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The admin sees that it failed and may try again; the link nobody received must not stay valid.
            LogFailed(logger, e.GetType().Name);
            invitation.Withdraw(clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            return InviteOutcome.MailFailed;
        }

        return InviteOutcome.Invited;
    }

    /// <summary>The mail holds the link and says what it is for; nothing about anyone's counselling.</summary>
    private OutgoingMail Compose(CounsellorInvitation invitation, string token)
    {
        var baseUrl = (configuration["App:PublicUrl"] is { Length: > 0 } url ? url : NotificationLinks.DefaultPublicUrl).TrimEnd('/');
        // In the query string, whose "token=" the log masking hides; the page posts it on in a form field.
        var link = $"{baseUrl}{AcceptPath}?token={Uri.EscapeDataString(token)}";
        var body = string.Join("\n\n",
            t["Guten Tag,"],
            t["Sie wurden eingeladen, bei Lotse als Berater:in mitzuarbeiten. Mit diesem Link legen Sie Ihr Passwort und die Anmeldung in zwei Schritten fest; er gilt 7 Tage und nur einmal:"],
            link,
            t["Wenn Sie mit dieser Einladung nichts anfangen können, müssen Sie nichts tun."],
            t["Ihr Lotse-Team"]);
        return new OutgoingMail(invitation.Email, t["Lotse: Einladung als Berater:in"], body, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An invitation mail could not be sent ({Error}).")]
    private static partial void LogFailed(ILogger logger, string error);
}
