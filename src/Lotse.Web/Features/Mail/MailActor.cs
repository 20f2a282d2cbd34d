using Lotse.Domain.Mail;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;
using Microsoft.EntityFrameworkCore;

namespace Lotse.Web.Features.Mail;

/// <summary>The signed-in person as a side of mail threads: a client or a counsellor, with their row's id.</summary>
public sealed record MailActor(MailSide Side, Guid Id);

/// <summary>Who may see a thread: its client, its counsellor, and, while it waits in the queue, its agency's counsellors.</summary>
public sealed class MailAccess(LotseDb db, CounsellorLookup lookup)
{
    public async Task<MailActor?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (await lookup.CurrentCounsellorIdAsync(cancellationToken) is { } counsellorId)
        {
            return new MailActor(MailSide.Counsellor, counsellorId);
        }

        return await lookup.CurrentClientIdAsync(cancellationToken) is { } clientId ? new MailActor(MailSide.Client, clientId) : null;
    }

    /// <summary>The thread if <paramref name="actor"/> may see it; null otherwise (the page answers 404 either way).</summary>
    public async Task<MailThread?> ThreadAsync(MailActor actor, Guid threadId, bool tracked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var threads = tracked ? db.MailThreads : db.MailThreads.AsNoTracking();
        var thread = await threads.SingleOrDefaultAsync(t => t.Id == threadId, cancellationToken);
        if (thread is null)
        {
            return null;
        }

        var allowed = actor.Side == MailSide.Client
            ? thread.ClientId == actor.Id
            : thread.CounsellorId == actor.Id || (thread.IsInQueue && await IsInAgencyAsync(actor.Id, thread.AgencyId, cancellationToken));
        return allowed ? thread : null;
    }

    public Task<bool> IsInAgencyAsync(Guid counsellorId, Guid agencyId, CancellationToken cancellationToken) =>
        (from c in db.Counsellors
         join m in db.AgencyMemberships on c.UserId equals m.UserId
         where c.Id == counsellorId && m.AgencyId == agencyId
         select m).AnyAsync(cancellationToken);
}
