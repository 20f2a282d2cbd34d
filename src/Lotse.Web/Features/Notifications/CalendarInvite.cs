using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Lotse.Domain.Appointments;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Features.Notifications;

/// <summary>
/// The RFC 5545 invitation for an appointment, as calendar programs expect it in an iTIP mail (RFC 5546): one
/// VEVENT whose UID stays the same for the appointment's whole life and whose SEQUENCE rises with every change,
/// so that a confirmation updates and a cancellation removes the entry made by the request.
/// Privacy: the summary is generic; no topic, no names, nothing an onlooker of a shared calendar could read.
/// </summary>
public sealed class CalendarInvite(IOptions<MailOptions> mail, NotificationLinks links, IStringLocalizer<SharedResource> t)
{
    public static string Uid(Guid appointmentId) => $"{appointmentId:D}@lotse";

    /// <param name="appointment">The appointment as it is now: the invitation always shows its latest state.</param>
    /// <param name="attendeeAddress">The recipient's own address (iTIP names the attendee); never the other party's.</param>
    /// <param name="nowUtc">DTSTAMP: when this version of the invitation was made.</param>
    public CalendarInvitation Build(Appointment appointment, string? attendeeAddress, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(appointment);
        var cancelled = appointment.Status is AppointmentStatus.Cancelled or AppointmentStatus.Declined;
        var method = cancelled ? CalendarMethods.Cancel : CalendarMethods.Request;
        var room = links.Room(appointment.Id);
        var from = mail.Value.FromAddress();

        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(appointment.Id),
            Sequence = appointment.Sequence,
            DtStamp = Utc(nowUtc),
            DtStart = Utc(appointment.StartUtc),
            DtEnd = Utc(appointment.EndUtc),
            Summary = t["Beratungstermin (Lotse)"],
            Description = t["Zum Termin: {0}", room],
            Location = room,
            Url = new Uri(room),
            Organizer = new Organizer("mailto:" + from.Address) { CommonName = from.Name },
            Status = appointment.Status switch
            {
                AppointmentStatus.Confirmed => EventStatus.Confirmed,
                AppointmentStatus.Requested => EventStatus.Tentative,
                _ => EventStatus.Cancelled,
            },
            // Opaque: the time is busy in the recipient's calendar; cancelled entries free it again.
            Transparency = cancelled ? "TRANSPARENT" : "OPAQUE",
        };
        if (!string.IsNullOrWhiteSpace(attendeeAddress))
        {
            calendarEvent.Attendees.Add(new Attendee("mailto:" + attendeeAddress) { Rsvp = false, Role = "REQ-PARTICIPANT" });
        }

        var calendar = new Ical.Net.Calendar { ProductId = "-//Lotse//Termine//DE", Method = method };
        calendar.Events.Add(calendarEvent);
        var ics = new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("Ical.Net returned no text for the invitation.");
        return new CalendarInvitation(ics, method);
    }

    private static CalDateTime Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc), CalDateTime.UtcTzId);
}
