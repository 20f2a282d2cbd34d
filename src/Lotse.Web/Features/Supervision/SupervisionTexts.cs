using System.Globalization;
using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using Lotse.Domain.Supervision;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Supervision;

/// <summary>The words of the supervision pages for modes, routing reasons, channels and durations.</summary>
public sealed class SupervisionTexts(IStringLocalizer<SharedResource> t)
{
    public string Chat(ChatMode mode) => mode switch
    {
        ChatMode.Online => t["Online"],
        ChatMode.NotOnline => t["Nicht Online"],
        _ => t["Nicht anwählbar"],
    };

    public string Mail(MailMode mode) => mode switch
    {
        MailMode.Unlimited => t["unbegrenzte Anfragen"],
        MailMode.NoNewRequests => t["keine neuen Anfragen"],
        _ => t["nach Ressourcen"],
    };

    public string Reason(RouteReason reason) => reason switch
    {
        RouteReason.NoNewRequests => t["keine neuen Anfragen"],
        RouteReason.CapacityFull => t["Kapazität erreicht"],
        RouteReason.Absent => t["Berater:in abwesend"],
        RouteReason.NobodyFree => t["niemand nimmt neue Anfragen an"],
        _ => t["direkt zugeteilt"],
    };

    public string QueueCause(QueueCause cause) => cause switch
    {
        Domain.Mail.QueueCause.NoFallback => t["keine Fallback-Berater:in benannt"],
        Domain.Mail.QueueCause.FallbackAbsent => t["Fallback-Berater:in abwesend"],
        _ => "",
    };

    public string Kind(RouteKind kind) => kind switch
    {
        RouteKind.PersonalFallback => t["Persönliche Fallback-Berater:in"],
        RouteKind.AgencyFallback => t["Fallback-Berater:in der Stelle"],
        RouteKind.Queue => t["Warteschlange"],
        _ => t["Berater:in"],
    };

    public string Channel(RequestChannel channel) => channel switch
    {
        RequestChannel.Mail => t["Mail"],
        RequestChannel.Chat => t["Chat"],
        RequestChannel.Video => t["Termin Video"],
        RequestChannel.Phone => t["Termin Telefon"],
        RequestChannel.ChatAppointment => t["Termin Chat"],
        _ => t["Termin vor Ort"],
    };

    /// <summary>"2 Tg. 3 Std.", "3 Std. 20 Min.", "12 Min." – as precise as a supervisor needs it.</summary>
    public string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var days = (int)duration.TotalDays;
        return days > 0
            ? t["{0} Tg. {1} Std.", days, duration.Hours]
            : duration.TotalHours >= 1
                ? t["{0} Std. {1} Min.", (int)duration.TotalHours, duration.Minutes]
                : t["{0} Min.", duration.Minutes];
    }

    /// <summary>Hours with one decimal in German notation ("26,5"), for the statistics and its export.</summary>
    public static string Hours(TimeSpan? duration) =>
        duration is { } d ? Math.Round(d.TotalHours, 1).ToString("0.0", CultureInfo.GetCultureInfo("de-DE")) : "";
}
