namespace Lotse.Web.Features.Appointments;

/// <summary>
/// Installation-wide booking rules (configuration section "Booking"); an agency may set its own minimum notice and
/// cancel cut-off (<see cref="AgencyAdmin.AgencyTermsLoader"/>).
/// </summary>
public sealed class BookingOptions
{
    public int MinimumNoticeHours { get; set; } = 12;

    public int CancelCutoffHours { get; set; } = 24;

    public int WeeksAhead { get; set; } = 6;
}
