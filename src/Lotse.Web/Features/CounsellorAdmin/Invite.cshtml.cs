using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Agencies;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>"/verwaltung/berater/einladen": name and e-mail address; the invitee gets a one-time link valid for 7 days.</summary>
[Authorize(Roles = Roles.Admins)]
public sealed class InviteModel(AdminScope scope, InviteCounsellor invite, CurrentUser user, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public InviteInput Input { get; set; } = new();

    [TempData]
    public string? Message { get; set; }

    public string AgencyName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await scope.AgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        AgencyName = agency.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await scope.AgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        AgencyName = agency.Name;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await invite.HandleAsync(new InviteRequest(agency.Id, Input.DisplayName!, Input.Email!), user.UserId!, cancellationToken);
        switch (outcome)
        {
            case InviteOutcome.Invited:
                Message = t["Die Einladung an {0} ist versandt. Der Link gilt 7 Tage.", Input.Email!.Trim()];
                return LocalRedirect("/verwaltung/berater");
            case InviteOutcome.AccountExists:
                ModelState.AddModelError("Input.Email", t["Für die E-Mail-Adresse „{0}“ gibt es schon einen Zugang. Eine Einladung ist nicht nötig.", Input.Email!.Trim()]);
                break;
            case InviteOutcome.PendingElsewhere:
                ModelState.AddModelError("Input.Email", t["An die E-Mail-Adresse „{0}“ ist schon eine Einladung unterwegs.", Input.Email!.Trim()]);
                break;
            default:
                ModelState.AddModelError(string.Empty, t["Die Einladung konnte nicht versandt werden. Bitte versuchen Sie es später noch einmal."]);
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public sealed class InviteInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(CounsellorInvitation.MaxNameLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Name")]
        public string? DisplayName { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [EmailAddress(ErrorMessage = "Bitte geben Sie im Feld „{0}“ eine gültige E-Mail-Adresse ein.")]
        [StringLength(CounsellorInvitation.MaxEmailLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "E-Mail-Adresse")]
        public string? Email { get; set; }
    }
}
