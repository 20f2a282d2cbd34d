namespace Lotse.Web.Features.Mail;

/// <summary>The follow-up form under a thread; its key is made when the page is shown, so a repeated submit stores one message.</summary>
public sealed class MailReplyForm
{
    public string? Body { get; set; }

    public Guid RequestKey { get; set; }
}
