using Lotse.Domain.Mail;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Lotse.Web.Features.Mail;

/// <summary>The client's view of one of their mail requests: who answers, the messages, and a follow-up.</summary>
[Authorize(Roles = Roles.Client)]
public sealed class ClientThreadModel(MailAccess access, LoadMail load, WriteMailMessage write, ChangeMailThread change, MailTexts texts, Audit.AuditLog audit)
    : MailThreadPage(access, load, write, change, texts, audit)
{
    protected override MailSide Side => MailSide.Client;

    public string WhoAnswers => Texts.WhoAnswers(Thread);
}
