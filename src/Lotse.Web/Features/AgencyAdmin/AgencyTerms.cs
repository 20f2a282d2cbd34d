using Lotse.Domain.Agencies;
using Lotse.Domain.Appointments;
using Lotse.Web.Data;
using Lotse.Web.Features.Appointments;
using Lotse.Web.Features.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.AgencyAdmin;

/// <summary>What clients read while an agency takes no new requests: its message and where to turn instead.</summary>
public sealed record AgencyClosure(string AgencyName, string Message, string? PointerAgencyName, SupportContactDetails? PointerSupport);

/// <summary>
/// An agency's settings as they bear on one of its counsellors (their first agency, as mail routing takes it):
/// the booking rules (the agency's, else the installation's) and whether it is closed for new requests.
/// </summary>
public sealed record AgencyTerms(TimeSpan MinimumNotice, TimeSpan CancelCutoff, int WeeksAhead, AgencyClosure? Closure)
{
    public BookingRules RulesFor(int slotMinutes) => new(slotMinutes, MinimumNotice, WeeksAhead, CancelCutoff);
}

public sealed class AgencyTermsLoader(LotseDb db, IOptions<BookingOptions> options)
{
    /// <summary>
    /// A counsellor's terms as first read in this request (the loader is scoped): a page asks for them from several
    /// places (availability, slot planner), and two reads a few milliseconds apart should not disagree anyway.
    /// </summary>
    private readonly Dictionary<Guid, AgencyTerms> _byCounsellor = [];

    public async Task<AgencyTerms> ForCounsellorAsync(Guid counsellorId, CancellationToken cancellationToken)
    {
        if (!_byCounsellor.TryGetValue(counsellorId, out var terms))
        {
            terms = await MailLoads.AgencyOfAsync(db, counsellorId, cancellationToken) is { } agencyId
                ? await ForAgencyAsync(agencyId, cancellationToken)
                : Defaults(null);
            _byCounsellor[counsellorId] = terms;
        }

        return terms;
    }

    public async Task<AgencyTerms> ForAgencyAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == agencyId, cancellationToken);
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
            TimeSpan.FromHours(agency?.MinimumNoticeHours ?? o.MinimumNoticeHours),
            TimeSpan.FromHours(agency?.CancelCutoffHours ?? o.CancelCutoffHours),
            o.WeeksAhead,
            null);
    }
}
