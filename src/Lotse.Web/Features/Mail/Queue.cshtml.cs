using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Mail;

/// <summary>The unassigned queue of the counsellor's agencies: requests nobody could take, longest waiting first.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class QueueModel(MailAccess access, LoadMail load, ChangeMailThread change, MailTexts texts, AuditLog audit, CounsellorAgencies agencies) : PageModel
{
    public IReadOnlyList<MailListItem> Items { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await access.CurrentAsync(cancellationToken) is not { Side: MailSide.Counsellor } counsellor)
        {
            return Forbid();
        }

        Items = await load.QueueAsync(counsellor.Id, cancellationToken);
        // The queue lists subjects of requests from clients this counsellor does not counsel (yet).
        if ((await agencies.OfAsync(counsellor.Id, cancellationToken))?.Id is { } agency)
        {
            await audit.RecordReadAsync(AuditAction.MailQueueViewed, AuditTarget.Of(AuditTargetType.Agency, agency), agency,
                $"Warteschlange angesehen ({Items.Count} Anfragen)", cancellationToken);
        }

        return Page();
    }

    /// <summary>"Übernehmen" straight from the list; two colleagues at once: one wins, the other is told.</summary>
    public async Task<IActionResult> OnPostTakeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await access.CurrentAsync(cancellationToken) is not { Side: MailSide.Counsellor } counsellor)
        {
            return Forbid();
        }

        switch (await change.TakeAsync(counsellor, id, cancellationToken))
        {
            case ThreadChange.Done:
                TempData["Notice"] = texts.Taken;
                return Redirect($"/posteingang/{id}");
            case ThreadChange.TooLate or ThreadChange.NotAllowed:
                Notice = texts.TakenByOther;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return await OnGetAsync(cancellationToken);
            default:
                return NotFound();
        }
    }
}
