using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Lotse.Web.Features.Security;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Errors;

/// <summary>Every error and bare status code ends here: a German page, never a stack trace.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IStringLocalizer<SharedResource> t) : PageModel
{
    public string Title { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);

    public void OnPost(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);

    private void Describe(int code)
    {
        // Re-executed requests keep the original status; a direct visit reports the code it names.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
        {
            Response.StatusCode = code is >= 400 and < 600 ? code : StatusCodes.Status404NotFound;
        }

        (Title, Explanation) = code switch
        {
            StatusCodes.Status400BadRequest => ("Die Anfrage war fehlerhaft", "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."),
            StatusCodes.Status403Forbidden => ("Kein Zugriff", "Diese Seite ist für Ihren Zugang nicht freigegeben."),
            StatusCodes.Status404NotFound => ("Seite nicht gefunden", "Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar."),
            // How long to wait comes from the rate limiter's Retry-After (Features/Security/RateLimiting).
            StatusCodes.Status429TooManyRequests when RateLimiting.AnnouncedWait(Response) is { } wait => ("Zu viele Versuche", RateLimiting.Explanation(wait, t)),
            StatusCodes.Status429TooManyRequests => ("Zu viele Versuche", "Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal."),
            _ => ("Etwas ist schiefgegangen", "Bitte versuchen Sie es in einem Moment noch einmal. Wenn das wiederholt passiert, wenden Sie sich an den Support."),
        };
    }
}
