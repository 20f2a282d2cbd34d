using Lotse.Domain.Mail;
using Lotse.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lotse.Web.Features.Mail;

/// <summary>The counsellor's mail inbox: unread first, then overdue, then newest; filters by state, overdue, forwarded.</summary>
[Authorize(Roles = Roles.Counsellor)]
public sealed class InboxModel(MailAccess access, LoadMail load) : PageModel
{
    /// <summary>The filters as they appear in the address (?filter=…), German like the rest of the URLs.</summary>
    public static readonly IReadOnlyList<(string Slug, InboxFilter Filter)> Filters =
    [
        ("aktiv", InboxFilter.Active),
        ("offen", InboxFilter.Open),
        ("in-bearbeitung", InboxFilter.InProgress),
        ("ueberfaellig", InboxFilter.Overdue),
        ("weitergeleitet", InboxFilter.Forwarded),
        ("abgeschlossen", InboxFilter.Closed),
        ("archiviert", InboxFilter.Archived),
    ];

    [BindProperty(SupportsGet = true, Name = "filter")]
    public string? FilterSlug { get; set; }

    public InboxFilter Filter { get; private set; }

    public IReadOnlyList<MailListItem> Items { get; private set; } = [];

    public int QueueLength { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await access.CurrentAsync(cancellationToken) is not { Side: MailSide.Counsellor } counsellor)
        {
            return Forbid();
        }

        var match = Filters.FirstOrDefault(f => f.Slug == FilterSlug);
        if (FilterSlug is not null && match.Slug is null)
        {
            return NotFound();
        }

        Filter = match.Slug is null ? InboxFilter.Active : match.Filter;
        Items = await load.InboxAsync(counsellor.Id, Filter, cancellationToken);
        QueueLength = await load.QueueLengthAsync(counsellor.Id, cancellationToken);
        return Page();
    }
}
