using Lotse.Domain.Appointments;

namespace Lotse.Web.Features.Appointments;

/// <summary>German UI keys (passed through the localizer) for appointment values.</summary>
public static class AppointmentLabels
{
    public static string Channel(AppointmentChannel channel) => channel switch
    {
        AppointmentChannel.Video => "Video",
        AppointmentChannel.Phone => "Telefon",
        AppointmentChannel.Chat => "Chat",
        _ => "vor Ort",
    };

    public static string Status(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Confirmed => "bestätigt",
        AppointmentStatus.Requested => "angefragt, noch nicht bestätigt",
        AppointmentStatus.Declined => "abgelehnt",
        _ => "abgesagt",
    };
}
