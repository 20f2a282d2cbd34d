using Lotse.Domain.Absences;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

/// <summary>Changes an upcoming absence, or the end and note of a running one (its start stays).</summary>
[Authorize(Roles = Roles.Counsellor + "," + Roles.Admins)]
public sealed class EditModel(LotseDb db, AbsenceAccess access, SaveAbsence save, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public AbsenceForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "berater")]
    public Guid? Berater { get; set; }

    public AbsenceOwner Owner { get; private set; } = null!;

    /// <summary>The start of a running absence, which the form shows but cannot change.</summary>
    public DateTime? RunningStart { get; private set; }

    public string Query => Owner.ForCounsellor is { } id ? $"?berater={id}" : "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is not { } current)
        {
            return NotFound();
        }

        if (current.IsPastAt(clock.GetUtcNow().UtcDateTime))
        {
            AbsenceMessages.Add(ModelState, t, new AbsenceProblem(AbsenceProblemKind.AlreadyOver));
        }

        Form = AbsenceForm.From(current);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        if (RunningStart is not null)
        {
            // The form does not offer the start of a running absence; whatever was posted for it is ignored.
            ModelState.Remove($"{AbsenceForm.Prefix}.{nameof(AbsenceForm.FromDate)}");
            ModelState.Remove($"{AbsenceForm.Prefix}.{nameof(AbsenceForm.FromTime)}");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (!ModelState.IsValid || !Form.TryGetPeriod(ModelState, t, now, RunningStart, out var start, out var end))
        {
            return Page();
        }

        var outcome = await save.ChangeAsync(Owner, id, start, end, Form.NoteText, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome.Problem is { } problem)
        {
            AbsenceMessages.Add(ModelState, t, problem);
            return Page();
        }

        TempData[nameof(IndexModel.Message)] = t["Die Abwesenheit ist gespeichert."].Value;
        return LocalRedirect($"/abwesenheiten?gespeichert={id}" + (Owner.ForCounsellor is { } c ? $"&berater={c}" : ""));
    }

    private async Task<AbsencePeriod?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return null;
        }

        Owner = owner;
        var current = await db.Absences.AsNoTracking()
            .Where(a => a.Id == id && a.CounsellorId == owner.CounsellorId)
            .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .SingleOrDefaultAsync(cancellationToken);
        if (current is not null && current.IsRunningAt(clock.GetUtcNow().UtcDateTime))
        {
            RunningStart = current.StartUtc;
        }

        return current;
    }
}
