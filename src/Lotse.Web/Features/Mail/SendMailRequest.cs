using Lotse.Domain.Mail;
using Lotse.Web.Features.Audit;

namespace Lotse.Web.Features.Mail;

/// <summary>Where the client writes: one counsellor, or a counselling centre as a whole.</summary>
public sealed record MailAddressee(Guid? CounsellorId, Guid? AgencyId);

public abstract record MailRequestResult;

public sealed record MailRequestSent(Guid ThreadId) : MailRequestResult;

public sealed record MailRequestInvalid(MailTextProblem Problem) : MailRequestResult;

/// <summary>The counsellor takes only regular clients (black toggle) and this client is not one.</summary>
public sealed record MailRequestNotReachable : MailRequestResult;

public sealed record MailAddresseeNotFound : MailRequestResult;

/// <summary>The agency takes no new requests (issue 8); nothing was stored.</summary>
public sealed record MailAgencyClosed : MailRequestResult;

/// <summary>
/// A client's new mail request: checks the text and hands it to <see cref="MailRoutingBatcher"/>, which routes and stores it
/// (<see cref="RouteMailRequests"/>) with whatever else arrives at the same time. The result comes after the commit.
/// </summary>
public sealed class SendMailRequest(MailRoutingBatcher queue, AuditLog audit)
{
    public async Task<MailRequestResult> SendAsync(Guid clientId, MailAddressee to, string? subject, string? body, Guid requestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        var text = MailRules.CheckRequest(subject, body);
        if (!text.IsValid)
        {
            return new MailRequestInvalid(text.Problem);
        }

        var actor = await audit.CurrentActorAsync(cancellationToken);
        return await queue.SubmitAsync(new PendingMailRequest(clientId, to, text, requestKey, actor), cancellationToken);
    }
}
