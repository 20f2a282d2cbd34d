using Lotse.Web.Features.Accounts;
using Lotse.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Absences;

[Authorize(Roles = Roles.Counsellor + "," + Roles.Admins)]
public sealed class NewModel(AbsenceAccess access, SaveAbsence save, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public AbsenceForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "berater")]
    public Guid? Berater { get; set; }

    public AbsenceOwner Owner { get; private set; } = null!;

    public string Query => Owner.ForCounsellor is { } id ? $"?berater={id}" : "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return NotFound();
        }

        Owner = owner;
        var today = DateOnly.FromDateTime(BerlinTime.ToLocal(clock.GetUtcNow().UtcDateTime));
        Form = new AbsenceForm { WholeDays = true, FromDate = today.AddDays(1), ToDate = today.AddDays(1), FromTime = new TimeOnly(9, 0), ToTime = new TimeOnly(17, 0) };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(Berater, cancellationToken) is not { } owner)
        {
            return NotFound();
        }

        Owner = owner;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!ModelState.IsValid || !Form.TryGetPeriod(ModelState, t, now, null, out var start, out var end))
        {
            return Page();
        }

        var outcome = await save.CreateAsync(owner, start, end, Form.NoteText, cancellationToken);
        if (outcome.Problem is { } problem)
        {
            AbsenceMessages.Add(ModelState, t, problem);
            return Page();
        }

        TempData[nameof(IndexModel.Message)] = t["Die Abwesenheit ist gespeichert."].Value;
        return LocalRedirect($"/abwesenheiten?gespeichert={outcome.SavedId}" + (owner.ForCounsellor is { } id ? $"&berater={id}" : ""));
    }
}
