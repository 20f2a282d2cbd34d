using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Counsellors;

/// <summary>
/// A counsellor as an advice seeker sees them: online or not, absence note, and what they can do now.
/// The page refreshes its availability part live (SignalR) and at the next absence change (timer).
/// </summary>
[AllowAnonymous]
public sealed class ProfileModel(LoadClientAvailability load, AgencyAdmin.AgencyContacts contacts) : PageModel
{
    public CounsellorAvailabilityView View { get; private set; } = null!;

    /// <summary>The support contact of the counsellor's agency, when it set one.</summary>
    public AgencyAdmin.AgencyContact? Contact { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var view = await load.LoadAsync(id, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        Contact = await contacts.ForCounsellorAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>Only the availability part, rendered for this viewer, for the live refresh.</summary>
    public async Task<IActionResult> OnGetAvailabilityAsync(Guid id, CancellationToken cancellationToken)
    {
        var view = await load.LoadAsync(id, cancellationToken);
        return view is null ? NotFound() : Partial("_Availability", view);
    }
}
