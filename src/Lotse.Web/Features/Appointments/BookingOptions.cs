using Lotse.Domain.Appointments;
using Lotse.Domain.Accounts;

namespace Lotse.Web.Features.Appointments;

/// <summary>Installation-wide booking rules (configuration section "Booking"); agencies get their own later.</summary>
public sealed class BookingOptions
{
    public int MinimumNoticeHours { get; set; } = 12;

    public int CancelCutoffHours { get; set; } = 24;

    public int WeeksAhead { get; set; } = 6;

    public TimeSpan CancelCutoff => TimeSpan.FromHours(CancelCutoffHours);

    public BookingRules RulesFor(Counsellor counsellor)
    {
        ArgumentNullException.ThrowIfNull(counsellor);
        return RulesFor(counsellor.SlotMinutes);
    }

    public BookingRules RulesFor(int slotMinutes) =>
        new(slotMinutes, TimeSpan.FromHours(MinimumNoticeHours), WeeksAhead, CancelCutoff);
}
