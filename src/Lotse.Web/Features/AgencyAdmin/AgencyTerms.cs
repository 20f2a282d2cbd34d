using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Appointments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>What clients read while an agency takes no new requests: its message and where to turn instead.</summary>
public sealed record AgencyClosure(string AgencyName, string Message, string? PointerAgencyName, SupportContactDetails? PointerSupport);

/// <summary>
/// An agency's settings as they bear on one of its counsellors (their agency, <see cref="CounsellorAgencies"/>):
/// the booking rules (the agency's, else the installation's) and whether it is closed for new requests.
/// </summary>
/// <param name="AgencyId">The agency they come from; null for a counsellor of no agency (the installation's rules).</param>
public sealed record AgencyTerms(Guid? AgencyId, TimeSpan MinimumNotice, TimeSpan CancelCutoff, int WeeksAhead, AgencyClosure? Closure)
{
    public BookingRules RulesFor(int slotMinutes) => new(slotMinutes, MinimumNotice, WeeksAhead, CancelCutoff);
}

public sealed class AgencyTermsLoader(LotseDb db, CounsellorAgencies agencies, IOptions<BookingOptions> options)
{
    /// <summary>A counsellor's terms, from their agency as first read in this request.</summary>
    public async Task<AgencyTerms> ForCounsellorAsync(Guid counsellorId, CancellationToken cancellationToken) =>
        await TermsOfAsync(await agencies.OfAsync(counsellorId, cancellationToken), cancellationToken);

    public async Task<AgencyTerms> ForAgencyAsync(Guid agencyId, CancellationToken cancellationToken) =>
        await TermsOfAsync(await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agencyId, cancellationToken), cancellationToken);

    private async Task<AgencyTerms> TermsOfAsync(Agency? agency, CancellationToken cancellationToken)
    {
        if (agency is null)
        {
            return Defaults(null);
        }

        AgencyClosure? closure = null;
        if (agency.IsClosedForNewRequests)
        {
            var pointer = agency.ClosedPointerAgencyId is { } pointerId
                ? await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == pointerId, cancellationToken)
                : null;
            closure = new AgencyClosure(agency.Name, agency.ClosedMessage ?? "", pointer?.Name, pointer is null || pointer.Support.IsEmpty ? null : pointer.Support);
        }

        return Defaults(agency) with { Closure = closure };
    }

    /// <summary>Terms of several counsellors at once (a client's appointment list), by counsellor id.</summary>
    public async Task<Dictionary<Guid, AgencyTerms>> ForCounsellorsAsync(IEnumerable<Guid> counsellorIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, AgencyTerms>();
        foreach (var id in counsellorIds.Distinct())
        {
            result[id] = await ForCounsellorAsync(id, cancellationToken);
        }

        return result;
    }

    private AgencyTerms Defaults(Agency? agency)
    {
        var o = options.Value;
        return new AgencyTerms(
            agency?.Id,
            TimeSpan.FromHours(agency?.MinimumNoticeHours ?? o.MinimumNoticeHours),
            TimeSpan.FromHours(agency?.CancelCutoffHours ?? o.CancelCutoffHours),
            o.WeeksAhead,
            null);
    }
}
