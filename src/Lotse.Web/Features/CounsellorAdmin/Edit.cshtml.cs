using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.CounsellorAdmin;

/// <summary>
/// "/verwaltung/berater/{id}": one counsellor of the admin's agency: name and roles; disabling and re-enabling, each
/// after a confirmation step; and, once disabled, their future appointments, each to be moved to an active colleague.
/// A counsellor of another agency is not found (404).
/// </summary>
[Authorize(Roles = Roles.Admins)]
public sealed class EditModel(
    LotseDb db,
    AdminScope scope,
    UserManager<IdentityUser> users,
    ChangeCounsellor change,
    DisableCounsellor disable,
    EnableCounsellor enable,
    ReassignAppointment reassign,
    TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public const string ConfirmDisable = "deaktivieren";
    public const string ConfirmEnable = "aktivieren";

    public sealed record FutureAppointment(Guid Id, DateTime StartUtc, DateTime EndUtc, AppointmentChannel Channel, AppointmentStatus Status);

    [BindProperty]
    public EditInput Input { get; set; } = new();

    /// <summary>The confirmation step shown: <see cref="ConfirmDisable"/> or <see cref="ConfirmEnable"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "schritt")]
    public string? Step { get; set; }

    [TempData]
    public string? Message { get; set; }

    public Counsellor Counsellor { get; private set; } = null!;

    public string Email { get; private set; } = "";

    public bool IsDisabled { get; private set; }

    public bool IsSelf { get; private set; }

    public int OpenRequests { get; private set; }

    /// <summary>Who takes the open requests on disabling; null: the agency's queue.</summary>
    public string? FallbackName { get; private set; }

    public IReadOnlyList<FutureAppointment> Appointments { get; private set; } = [];

    public IReadOnlyList<(Guid Id, string Name)> Colleagues { get; private set; } = [];

    private Agency _agency = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var user = await users.FindByIdAsync(Counsellor.UserId);
        Input = new EditInput
        {
            DisplayName = Counsellor.DisplayName,
            IsCounsellor = user is not null && await users.IsInRoleAsync(user, Roles.Counsellor),
            IsAdmin = user is not null && await users.IsInRoleAsync(user, Roles.AgencyAdmin),
        };
        return Page();
    }

    /// <summary>Name and roles.</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!Input.IsCounsellor && !Input.IsAdmin)
        {
            ModelState.AddModelError("Input.Roles", t["Bitte wählen Sie im Feld „Rollen“ mindestens eine Rolle."]);
        }

        if (IsSelf && ModelState.IsValid && !Input.IsAdmin)
        {
            ModelState.AddModelError("Input.Roles", t["Ihre eigene Rolle Administrator:in können Sie nicht entziehen."]);
        }

        if (!ModelState.IsValid)
        {
            return BadRequestPage();
        }

        var outcome = await change.HandleAsync(_agency.Id, Counsellor, new CounsellorChange(Input.DisplayName!, Input.IsCounsellor, Input.IsAdmin), cancellationToken);
        if (outcome == ChangeOutcome.StillCounselling)
        {
            ModelState.AddModelError("Input.Roles", t["{0} hat noch offene Mailanfragen oder künftige Termine. Um sie zu übergeben, deaktivieren Sie den Zugang; die Rolle Berater:in bleibt so lange.", Counsellor.DisplayName]);
            return BadRequestPage();
        }

        Message = t["Die Änderungen an {0} sind gespeichert.", Input.DisplayName!.Trim()];
        return LocalRedirect($"/verwaltung/berater/{id}");
    }

    public async Task<IActionResult> OnPostDisableAsync(Guid id, [FromForm] bool confirmed, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        ModelState.Clear();
        if (IsSelf)
        {
            ModelState.AddModelError(string.Empty, t["Ihren eigenen Zugang können Sie nicht deaktivieren."]);
        }
        else if (IsDisabled)
        {
            ModelState.AddModelError(string.Empty, t["Der Zugang von {0} ist schon deaktiviert.", Counsellor.DisplayName]);
        }
        else if (!confirmed)
        {
            Step = ConfirmDisable;
            ModelState.AddModelError(string.Empty, t["Bitte bestätigen Sie, dass Sie den Zugang deaktivieren wollen."]);
        }

        if (!ModelState.IsValid)
        {
            return await BadRequestPageWithInputAsync();
        }

        var summary = await disable.HandleAsync(_agency.Id, Counsellor, cancellationToken);
        Message = summary.HandedOver == 0
            ? t["Der Zugang von {0} ist deaktiviert.", Counsellor.DisplayName]
            : summary.FallbackName is { } fallback
                ? t["Der Zugang von {0} ist deaktiviert. {1} offene Mailanfragen hat jetzt {2}.", Counsellor.DisplayName, summary.HandedOver, fallback]
                : t["Der Zugang von {0} ist deaktiviert. {1} offene Mailanfragen warten jetzt in der Warteschlange.", Counsellor.DisplayName, summary.HandedOver];
        return LocalRedirect($"/verwaltung/berater/{id}");
    }

    public async Task<IActionResult> OnPostEnableAsync(Guid id, [FromForm] bool confirmed, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        ModelState.Clear();
        if (!IsDisabled)
        {
            ModelState.AddModelError(string.Empty, t["Der Zugang von {0} ist nicht deaktiviert.", Counsellor.DisplayName]);
        }
        else if (!confirmed)
        {
            Step = ConfirmEnable;
            ModelState.AddModelError(string.Empty, t["Bitte bestätigen Sie, dass Sie den Zugang wieder aktivieren wollen."]);
        }

        if (!ModelState.IsValid)
        {
            return await BadRequestPageWithInputAsync();
        }

        await enable.HandleAsync(_agency.Id, Counsellor, cancellationToken);
        Message = t["Der Zugang von {0} ist wieder aktiv. {0} kann sich wieder anmelden.", Counsellor.DisplayName];
        return LocalRedirect($"/verwaltung/berater/{id}");
    }

    public async Task<IActionResult> OnPostReassignAsync(Guid id, [FromForm] Guid? appointmentId, [FromForm] Guid? newCounsellorId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        ModelState.Clear();
        var field = $"Neu-{appointmentId}";
        if (appointmentId is not { } appointment || Appointments.All(a => a.Id != appointment))
        {
            ModelState.AddModelError(string.Empty, t["Diesen Termin gibt es nicht mehr oder er kann nicht übertragen werden."]);
            return await BadRequestPageWithInputAsync();
        }

        if (newCounsellorId is not { } to || Colleagues.All(c => c.Id != to))
        {
            ModelState.AddModelError(field, t["Bitte wählen Sie im Feld „Übertragen an“ eine aktive Berater:in Ihrer Beratungsstelle."]);
            return await BadRequestPageWithInputAsync();
        }

        var outcome = await reassign.HandleAsync(_agency.Id, Counsellor.Id, appointment, to, cancellationToken);
        var name = Colleagues.First(c => c.Id == to).Name;
        switch (outcome)
        {
            case ReassignOutcome.Reassigned:
                Message = t["Der Termin ist an {0} übertragen. {0} und die ratsuchende Person sind benachrichtigt; {0} bestätigt den Termin unter „Termine“.", name];
                return LocalRedirect($"/verwaltung/berater/{id}");
            case ReassignOutcome.Overlaps:
                ModelState.AddModelError(field, t["{0} hat zu dieser Zeit schon einen Termin. Bitte wählen Sie jemand anderen.", name]);
                break;
            case ReassignOutcome.InvalidCounsellor:
                ModelState.AddModelError(field, t["Bitte wählen Sie im Feld „Übertragen an“ eine aktive Berater:in Ihrer Beratungsstelle."]);
                break;
            default:
                ModelState.AddModelError(string.Empty, t["Diesen Termin gibt es nicht mehr oder er kann nicht übertragen werden."]);
                break;
        }

        return await BadRequestPageWithInputAsync();
    }

    private PageResult BadRequestPage()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>A refused action of the lower forms: the name and roles form shows what is stored.</summary>
    private async Task<PageResult> BadRequestPageWithInputAsync()
    {
        var user = await users.FindByIdAsync(Counsellor.UserId);
        Input = new EditInput
        {
            DisplayName = Counsellor.DisplayName,
            IsCounsellor = user is not null && await users.IsInRoleAsync(user, Roles.Counsellor),
            IsAdmin = user is not null && await users.IsInRoleAsync(user, Roles.AgencyAdmin),
        };
        return BadRequestPage();
    }

    /// <summary>Loads everything the page shows; 403 for an admin without agency, 404 for a counsellor not of it.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await scope.AgencyAsync(cancellationToken) is not { } agency)
        {
            return Forbid();
        }

        if (await scope.CounsellorAsync(agency.Id, id, cancellationToken) is not { } counsellor)
        {
            return NotFound();
        }

        _agency = agency;
        Counsellor = counsellor;
        IsSelf = scope.IsSelf(counsellor);
        var now = clock.GetUtcNow().UtcDateTime;
        Email = await db.Users.AsNoTracking().Where(u => u.Id == counsellor.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) ?? "";
        IsDisabled = await db.AccountSecurity.AsNoTracking().AnyAsync(a => a.UserId == counsellor.UserId && a.DisabledUtc != null, cancellationToken);
        OpenRequests = await db.MailThreads.AsNoTracking().OpenRequests().CountAsync(m => m.CounsellorId == counsellor.Id, cancellationToken);
        FallbackName = agency.FallbackCounsellorId is { } fallback && fallback != counsellor.Id
            ? await db.Counsellors.AsNoTracking().Where(c => c.Id == fallback).Select(c => c.DisplayName).SingleOrDefaultAsync(cancellationToken)
            : null;
        Appointments = (await db.Appointments.AsNoTracking()
                .Where(a => a.CounsellorId == counsellor.Id && a.StartUtc > now
                    && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed))
                .Select(a => new FutureAppointment(a.Id, a.StartUtc, a.EndUtc, a.Channel, a.Status))
                .ToListAsync(cancellationToken))
            .OrderBy(a => a.StartUtc)
            .ToList();
        Colleagues = (await scope.ActiveCounsellorsAsync(agency.Id, cancellationToken)).Where(c => c.Id != counsellor.Id).ToList();
        return null;
    }

    public sealed class EditInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [StringLength(Domain.Accounts.Counsellor.MaxDisplayNameLength, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        [Display(Name = "Name")]
        public string? DisplayName { get; set; }

        [Display(Name = "Berater:in")]
        public bool IsCounsellor { get; set; }

        [Display(Name = "Administrator:in dieser Beratungsstelle")]
        public bool IsAdmin { get; set; }
    }
}
