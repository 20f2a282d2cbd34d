using Lotse.Domain.Mail;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Lotse.Web.Features.Mail;

/// <summary>
/// The counsellor's view of a thread: why it reached them, the messages, the answer form, closing and archiving; for a
/// thread in the agency's queue, the button to take it.
/// </summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class CounsellorThreadModel(MailAccess access, LoadMail load, WriteMailMessage write, ChangeMailThread change, MailTexts texts, Audit.AuditLog audit)
    : MailThreadPage(access, load, write, change, texts, audit)
{
    protected override MailSide Side => MailSide.Counsellor;

    public string? WhyHere => Texts.WhyHere(Thread);

    public async Task<IActionResult> OnPostTakeAsync(Guid id, CancellationToken cancellationToken) =>
        await StepAsync(id, Change.TakeAsync, Texts.Taken, cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken cancellationToken) =>
        await StepAsync(id, Change.CloseAsync, Texts.ClosedDone, cancellationToken);

    public async Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken cancellationToken) =>
        await StepAsync(id, Change.ArchiveAsync, Texts.Archived, cancellationToken);

    private async Task<IActionResult> StepAsync(Guid id, Func<MailActor, Guid, CancellationToken, Task<ThreadChange>> step, string done, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            // Taken by a colleague a moment ago is not "not found" for a member of the agency: the step tells which.
            if (Actor is { } counsellor && await step(counsellor, id, cancellationToken) is ThreadChange.TooLate)
            {
                TempData["Notice"] = Texts.TakenByOther;
                return Redirect("/posteingang/warteschlange");
            }

            return NotFound();
        }

        switch (await step(Actor, id, cancellationToken))
        {
            case ThreadChange.Done:
                Notice = done;
                return Redirect(Request.Path);
            case ThreadChange.TooLate:
                TempData["Notice"] = Texts.TakenByOther;
                return Redirect("/posteingang/warteschlange");
            case ThreadChange.NotAllowed:
                Response.StatusCode = StatusCodes.Status409Conflict;
                ModelState.AddModelError(string.Empty, Texts.NotNow);
                return Page();
            default:
                return NotFound();
        }
    }
}
