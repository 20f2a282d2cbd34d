using Lotse.Domain.Absences;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

/// <summary>Asks before deleting; only an absence that has not begun can be deleted.</summary>
[Authorize(Roles = Roles.Counsellor + "," + Roles.Admins)]
public sealed class DeleteModel(LotseDb db, AbsenceAccess access, SaveAbsence save, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "berater")]
    public Guid? Berater { get; set; }

    public AbsenceOwner Owner { get; private set; } = null!;

    public AbsencePeriod Absence { get; private set; } = null!;

    public string Query => Owner.ForCounsellor is { } id ? $"?berater={id}" : "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var outcome = await save.DeleteAsync(Owner, id, cancellationToken);
        if (outcome.NotFound)
        {
            return NotFound();
        }

        if (outcome.Problem is { } problem)
        {
            AbsenceMessages.Add(ModelState, t, problem);
            return Page();
        }

        TempData[nameof(IndexModel.Message)] = t["Die Abwesenheit ist gelöscht."].Value;
        return LocalRedirect("/abwesenheiten" + Query);
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return false;
        }

        Owner = owner;
        var absence = await db.Absences.AsNoTracking()
            .Where(a => a.Id == id && a.CounsellorId == owner.CounsellorId)
            .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
            .SingleOrDefaultAsync(cancellationToken);
        Absence = absence!;
        return absence is not null;
    }
}
