using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Agencies;
using Lotse.Domain.Audit;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.CounsellorAdmin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.PlatformAdmin;

/// <summary>
/// "/verwaltung/plattform": the platform admin sees every agency at once – its state, how many counsellors it has,
/// how many mail requests are open and how many of them wait in its queue (counts only, never content) – chooses the
/// one to administer on the usual admin pages (<see cref="AdminAgency"/>), and creates new agencies.
/// </summary>
[Authorize(Roles = Roles.PlatformAdmin)]
public sealed class IndexModel(LotseDb db, AdminAgency adminAgency, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public const string Path = "/verwaltung/plattform";

    public sealed record Row(Guid Id, string Name, FederalState State, bool Closed, int Counsellors, int OpenRequests, int Queued);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>The agency the admin pages show now.</summary>
    public Guid? Current { get; private set; }

    [BindProperty]
    public NewAgencyInput Input { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Administer <paramref name="id"/>: the admin pages show that agency from now on.</summary>
    public async Task<IActionResult> OnPostChooseAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Agencies.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return NotFound();
        }

        AdminAgency.Choose(Response, id);
        return LocalRedirect("/verwaltung/aufsicht");
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var name = Input.Name?.Trim();
        if (ModelState.IsValid && name is not null
            && (await db.Agencies.AsNoTracking().Select(a => a.Name).ToListAsync(cancellationToken)).Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
        {
            ModelState.AddModelError("Input.Name", t["Eine Beratungsstelle mit diesem Namen gibt es schon."]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var agency = new Agency(Guid.NewGuid(), name!);
        agency.SetSupport(SupportContactDetails.None, Input.State!.Value);
        db.Agencies.Add(agency);
        await audit.RecordAsync(AuditAction.AgencyCreated, AuditTarget.Of(AuditTargetType.Agency, agency.Id), agency.Id,
            $"Name: {agency.Name}; Bundesland: {SettingsModel.StateName(agency.State)}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        AdminAgency.Choose(Response, agency.Id);
        TempData[nameof(SettingsModel.Saved)] = t["Die Beratungsstelle „{0}“ ist angelegt. Laden Sie jetzt ihre erste Verwaltung oder ihre Berater:innen ein.", agency.Name].Value;
        return LocalRedirect("/verwaltung/beratungsstelle");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = (await adminAgency.FindAsync(cancellationToken))?.Id;
        var agencies = await db.Agencies.AsNoTracking()
            .Select(a => new { a.Id, a.Name, a.State, a.ClosedForNewRequestsUtc })
            .ToListAsync(cancellationToken);
        var counsellors = await (
                from m in db.AgencyMemberships
                join c in db.Counsellors.Active(db) on m.UserId equals c.UserId
                group m by m.AgencyId into g
                select new { AgencyId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.AgencyId, g => g.Count, cancellationToken);
        var requests = await db.MailThreads.AsNoTracking()
            .Where(th => th.State == MailThreadState.Open || th.State == MailThreadState.InProgress)
            .GroupBy(th => th.AgencyId)
            .Select(g => new { AgencyId = g.Key, Open = g.Count(), Queued = g.Count(th => th.CounsellorId == null) })
            .ToDictionaryAsync(g => g.AgencyId, cancellationToken);
        Rows = agencies
            .Select(a => new Row(
                a.Id, a.Name, a.State, a.ClosedForNewRequestsUtc is not null,
                counsellors.GetValueOrDefault(a.Id),
                requests.TryGetValue(a.Id, out var r) ? r.Open : 0,
                requests.TryGetValue(a.Id, out var q) ? q.Queued : 0))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    public sealed class NewAgencyInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(AgencyRules.MaxNameLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Name der Beratungsstelle")]
        public string? Name { get; set; }

        [Required(ErrorMessage = "Bitte wählen Sie im Feld „{0}“ ein Bundesland.")]
        [Display(Name = "Bundesland")]
        public FederalState? State { get; set; }
    }
}
