using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Privacy;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// "Datenschutz" for the agency admin: after how many days an unused anonymous account and a closed conversation are
/// deleted (<see cref="RetentionRules"/> has the bounds). Only for the admin's own agency.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class RetentionSettingsModel(LotseDb db, AdminAgency adminAgency, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public RetentionInput Input { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public string AgencyName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await OwnAgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        Input.InactiveClientDays = agency.InactiveClientDays;
        Input.ClosedConversationDays = agency.ClosedConversationDays;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await OwnAgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        agency.SetRetention(Input.InactiveClientDays!.Value, Input.ClosedConversationDays!.Value);
        await db.SaveChangesAsync(cancellationToken);
        Saved = t["Die Löschfristen sind gespeichert."];
        return RedirectToPage();
    }

    private async Task<Domain.Agencies.Agency?> OwnAgencyAsync(CancellationToken cancellationToken)
    {
        var agency = await adminAgency.FindAsync(cancellationToken);
        AgencyName = agency?.Name ?? "";
        return agency;
    }

    public sealed class RetentionInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(RetentionRules.MinInactiveClientDays, RetentionRules.MaxInactiveClientDays, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Unbenutzte anonyme Konten löschen nach (Tagen)")]
        public int? InactiveClientDays { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(RetentionRules.MinClosedConversationDays, RetentionRules.MaxClosedConversationDays, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Abgeschlossene Gespräche löschen nach (Tagen)")]
        public int? ClosedConversationDays { get; set; }
    }
}
