using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.RegularClients;

/// <summary>
/// "Meine Stammklient:innen": the clients this counsellor counsels, and which of them are regular clients.
/// Only clients with a counselling relation to this counsellor can be marked; any other id is 404.
/// </summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class IndexModel(LotseDb db, CounsellorLookup lookup, AvailabilityNotifier notifier, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public sealed record ClientRow(Guid ClientId, string Nickname);

    public IReadOnlyList<ClientRow> Regular { get; private set; } = [];

    public IReadOnlyList<ClientRow> Others { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var counsellorId = await lookup.CurrentCounsellorIdAsync(cancellationToken);
        if (counsellorId is null)
        {
            return Forbid();
        }

        var rows = await (
                from r in db.CounsellingRelations.AsNoTracking()
                join c in db.Clients.AsNoTracking() on r.ClientId equals c.Id
                where r.CounsellorId == counsellorId
                select new { r.ClientId, c.Nickname, r.IsRegularClient })
            .ToListAsync(cancellationToken);
        var ordered = rows.OrderBy(r => r.Nickname, StringComparer.CurrentCultureIgnoreCase).ToList();
        Regular = ordered.Where(r => r.IsRegularClient).Select(r => new ClientRow(r.ClientId, r.Nickname)).ToList();
        Others = ordered.Where(r => !r.IsRegularClient).Select(r => new ClientRow(r.ClientId, r.Nickname)).ToList();
        return Page();
    }

    public Task<IActionResult> OnPostMarkAsync(Guid clientId, CancellationToken cancellationToken) =>
        SetAsync(clientId, regular: true, cancellationToken);

    public Task<IActionResult> OnPostUnmarkAsync(Guid clientId, CancellationToken cancellationToken) =>
        SetAsync(clientId, regular: false, cancellationToken);

    private async Task<IActionResult> SetAsync(Guid clientId, bool regular, CancellationToken cancellationToken)
    {
        var counsellorId = await lookup.CurrentCounsellorIdAsync(cancellationToken);
        if (counsellorId is null)
        {
            return Forbid();
        }

        var relation = await db.CounsellingRelations.SingleOrDefaultAsync(r => r.CounsellorId == counsellorId && r.ClientId == clientId, cancellationToken);
        if (relation is null)
        {
            return NotFound();
        }

        if (regular)
        {
            relation.MarkAsRegularClient();
        }
        else
        {
            relation.UnmarkAsRegularClient();
        }

        await audit.RecordAsync(
            AuditAction.RegularClientChanged,
            AuditTarget.Of(AuditTargetType.Client, clientId),
            null,
            regular ? "Als Stammklient:in markiert" : "Nicht mehr Stammklient:in",
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // What this client may do with this counsellor just changed.
        await notifier.ChangedAsync(counsellorId.Value, cancellationToken);
        var nickname = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.Nickname).SingleAsync(cancellationToken);
        Message = regular
            ? t["{0} ist jetzt als Stammklient:in markiert.", nickname]
            : t["{0} ist nicht mehr als Stammklient:in markiert.", nickname];
        return RedirectToPage();
    }
}
