using Lotse.Domain.Accounts;
using Lotse.Web.Data;
using Lotse.Web.Features.Counsellors;

namespace Lotse.Web.Features.Dashboard;

/// <summary>Saves a new Accountstatus at once and tells every open client page of this counsellor.</summary>
public sealed class ChangeAccountStatus(LotseDb db, AvailabilityNotifier notifier)
{
    public async Task<AccountStatus> ChangeAsync(Counsellor counsellor, bool regularClientsOnly, ChatMode chat, MailMode mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        counsellor.ChangeStatus(counsellor.Status with { RegularClientsOnly = regularClientsOnly, Chat = chat, Mail = mail });
        return await SaveAsync(counsellor, cancellationToken);
    }

    public async Task<AccountStatus> ChangeCapacityAsync(Counsellor counsellor, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        counsellor.ChangeStatus(counsellor.Status with { MailCapacity = capacity });
        return await SaveAsync(counsellor, cancellationToken);
    }

    private async Task<AccountStatus> SaveAsync(Counsellor counsellor, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await notifier.ChangedAsync(counsellor.Id, cancellationToken);
        return counsellor.Status;
    }
}
