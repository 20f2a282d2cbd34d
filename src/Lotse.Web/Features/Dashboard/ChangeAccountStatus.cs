using Lotse.Domain.Accounts;
using Lotse.Domain.Audit;
using Lotse.Web.Data;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Counsellors;

namespace Lotse.Web.Features.Dashboard;

/// <summary>Saves a new Accountstatus at once, with its audit entry, and tells every open client page of this counsellor.</summary>
public sealed class ChangeAccountStatus(LotseDb db, AvailabilityNotifier notifier, AuditLog audit)
{
    public async Task<AccountStatus> ChangeAsync(Counsellor counsellor, bool regularClientsOnly, ChatMode chat, MailMode mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        var before = counsellor.Status;
        counsellor.ChangeStatus(counsellor.Status with { RegularClientsOnly = regularClientsOnly, Chat = chat, Mail = mail });
        return await SaveAsync(counsellor, before, cancellationToken);
    }

    public async Task<AccountStatus> ChangeCapacityAsync(Counsellor counsellor, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        var before = counsellor.Status;
        counsellor.ChangeStatus(counsellor.Status with { MailCapacity = capacity });
        return await SaveAsync(counsellor, before, cancellationToken);
    }

    private async Task<AccountStatus> SaveAsync(Counsellor counsellor, AccountStatus before, CancellationToken cancellationToken)
    {
        if (AuditTexts.StatusChange(before, counsellor.Status) is { Length: > 0 } change)
        {
            await audit.RecordAsync(AuditAction.AccountStatusChanged, AuditTarget.Of(AuditTargetType.Counsellor, counsellor.Id), null, change, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await notifier.ChangedAsync(counsellor.Id, cancellationToken);
        return counsellor.Status;
    }
}
