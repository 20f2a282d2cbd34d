using System.ComponentModel.DataAnnotations;
using Lotse.Domain.Accounts;
using Lotse.Domain.Dashboard;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Dashboard;

/// <summary>
/// "/": the counsellor dashboard with its three tiles. Anyone else is sent where they belong
/// (visitors to the welcome page, clients and admins to the counsellor list).
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(
    CounsellorLookup lookup,
    LoadDashboard loadDashboard,
    ChangeAccountStatus changeStatus,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public DashboardView? View { get; private set; }

    [BindProperty]
    public StatusInput Status { get; set; } = new();

    [TempData]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Page();
        }

        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return LocalRedirect(
                User.IsInRole(Roles.PlatformAdmin) ? PlatformAdmin.IndexModel.Path
                : User.IsInRole(Roles.AgencyAdmin) ? "/abwesenheiten/team"
                : "/berater");
        }

        await ShowAsync(counsellor, cancellationToken);
        return Page();
    }

    /// <summary>Saves the toggle and the two modes. Called on every change by script, or by the fallback button.</summary>
    public async Task<IActionResult> OnPostStatusAsync(CancellationToken cancellationToken)
    {
        var counsellor = await lookup.CurrentCounsellorAsync(cancellationToken);
        if (counsellor is null)
        {
            return User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();
        }

        var byScript = Request.Headers.XRequestedWith == "fetch";
        if (!ModelState.IsValid)
        {
            if (byScript)
            {
                return StatusProblem();
            }

            await ShowAsync(counsellor, cancellationToken);
            return Page();
        }

        var status = await changeStatus.ChangeAsync(counsellor, Status.RegularClientsOnly, Status.Chat!.Value, Status.Mail!.Value, cancellationToken);
        if (byScript)
        {
            return new JsonResult(new { message = t["Gespeichert. Die Änderung gilt ab sofort."].Value, status });
        }

        Saved = t["Gespeichert. Die Änderung gilt ab sofort."];
        return LocalRedirect("/");
    }

    private async Task ShowAsync(Counsellor counsellor, CancellationToken cancellationToken)
    {
        var loaded = await loadDashboard.LoadAsync(counsellor, cancellationToken);
        View = loaded.View;
        HttpContext.Features.Set(new DashboardPageFacts(counsellor.Id, loaded.NextChangeUtc));
        if (ModelState.IsValid)
        {
            Status = new StatusInput { RegularClientsOnly = counsellor.RegularClientsOnly, Chat = counsellor.ChatMode, Mail = counsellor.MailMode };
        }
    }

    private ObjectResult StatusProblem()
    {
        var problem = new ValidationProblemDetails(ModelState)
        {
            Title = t["Die Änderung wurde nicht gespeichert."],
            Status = StatusCodes.Status400BadRequest,
        };
        var result = new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    public sealed class StatusInput
    {
        [Display(Name = "nur für Stammklient:innen anwählbar")]
        public bool RegularClientsOnly { get; set; }

        [Required(ErrorMessage = "Bitte wählen Sie im Feld „{0}“ eine Einstellung.")]
        [EnumDataType(typeof(ChatMode), ErrorMessage = "Der Wert im Feld „{0}“ ist ungültig.")]
        [Display(Name = "Chat")]
        public ChatMode? Chat { get; set; }

        [Required(ErrorMessage = "Bitte wählen Sie im Feld „{0}“ eine Einstellung.")]
        [EnumDataType(typeof(MailMode), ErrorMessage = "Der Wert im Feld „{0}“ ist ungültig.")]
        [Display(Name = "Mail")]
        public MailMode? Mail { get; set; }
    }
}
