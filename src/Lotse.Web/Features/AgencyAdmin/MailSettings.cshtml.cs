using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.CounsellorAdmin;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>
/// The agency admin's mail settings: the agency's fallback counsellor (takes what its counsellors cannot) and the
/// response target after which an unanswered request shows as "überfällig". Only for the admin's own agency.
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class MailSettingsModel(LotseDb db, AdminAgency adminAgency, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Choice(Guid Id, string Name);

    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public string AgencyName { get; private set; } = "";

    public IReadOnlyList<Choice> Counsellors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await OwnAgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        Input.FallbackCounsellorId = agency.FallbackCounsellorId;
        Input.ResponseTargetHours = agency.ResponseTargetHours;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await OwnAgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        if (Input.FallbackCounsellorId is { } chosen && Counsellors.All(c => c.Id != chosen))
        {
            // A disabled counsellor of the agency (issue 8) is named as such; anyone else is simply not on the list.
            var disabled = await db.Counsellors.AsNoTracking()
                .Where(c => c.Id == chosen && db.AgencyMemberships.Any(m => m.UserId == c.UserId && m.AgencyId == agency.Id))
                .Where(c => !db.Counsellors.Active(db).Any(a => a.Id == c.Id))
                .Select(c => c.DisplayName)
                .FirstOrDefaultAsync(cancellationToken);
            ModelState.AddModelError("Input.FallbackCounsellorId", disabled is null
                ? t["Bitte wählen Sie eine Berater:in Ihrer Beratungsstelle."]
                : t["„{0}“ ist deaktiviert und kann nicht Fallback-Berater:in sein.", disabled]);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var changes = new List<string>();
        if (agency.FallbackCounsellorId != Input.FallbackCounsellorId)
        {
            changes.Add($"Fallback-Berater:in: {NameOf(agency.FallbackCounsellorId)} → {NameOf(Input.FallbackCounsellorId)}");
        }

        if (agency.ResponseTargetHours != Input.ResponseTargetHours)
        {
            changes.Add($"Antwortziel: {agency.ResponseTargetHours} h → {Input.ResponseTargetHours} h");
        }

        if (changes.Count > 0)
        {
            await audit.RecordAsync(AuditAction.AgencyMailSettingsChanged, AuditTarget.Of(AuditTargetType.Agency, agency.Id), agency.Id, string.Join("; ", changes), cancellationToken);
        }

        agency.SetFallbackCounsellor(Input.FallbackCounsellorId);
        agency.SetResponseTarget(Input.ResponseTargetHours!.Value);
        await db.SaveChangesAsync(cancellationToken);
        Saved = t["Die Einstellungen der Mailberatung sind gespeichert."];
        return RedirectToPage();
    }

    private string NameOf(Guid? counsellor) =>
        counsellor is { } id ? Counsellors.FirstOrDefault(c => c.Id == id)?.Name ?? "unbekannt" : "keine";

    private async Task<Domain.Agencies.Agency?> OwnAgencyAsync(CancellationToken cancellationToken)
    {
        var agency = await adminAgency.FindAsync(cancellationToken);
        if (agency is null)
        {
            return null;
        }

        AgencyName = agency.Name;
        var ids = await MailLoads.CounsellorsOfAsync(db, agency.Id, cancellationToken);
        Counsellors = (await db.Counsellors.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new Choice(c.Id, c.DisplayName)).ToListAsync(cancellationToken))
            .OrderBy(c => c.Name, StringComparer.CurrentCulture)
            .ToList();
        return agency;
    }

    public sealed class SettingsInput
    {
        [Display(Name = "Fallback-Berater:in der Beratungsstelle")]
        public Guid? FallbackCounsellorId { get; set; }

        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(MailRules.MinResponseTargetHours, MailRules.MaxResponseTargetHours, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Antwortziel in Stunden")]
        public int? ResponseTargetHours { get; set; }
    }
}
