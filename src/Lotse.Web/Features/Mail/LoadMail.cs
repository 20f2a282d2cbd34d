using Lotse.Domain.Absences;
using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Security;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

/// <summary>One line of an inbox, the queue or a client's list. Never the message text: lists show subjects only.</summary>
public sealed record MailListItem(
    Guid ThreadId,
    string Subject,
    string OtherName,
    MailThreadState State,
    bool IsUnread,
    bool IsOverdue,
    bool IsForwarded,
    DateTime LastMessageUtc,
    DateTime? AwaitingReplySinceUtc);

public sealed record MailMessageView(long Id, MailSide Sender, string AuthorName, string Body, DateTime SentUtc);

/// <summary>A thread as one side sees it.</summary>
public sealed record MailThreadView(
    Guid Id,
    string Subject,
    MailThreadState State,
    bool IsOverdue,
    bool IsInQueue,
    string ClientName,
    Guid? CounsellorId,
    string? CounsellorName,
    string? AddressedName,
    string? ForwardedFromName,
    string AgencyName,
    RouteKind RouteKind,
    RouteReason RouteReason,
    QueueCause QueueCause,
    bool TakenFromQueue,
    IReadOnlyList<MailMessageView> Messages,
    AbsencePeriod? CounsellorAbsence,
    bool AwaitingReply,
    int ResponseTargetHours);

/// <summary>Filters of the counsellor's inbox.</summary>
public enum InboxFilter
{
    /// <summary>offen and in Bearbeitung.</summary>
    Active,
    Open,
    InProgress,
    Closed,
    Archived,
    Overdue,
    Forwarded,
}

/// <summary>Reads for the mail pages: lists sorted unread first, and one thread with its messages.</summary>
public sealed class LoadMail(LotseDb db, TimeProvider clock, CounsellingContent content)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<MailListItem>> InboxAsync(Guid counsellorId, InboxFilter filter, CancellationToken cancellationToken)
    {
        var threads = db.MailThreads.AsNoTracking().Where(t => t.CounsellorId == counsellorId);
        threads = filter switch
        {
            InboxFilter.Open => threads.Where(t => t.State == MailThreadState.Open),
            InboxFilter.InProgress => threads.Where(t => t.State == MailThreadState.InProgress),
            InboxFilter.Closed => threads.Where(t => t.State == MailThreadState.Closed),
            InboxFilter.Archived => threads.Where(t => t.State == MailThreadState.Archived),
            InboxFilter.Forwarded => threads.Where(t => t.RouteKind != RouteKind.Counsellor && t.TakenUtc == null),
            _ => threads.OpenRequests(),
        };
        var items = await ListAsync(threads, counsellorSide: true, cancellationToken);
        return filter == InboxFilter.Overdue ? items.Where(i => i.IsOverdue).ToList() : items;
    }

    public async Task<IReadOnlyList<MailListItem>> ClientListAsync(Guid clientId, CancellationToken cancellationToken) =>
        await ListAsync(db.MailThreads.AsNoTracking().Where(t => t.ClientId == clientId), counsellorSide: false, cancellationToken);

    /// <summary>The unassigned queues of the counsellor's agencies, oldest first (they have waited longest).</summary>
    public async Task<IReadOnlyList<MailListItem>> QueueAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var agencies = from c in db.Counsellors
                       join m in db.AgencyMemberships on c.UserId equals m.UserId
                       where c.Id == counsellorId
                       select m.AgencyId;
        var threads = db.MailThreads.AsNoTracking().Where(t => t.CounsellorId == null && !(t.State == MailThreadState.Closed || t.State == MailThreadState.Archived) && agencies.Contains(t.AgencyId));
        var items = await ListAsync(threads, counsellorSide: true, cancellationToken);
        return items.OrderBy(i => i.AwaitingReplySinceUtc ?? i.LastMessageUtc).ToList();
    }

    /// <summary>Number of threads in the counsellor's agencies' queues (for the navigation).</summary>
    public Task<int> QueueLengthAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        var agencies = from c in db.Counsellors
                       join m in db.AgencyMemberships on c.UserId equals m.UserId
                       where c.Id == counsellorId
                       select m.AgencyId;
        return db.MailThreads.AsNoTracking().CountAsync(t => t.CounsellorId == null && t.State == MailThreadState.Open && agencies.Contains(t.AgencyId), cancellationToken);
    }

    public async Task<MailThreadView> ThreadAsync(MailThread thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var names = await CounsellorNamesAsync([thread.CounsellorId, thread.AddressedCounsellorId, thread.ForwardedFromId], cancellationToken);
        var clientName = await db.Clients.AsNoTracking().Where(c => c.Id == thread.ClientId).Select(c => c.Nickname).SingleAsync(cancellationToken);
        var agency = await db.Agencies.AsNoTracking().Where(a => a.Id == thread.AgencyId).Select(a => new { a.Name, a.ResponseTargetHours }).SingleAsync(cancellationToken);
        var messages = await db.MailMessages.AsNoTracking()
            .Where(m => m.ThreadId == thread.Id)
            .OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Sender, m.Body, m.SentUtc })
            .ToListAsync(cancellationToken);
        var now = Now;
        AbsencePeriod? absence = null;
        if (thread.CounsellorId is { } counsellorId)
        {
            absence = await db.Absences.AsNoTracking()
                .Where(a => a.CounsellorId == counsellorId && a.StartUtc <= now && a.EndUtc > now)
                .Select(a => new AbsencePeriod(a.Id, a.StartUtc, a.EndUtc, a.Note))
                .FirstOrDefaultAsync(cancellationToken);
        }

        string? Name(Guid? id) => id is { } key && names.TryGetValue(key, out var name) ? name : null;
        var counsellorName = Name(thread.CounsellorId);
        return new MailThreadView(
            thread.Id,
            thread.Subject,
            thread.State,
            thread.IsOverdue(TimeSpan.FromHours(agency.ResponseTargetHours), now),
            thread.IsInQueue,
            clientName,
            thread.CounsellorId,
            counsellorName,
            Name(thread.AddressedCounsellorId),
            Name(thread.ForwardedFromId),
            agency.Name,
            thread.RouteKind,
            thread.RouteReason,
            thread.QueueCause,
            thread.TakenUtc is not null,
            messages.Select(m => new MailMessageView(m.Id, m.Sender, m.Sender == MailSide.Client ? clientName : counsellorName ?? "", content.Reveal(m.Body), m.SentUtc)).ToList(),
            absence,
            thread.AwaitingReplySinceUtc is not null,
            agency.ResponseTargetHours);
    }

    private async Task<Dictionary<Guid, string>> CounsellorNamesAsync(IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var keys = ids.OfType<Guid>().Distinct().ToList();
        return await db.Counsellors.AsNoTracking().Where(c => keys.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
    }

    private async Task<IReadOnlyList<MailListItem>> ListAsync(IQueryable<MailThread> threads, bool counsellorSide, CancellationToken cancellationToken)
    {
        var rows = await (from t in threads
                          join a in db.Agencies on t.AgencyId equals a.Id
                          join c in db.Clients on t.ClientId equals c.Id
                          join co in db.Counsellors on t.CounsellorId equals co.Id into assigned
                          from co in assigned.DefaultIfEmpty()
                          select new
                          {
                              t.Id,
                              t.Subject,
                              t.State,
                              ClientName = c.Nickname,
                              CounsellorName = co == null ? null : co.DisplayName,
                              AgencyName = a.Name,
                              t.LastClientMessageId,
                              t.LastCounsellorMessageId,
                              t.ClientReadUpTo,
                              t.CounsellorReadUpTo,
                              t.AwaitingReplySinceUtc,
                              t.LastMessageUtc,
                              t.RouteKind,
                              t.TakenUtc,
                              a.ResponseTargetHours,
                          }).ToListAsync(cancellationToken);
        var now = Now;
        return rows
            .Select(r => new MailListItem(
                r.Id,
                content.Reveal(r.Subject),
                counsellorSide ? r.ClientName : r.CounsellorName ?? r.AgencyName,
                r.State,
                counsellorSide ? r.LastClientMessageId > r.CounsellorReadUpTo : r.LastCounsellorMessageId > r.ClientReadUpTo,
                MailRules.IsOverdue(r.State, r.AwaitingReplySinceUtc, TimeSpan.FromHours(r.ResponseTargetHours), now),
                r.RouteKind != RouteKind.Counsellor && r.TakenUtc == null,
                r.LastMessageUtc,
                r.AwaitingReplySinceUtc))
            .OrderByDescending(i => i.IsUnread)
            .ThenByDescending(i => i.IsOverdue)
            .ThenByDescending(i => i.LastMessageUtc)
            .ToList();
    }
}
