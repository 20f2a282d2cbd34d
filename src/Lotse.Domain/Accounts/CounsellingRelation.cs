namespace Lotse.Domain.Accounts;

/// <summary>
/// That a counsellor counsels a client (through an appointment, chat or mail). Only such a client can be
/// marked as Stammklient:in; the counsellor is then their Stammberater:in.
/// </summary>
public sealed class CounsellingRelation
{
    private CounsellingRelation()
    {
    }

    public CounsellingRelation(Guid counsellorId, Guid clientId, DateTime sinceUtc)
    {
        CounsellorId = counsellorId;
        ClientId = clientId;
        SinceUtc = sinceUtc;
    }

    public Guid CounsellorId { get; private set; }

    public Guid ClientId { get; private set; }

    public DateTime SinceUtc { get; private set; }

    public bool IsRegularClient { get; private set; }

    public void MarkAsRegularClient() => IsRegularClient = true;

    public void UnmarkAsRegularClient() => IsRegularClient = false;
}
