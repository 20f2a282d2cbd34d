using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.CounsellorAdmin;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.MailSettings;

/// <summary>
/// "Einstellungen der Mailberatung": N, the most open requests under "nach Ressourcen", and the personal fallback, a
/// colleague of the same agency who takes forwarded requests before the agency's fallback does.
/// </summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class IndexModel(LotseDb db, CounsellorLookup lookup, ChangeAccountStatus change, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record Colleague(Guid Id, string Name);

    [BindProperty]
    public CapacityInput Input { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public IReadOnlyList<Colleague> Colleagues { get; private set; } = [];

    /// <summary>The agency's fallback, named in the hint ("without a personal one, … takes them").</summary>
    public string? AgencyFallbackName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return Forbid();
        }

        Input.MailCapacity = counsellor.MailCapacity;
        Input.PersonalFallbackId = counsellor.PersonalFallbackId;
        await LoadChoicesAsync(counsellor, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return Forbid();
        }

        await LoadChoicesAsync(counsellor, cancellationToken);
        if (Input.PersonalFallbackId is { } chosen && Colleagues.All(c => c.Id != chosen))
        {
            ModelState.AddModelError("Input.PersonalFallbackId", t["Bitte wählen Sie eine Person aus Ihrer Beratungsstelle."]);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (counsellor.PersonalFallbackId != Input.PersonalFallbackId)
        {
            // Who takes this counsellor's forwarded requests is an assignment: saved below together with N.
            await audit.RecordAsync(AuditAction.AccountStatusChanged, AuditTarget.Of(AuditTargetType.Counsellor, counsellor.Id), null,
                $"Persönliche Fallback-Berater:in: {NameOf(counsellor.PersonalFallbackId)} → {NameOf(Input.PersonalFallbackId)}", cancellationToken);
        }

        counsellor.SetPersonalFallback(Input.PersonalFallbackId);
        await change.ChangeCapacityAsync(counsellor, Input.MailCapacity!.Value, cancellationToken);
        Saved = t["Gespeichert: höchstens {0} offene Anfragen.", Input.MailCapacity.Value];
        return RedirectToPage();
    }

    private string NameOf(Guid? colleague) =>
        colleague is { } id ? Colleagues.FirstOrDefault(c => c.Id == id)?.Name ?? "unbekannt" : "keine";

    private async Task LoadChoicesAsync(Counsellor counsellor, CancellationToken cancellationToken)
    {
        var agencies = db.AgencyMemberships.Where(m => m.UserId == counsellor.UserId).Select(m => m.AgencyId);
        Colleagues = await (
                from m in db.AgencyMemberships.AsNoTracking()
                join c in db.Counsellors.AsNoTracking().Active(db) on m.UserId equals c.UserId
                where agencies.Contains(m.AgencyId) && c.Id != counsellor.Id
                select new Colleague(c.Id, c.DisplayName))
            .Distinct()
            .ToListAsync(cancellationToken);
        Colleagues = Colleagues.OrderBy(c => c.Name, StringComparer.CurrentCulture).ToList();
        AgencyFallbackName = await (
                from a in db.Agencies.AsNoTracking()
                join c in db.Counsellors.AsNoTracking() on a.FallbackCounsellorId equals c.Id
                where agencies.Contains(a.Id)
                orderby a.Id
                select c.DisplayName)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public sealed class CapacityInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(AccountStatus.MinMailCapacity, AccountStatus.MaxMailCapacity, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Höchstzahl offener Mailanfragen")]
        public int? MailCapacity { get; set; }

        [Display(Name = "Persönliche Fallback-Berater:in")]
        public Guid? PersonalFallbackId { get; set; }
    }
}
