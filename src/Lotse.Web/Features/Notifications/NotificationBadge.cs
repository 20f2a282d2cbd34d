using Lotse.Web.Data;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// The header link to "Benachrichtigungen" with the number of unread ones; nothing for visitors who are not signed in.
/// In the layout: <c>@await Component.InvokeAsync("NotificationBadge")</c>.
/// </summary>
public sealed class NotificationBadgeViewComponent(LotseDb db, CurrentUser user) : ViewComponent
{
    public sealed record Badge(int Unread);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (user.UserId is not { } userId)
        {
            return Content("");
        }

        var unread = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadUtc == null, HttpContext.RequestAborted);
        return View("/Features/Notifications/_NotificationBadge.cshtml", new Badge(unread));
    }
}
