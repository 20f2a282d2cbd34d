using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

/// <summary>A client writes a new mail request, to a counsellor (?berater=) or to a counselling centre (?stelle=).</summary>
[Authorize(Roles = Roles.Client)]
public sealed class NewMailModel(LotseDb db, LoadClientAvailability availability, AgencyTermsLoader terms, MailAccess access, SendMailRequest send, MailTexts texts) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "berater")]
    public Guid? CounsellorId { get; set; }

    [BindProperty(SupportsGet = true, Name = "stelle")]
    public Guid? AgencyId { get; set; }

    [BindProperty]
    public MailRequestForm Form { get; set; } = new();

    public string AddresseeName { get; private set; } = "";

    public CounsellorAvailabilityView? Counsellor { get; private set; }

    /// <summary>Set while the addressed agency (or the counsellor's) takes no new requests: no form, its message instead.</summary>
    public AgencyClosure? Closure { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAddresseeAsync(cancellationToken))
        {
            return NotFound();
        }

        Form = new MailRequestForm { RequestKey = Guid.NewGuid() };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAddresseeAsync(cancellationToken) || await access.CurrentAsync(cancellationToken) is not { Side: MailSide.Client } client)
        {
            return NotFound();
        }

        if (Form.RequestKey == Guid.Empty)
        {
            Form.RequestKey = Guid.NewGuid();
        }

        var result = await send.SendAsync(client.Id, new MailAddressee(CounsellorId, CounsellorId is null ? AgencyId : null), Form.Subject, Form.Body, Form.RequestKey, cancellationToken);
        switch (result)
        {
            case MailRequestSent sent:
                TempData["Notice"] = texts.Arrived;
                return Redirect($"/anfragen/{sent.ThreadId}");
            case MailRequestInvalid invalid:
                var subjectProblem = invalid.Problem is MailTextProblem.EmptySubject or MailTextProblem.SubjectTooLong;
                ModelState.AddModelError(subjectProblem ? "Form.Subject" : "Form.Body", texts.Problem(invalid.Problem));
                // The rules stop at the first problem; an empty form must name both fields at once, not one per attempt.
                if (subjectProblem && MailRules.CheckFollowUp(Form.Body) is { IsValid: false } body)
                {
                    ModelState.AddModelError("Form.Body", texts.Problem(body.Problem));
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case MailRequestNotReachable:
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case MailAgencyClosed:
                // Closed between showing the form and sending it: the page now shows why, and what was typed stays.
                if (Closure is null)
                {
                    await LoadAddresseeAsync(cancellationToken);
                }

                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<bool> LoadAddresseeAsync(CancellationToken cancellationToken)
    {
        if (CounsellorId is { } counsellorId)
        {
            Counsellor = await availability.LoadAsync(counsellorId, cancellationToken);
            AddresseeName = Counsellor?.DisplayName ?? "";
            Closure = Counsellor?.Closure;
            return Counsellor is not null;
        }

        AddresseeName = await db.Agencies.AsNoTracking().Where(a => a.Id == AgencyId).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        if (AddresseeName.Length == 0)
        {
            return false;
        }

        Closure = (await terms.ForAgencyAsync(AgencyId!.Value, cancellationToken)).Closure;
        return true;
    }

    public sealed class MailRequestForm
    {
        public string? Subject { get; set; }

        public string? Body { get; set; }

        /// <summary>Made when the form is shown; sending the same form twice stores one request.</summary>
        public Guid RequestKey { get; set; }
    }
}
