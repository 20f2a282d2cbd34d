using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Privacy;

/// <summary>
/// "Meine Daten": an advice seeker downloads everything Lotse holds about them as a JSON file, or deletes their account
/// with all of it, confirmed with their password. Only for clients; nothing of this page is cached anywhere.
/// </summary>
[Authorize(Roles = Roles.Client)]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class MyDataModel(
    LotseDb db,
    CounsellorLookup lookup,
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signIn,
    ExportClientData export,
    DeleteClientData deletion,
    TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public string Nickname { get; private set; } = "";

    public string? Email { get; private set; }

    [BindProperty]
    public DeleteInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentClientIdAsync(cancellationToken) is not { } clientId)
        {
            return Forbid();
        }

        await LoadAsync(clientId, cancellationToken);
        return Page();
    }

    /// <summary>The JSON file: an attachment, never stored by a browser cache or a proxy (no-store, from the class attribute).</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentClientIdAsync(cancellationToken) is not { } clientId
            || await export.BuildAsync(clientId, cancellationToken) is not { } data)
        {
            return Forbid();
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(data, ExportClientData.Json);
        var day = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File(bytes, "application/json; charset=utf-8", $"lotse-meine-daten-{day}.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentClientIdAsync(cancellationToken) is not { } clientId
            || await users.GetUserAsync(User) is not { } user)
        {
            return Forbid();
        }

        if (ModelState.IsValid)
        {
            // Counts towards the lockout like a failed sign-in: a borrowed, signed-in device cannot guess the password.
            var check = await signIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
            if (!check.Succeeded)
            {
                ModelState.AddModelError("Input.Password", check.IsLockedOut
                    ? t["Zu viele Fehlversuche. Ihr Zugang ist für 15 Minuten gesperrt."]
                    : t["Das Passwort stimmt nicht. Ihr Konto wurde nicht gelöscht."]);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(clientId, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await deletion.DeleteAsync(clientId, inactiveBefore: null, cancellationToken);

        // The normal sign-out; ending the person's other sessions is the session store's part (integration of issue 7).
        await signIn.SignOutAsync();
        return LocalRedirect("/konto/geloescht");
    }

    private async Task LoadAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var account = await (
                from c in db.Clients.AsNoTracking()
                where c.Id == clientId
                join u in db.Users.AsNoTracking() on c.UserId equals u.Id
                select new { c.Nickname, u.Email })
            .SingleAsync(cancellationToken);
        Nickname = account.Nickname;
        Email = string.IsNullOrEmpty(account.Email) ? null : account.Email;
    }

    public sealed class DeleteInput
    {
        [Required(ErrorMessage = "Bitte füllen Sie das Feld „{0}“ aus.")]
        [DataType(DataType.Password)]
        [Display(Name = "Ihr Passwort")]
        [StringLength(128, ErrorMessage = "Das Feld „{0}“ darf höchstens {1} Zeichen lang sein.")]
        public string Password { get; set; } = "";
    }
}
