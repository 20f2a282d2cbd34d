using Lotse.Domain.Appointments;
using Lotse.Domain.Mail;

namespace Lotse.Domain.Supervision;

/// <summary>One mail request as statistics sees it: when it came, where routing sent it, when a counsellor first answered.</summary>
public sealed record MailRequestRow(DateTime CreatedUtc, RouteKind Kind, DateTime? FirstReplyUtc);

/// <summary>One appointment as statistics sees it (counted in the month it begins).</summary>
public sealed record AppointmentStatRow(DateTime StartUtc, DateTime EndUtc, AppointmentStatus Status, AppointmentChannel Channel);

/// <summary>Where requests came in: the mail counselling, a live chat, or a booked appointment on its channel.</summary>
public enum RequestChannel
{
    Mail,
    Chat,
    Video,
    Phone,
    ChatAppointment,
    OnSite,
}

/// <summary>The figures of one month for one agency. Counts and durations only: nothing that names a person.</summary>
/// <param name="Routed">Mail requests that reached the counsellor routing chose (the addressed one, or the least loaded).</param>
/// <param name="Forwarded">Mail requests forwarded to a personal or the agency's fallback counsellor.</param>
/// <param name="Queued">Mail requests that went to the agency's unassigned queue.</param>
/// <param name="Answered">Mail requests of the month a counsellor has answered (the base of the percentiles).</param>
/// <param name="ResponseP50">Time from request to first answer that half of the answered requests did not exceed.</param>
/// <param name="ResponseP90">… that nine in ten did not exceed.</param>
/// <param name="AppointmentsHeld">Confirmed appointments of the month that have ended.</param>
/// <param name="AppointmentsCancelled">Appointments of the month cancelled by either side.</param>
public sealed record MonthFigures(
    StatisticsMonth Month,
    IReadOnlyList<(RequestChannel Channel, int Count)> ByChannel,
    int Routed,
    int Forwarded,
    int Queued,
    int Answered,
    TimeSpan? ResponseP50,
    TimeSpan? ResponseP90,
    int AppointmentsHeld,
    int AppointmentsCancelled)
{
    public int Requests => ByChannel.Sum(c => c.Count);

    public int MailRequests => Routed + Forwarded + Queued;
}

/// <summary>
/// The monthly statistics of supervision (issue 8). The caller loads the rows of the month (a little more does no harm:
/// every row is checked against the month in local time here) and shows or exports the result.
/// </summary>
public static class MonthlyStatistics
{
    public static MonthFigures Build(
        StatisticsMonth month,
        TimeZoneInfo zone,
        IEnumerable<MailRequestRow> mailRequests,
        IEnumerable<DateTime> chatsStartedUtc,
        IEnumerable<AppointmentStatRow> appointments,
        DateTime now)
    {
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(zone);
        var start = month.StartUtc(zone);
        var end = month.EndUtc(zone);
        bool InMonth(DateTime utc) => utc >= start && utc < end;

        var mail = mailRequests.Where(r => InMonth(r.CreatedUtc)).ToList();
        var chats = chatsStartedUtc.Count(InMonth);
        var dates = appointments.Where(a => InMonth(a.StartUtc)).ToList();

        // A declined request never became an appointment; requested, confirmed and cancelled ones were asked for.
        int Booked(AppointmentChannel channel) => dates.Count(a => a.Channel == channel && a.Status != AppointmentStatus.Declined);

        var responseTimes = mail
            .Where(r => r.FirstReplyUtc is { } reply && reply >= r.CreatedUtc)
            .Select(r => r.FirstReplyUtc!.Value - r.CreatedUtc)
            .ToList();

        return new MonthFigures(
            month,
            [
                (RequestChannel.Mail, mail.Count),
                (RequestChannel.Chat, chats),
                (RequestChannel.Video, Booked(AppointmentChannel.Video)),
                (RequestChannel.Phone, Booked(AppointmentChannel.Phone)),
                (RequestChannel.ChatAppointment, Booked(AppointmentChannel.Chat)),
                (RequestChannel.OnSite, Booked(AppointmentChannel.OnSite)),
            ],
            Routed: mail.Count(r => r.Kind == RouteKind.Counsellor),
            Forwarded: mail.Count(r => r.Kind is RouteKind.PersonalFallback or RouteKind.AgencyFallback),
            Queued: mail.Count(r => r.Kind == RouteKind.Queue),
            Answered: responseTimes.Count,
            ResponseP50: Percentiles.Of(responseTimes, 50),
            ResponseP90: Percentiles.Of(responseTimes, 90),
            AppointmentsHeld: dates.Count(a => a.Status == AppointmentStatus.Confirmed && a.EndUtc <= now),
            AppointmentsCancelled: dates.Count(a => a.Status == AppointmentStatus.Cancelled));
    }
}
