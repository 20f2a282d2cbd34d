using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.MailSettings;

/// <summary>"Einstellungen der Mailberatung": N, the most open requests under "nach Ressourcen".</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class IndexModel(CounsellorLookup lookup, ChangeAccountStatus change, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public CapacityInput Input { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return Forbid();
        }

        Input.MailCapacity = counsellor.MailCapacity;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await change.ChangeCapacityAsync(counsellor, Input.MailCapacity!.Value, cancellationToken);
        Saved = t["Gespeichert: höchstens {0} offene Anfragen.", Input.MailCapacity.Value];
        return RedirectToPage();
    }

    public sealed class CapacityInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [Range(AccountStatus.MinMailCapacity, AccountStatus.MaxMailCapacity, ErrorMessage = "Das Feld „{0}“ muss eine ganze Zahl von {1} bis {2} sein.")]
        [Display(Name = "Höchstzahl offener Mailanfragen")]
        public int? MailCapacity { get; set; }
    }
}
