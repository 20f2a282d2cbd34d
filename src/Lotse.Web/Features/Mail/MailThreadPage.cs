using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Features.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Mail;

/// <summary>
/// What the client's and the counsellor's thread pages share: load the thread if the caller may see it (404
/// otherwise), mark it read, and take a follow-up. The pages add what only their side sees and does.
/// </summary>
public abstract class MailThreadPage(MailAccess access, LoadMail load, WriteMailMessage write, ChangeMailThread change, MailTexts texts, AuditLog audit) : PageModel
{
    [BindProperty]
    public MailReplyForm Reply { get; set; } = new();

    public MailThreadView Thread { get; private set; } = null!;

    public MailActor Actor { get; private set; } = null!;

    protected MailTexts Texts => texts;

    protected ChangeMailThread Change => change;

    [TempData]
    public string? Notice { get; set; }

    protected abstract MailSide Side { get; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Reply = new MailReplyForm { RequestKey = Guid.NewGuid() };
        await change.MarkReadAsync(Actor, id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var result = await write.WriteAsync(Actor, id, Reply.Body, Reply.RequestKey, cancellationToken);
        switch (result.Outcome)
        {
            case WriteOutcome.Sent:
                Notice = texts.Sent;
                return Redirect(Request.Path);
            case WriteOutcome.Invalid:
                ModelState.AddModelError("Reply.Body", texts.Problem(result.Problem));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case WriteOutcome.Closed or WriteOutcome.NotTaken:
                // The reply box is not shown in these states: the message goes to the top of the page.
                ModelState.AddModelError(string.Empty, result.Outcome == WriteOutcome.Closed ? texts.ClosedNoReply : texts.TakeFirst);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFound();
        }
    }

    protected async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await access.CurrentAsync(cancellationToken) is not { } actor || actor.Side != Side)
        {
            return false;
        }

        Actor = actor;
        if (await access.ThreadAsync(actor, id, tracked: false, cancellationToken) is not { } thread)
        {
            return false;
        }

        if (actor.Side == MailSide.Counsellor)
        {
            // Every request that loads the messages for a counsellor may show them: recorded (and saved) before they are.
            await audit.RecordReadAsync(AuditAction.MailThreadRead, AuditTarget.Of(AuditTargetType.MailThread, thread.Id), thread.AgencyId,
                thread.IsInQueue ? "Anfrage aus der Warteschlange geöffnet" : "Verlauf geöffnet", cancellationToken);
        }

        Thread = await load.ThreadAsync(thread, cancellationToken);
        return true;
    }
}
