using Lotse.Domain.Notifications;
using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// "Benachrichtigungen": the signed-in user's own notifications, newest first, with the full in-app text (time and
/// the other party), unread ones marked. Clients without e-mail learn of their appointments here only.
/// </summary>
[Authorize]
public sealed class IndexModel(LotseDb db, CurrentUser user, NotificationTexts texts, TimeProvider clock, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>Older notices stay in the database; the page shows the latest ones.</summary>
    public const int Shown = 100;

    /// <param name="Link">Where the news is: the mail thread (for the reader's side), else nothing.</param>
    public sealed record Row(Guid Id, DateTime CreatedUtc, bool Unread, string Text, string? Link);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int UnreadCount { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId)
        {
            return Forbid();
        }

        var rows = await (
                from n in db.Notifications.AsNoTracking()
                where n.UserId == userId
                join a in db.Appointments.AsNoTracking() on n.AppointmentId equals a.Id into appointments
                from a in appointments.DefaultIfEmpty()
                join c in db.Counsellors.AsNoTracking() on a.CounsellorId equals c.Id into counsellors
                from c in counsellors.DefaultIfEmpty()
                join cl in db.Clients.AsNoTracking() on a.ClientId equals cl.Id into clients
                from cl in clients.DefaultIfEmpty()
                orderby n.CreatedUtc descending, n.Id
                select new
                {
                    n.Id,
                    n.Kind,
                    n.CreatedUtc,
                    n.ReadUtc,
                    n.MailThreadId,
                    StartUtc = a == null ? (DateTime?)null : a.StartUtc,
                    EndUtc = a == null ? (DateTime?)null : a.EndUtc,
                    CounsellorUserId = c == null ? null : c.UserId,
                    CounsellorName = c == null ? null : c.DisplayName,
                    ClientName = cl == null ? null : cl.Nickname,
                })
            .Take(Shown)
            .ToListAsync(cancellationToken);

        Rows = rows.Select(r => new Row(
                r.Id,
                r.CreatedUtc,
                r.ReadUtc is null,
                texts.InApp(r.Kind, r.StartUtc, r.EndUtc, r.CounsellorUserId == userId ? r.ClientName : r.CounsellorName),
                r.MailThreadId is { } thread ? (user.IsCounsellor ? "/posteingang/" : "/anfragen/") + thread : null))
            .ToList();
        UnreadCount = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadUtc == null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId)
        {
            return Forbid();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadUtc == null).ToListAsync(cancellationToken);
        foreach (var notification in unread)
        {
            notification.MarkRead(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        Message = t["Alle Benachrichtigungen sind als gelesen markiert."];
        return RedirectToPage();
    }
}
